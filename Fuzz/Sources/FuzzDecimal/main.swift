// The `<v>` number parser against strtod: the fuzzer's bytes become a decimal of 1 to 40
// digits, with or without a point, a sign and an exponent; the reader must give strtod's
// double (or decline exactly where strtod does not take the whole text), and never trap. The
// numbers are printed back through NumberText, which must match %.15g.
import Foundation
import Sheets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The raw bytes as they are: any input, no trap.
    _ = DecimalParsing.parseDouble(bytes)
    guard size >= 3 else { return 0 }
    // A well-formed decimal built from the bytes.
    let count = Int(bytes[0]) % 40 + 1
    let flags = bytes[1]
    var text: [UInt8] = []
    if flags & 1 != 0 { text.append(UInt8(ascii: "-")) }
    let point = flags & 2 != 0 ? Int(bytes[2]) % (count + 1) : -1
    for i in 0..<count {
        if i == point { text.append(UInt8(ascii: ".")) }
        let b = 3 + i < size ? bytes[3 + i] : UInt8(truncatingIfNeeded: i &* 7)
        text.append(UInt8(ascii: "0") + b % 10)
    }
    if flags & 4 != 0 {
        text.append(flags & 8 != 0 ? UInt8(ascii: "E") : UInt8(ascii: "e"))
        if flags & 16 != 0 { text.append(flags & 32 != 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")) }
        let e = Int(size > 3 + count ? bytes[3 + count] : flags) % 400
        text.append(contentsOf: String(e).utf8)
    }
    let reference = text.withUnsafeBufferPointer { p -> Double in
        let s = String(decoding: p, as: UTF8.self)
        return strtod(s, nil)
    }
    let got = text.withUnsafeBufferPointer { DecimalParsing.parseDouble($0) }
    if reference.isFinite {
        guard let got, got.bitPattern == reference.bitPattern else {
            fatalError("\(String(decoding: text, as: UTF8.self)): \(String(describing: got)) vs strtod \(reference)")
        }
    } else if got != nil {
        fatalError("\(String(decoding: text, as: UTF8.self)): \(String(describing: got)) where strtod overflows")
    }
    // And back to text: the byte formatter prints what C's %.15g prints.
    if let got, got.isFinite, NumberText.format(got) != NumberText.printf15g(got), got != 0 {
        fatalError("\(got): \(NumberText.format(got)) vs %.15g \(NumberText.printf15g(got))")
    }
    if size >= 8 {
        let d = UnsafeRawPointer(data).loadUnaligned(as: Double.self)
        if d.isFinite, d != 0, NumberText.format(d) != NumberText.printf15g(d) {
            fatalError("\(d.bitPattern): \(NumberText.format(d)) vs %.15g \(NumberText.printf15g(d))")
        }
    }
    return 0
}
