// Text of numbers and dates for every output (inspect --csv, report CSVs, messages), written
// as bytes: no Foundation formatting, no boxing of arguments.
import Foundation

/// Number formatting shared by every output: 15 significant digits, as Excel shows numbers,
/// so that the binary noise of a double (`0.30000000000000004`) never reaches a report.
/// The text is exactly C's `%.15g`: integers directly, other values from Swift's shortest
/// round-trip digits rounded to 15, and `%.15g` itself only for the rare exact tie.
public enum NumberText {
    public static func format(_ d: Double) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func append(_ d: Double, to out: inout [UInt8]) {
        if d.isNaN { out.append(contentsOf: "#NUM!".utf8); return }
        if d.isInfinite { out.append(contentsOf: (d > 0 ? "#NUM!" : "-#NUM!").utf8); return }
        if d == 0 { out.append(UInt8(ascii: "0")); return }
        if d.magnitude < 1e15, d == d.rounded(.towardZero) {
            appendInteger(Int64(d), to: &out)
            return
        }
        // Decimals with up to 6 places (money, rates, most sheet values): if the integer m =
        // |d|·10^k, divided back, is d itself, then the decimal m/10^k is the one d stands for,
        // and with at most 15 digits it is what %.15g prints.
        let a = d.magnitude
        if a >= 1e-4, a < 1e15 {
            for k in 1...6 {
                let scale = decimalScales[k]
                let m = (a * scale).rounded()
                guard m < 1e15 else { break }
                if m / scale == a {
                    appendScaled(Int64(m), places: k, negative: d < 0, to: &out)
                    return
                }
            }
        }
        // Subnormals carry fewer than 53 bits, so their shortest digits may not round to
        // %.15g's: let C print those (no report holds one).
        if d.magnitude < Double.leastNormalMagnitude {
            out.append(contentsOf: printf15g(d).utf8)
            return
        }
        // Shortest round-trip digits: "123.456", "1e-05", "1.2345e+16", "0.0001".
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var exponent = 0, pointAt = -1, negative = false
        var parsingExponent = false, exponentNegative = false, exponentValue = 0
        for b in d.description.utf8 {
            if parsingExponent {
                if b == UInt8(ascii: "-") { exponentNegative = true }
                else if b >= 0x30, b <= 0x39 { exponentValue = exponentValue * 10 + Int(b - 0x30) }
                continue
            }
            switch b {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): pointAt = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): parsingExponent = true
            default: digits.append(b)
            }
        }
        if pointAt < 0 { pointAt = digits.count }
        // Scientific form d.ddd × 10^exponent over the significant digits.
        var lead = 0
        while lead < digits.count - 1, digits[lead] == UInt8(ascii: "0") { lead += 1 }
        exponent = pointAt - lead - 1 + (exponentNegative ? -exponentValue : exponentValue)
        var sig = Array(digits[lead...])
        while sig.count > 1, sig.last == UInt8(ascii: "0") { sig.removeLast() }
        if sig.count > 15 {
            // A 16-digit string ending in 5 is an exact tie only in its digits: the double's
            // true value decides, and %.15g knows it.
            if sig.count == 16, sig[15] == UInt8(ascii: "5") {
                out.append(contentsOf: printf15g(d).utf8)
                return
            }
            let roundUp = sig[15] >= UInt8(ascii: "5")
            sig.removeSubrange(15...)
            if roundUp {
                var i = 14
                while i >= 0 {
                    if sig[i] == UInt8(ascii: "9") { sig[i] = UInt8(ascii: "0"); i -= 1 } else { sig[i] += 1; break }
                }
                if i < 0 { sig.insert(UInt8(ascii: "1"), at: 0); sig.removeLast(); exponent += 1 }
            }
            while sig.count > 1, sig.last == UInt8(ascii: "0") { sig.removeLast() }
        }
        if negative { out.append(UInt8(ascii: "-")) }
        if exponent < -4 || exponent >= 15 {
            out.append(sig[0])
            if sig.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: sig[1...])
            }
            out.append(UInt8(ascii: "e"))
            out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let e = abs(exponent)
            if e < 10 { out.append(UInt8(ascii: "0")) }
            appendInteger(Int64(e), to: &out)
        } else if exponent >= 0 {
            for i in 0...exponent { out.append(i < sig.count ? sig[i] : UInt8(ascii: "0")) }
            if sig.count > exponent + 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: sig[(exponent + 1)...])
            }
        } else {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0..<(-exponent - 1) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: sig)
        }
    }

    private static let decimalScales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private static let integerScales: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `m / 10^places` in fixed notation without trailing zeros.
    private static func appendScaled(_ m: Int64, places: Int, negative: Bool, to out: inout [UInt8]) {
        let whole = m / integerScales[places]
        var fraction = m % integerScales[places]
        var digits = places
        while digits > 0, fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        if negative { out.append(UInt8(ascii: "-")) }
        if digits == 0 { appendInteger(whole, to: &out); return }
        appendInteger(whole, to: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(Int(fraction), width: digits, to: &out)
    }

    @inline(__always)
    static func appendInteger(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var v = n.magnitude
        if v < 10 { out.append(UInt8(truncatingIfNeeded: v) + 0x30); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while v > 0 { p[23 - count] = UInt8(truncatingIfNeeded: v % 10) + 0x30; v /= 10; count += 1 }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[(24 - count)...]))
        }
    }

    /// `%0Nd` of a non-negative number.
    @inline(__always)
    static func appendPadded(_ n: Int, width: Int, to out: inout [UInt8]) {
        var digits = 1, m = n
        while m >= 10 { m /= 10; digits += 1 }
        if digits < width { for _ in 0..<(width - digits) { out.append(UInt8(ascii: "0")) } }
        appendInteger(Int64(n), to: &out)
    }

    /// C's own `%.15g`, the reference the fast path is tested against.
    public static func printf15g(_ d: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 40)
        let n = buffer.withUnsafeMutableBufferPointer { p in
            withVaList([d]) { vsnprintf(p.baseAddress!, 40, "%.15g", $0) }
        }
        return String(decoding: buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension ExcelDateTime {
    /// The bytes of `isoText`.
    public func appendISO(to out: inout [UInt8]) {
        if !isTimeOnly {
            if year < 0 { out.append(UInt8(ascii: "-")) }
            NumberText.appendPadded(abs(year), width: 4, to: &out)
            out.append(UInt8(ascii: "-"))
            NumberText.appendPadded(month, width: 2, to: &out)
            out.append(UInt8(ascii: "-"))
            NumberText.appendPadded(day, width: 2, to: &out)
            if !hasTime { return }
            out.append(UInt8(ascii: "T"))
        }
        NumberText.appendPadded(hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        NumberText.appendPadded(minute, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        NumberText.appendPadded(second, width: 2, to: &out)
    }

    /// The bytes of `durationText`.
    public static func appendDuration(days: Double, to out: inout [UInt8]) {
        let seconds = (abs(days) * 86_400).rounded()
        // Beyond any real elapsed time (and beyond Int): the number as it is.
        guard seconds < 1e15 else { NumberText.append(days, to: &out); return }
        let total = Int(seconds)
        if days < 0 { out.append(UInt8(ascii: "-")) }
        NumberText.appendInteger(Int64(total / 3600), to: &out)
        out.append(UInt8(ascii: ":"))
        NumberText.appendPadded(total / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        NumberText.appendPadded(total % 60, width: 2, to: &out)
    }
}

extension CellValue {
    /// The bytes of `displayText`, appended.
    public func appendDisplayText(to out: inout [UInt8]) {
        switch self {
        case .empty: return
        case .number(let d): NumberText.append(d, to: &out)
        case .text(let s): out.append(contentsOf: s.utf8)
        case .bool(let b): out.append(contentsOf: (b ? "TRUE" : "FALSE").utf8)
        case .dateTime(let dt): dt.appendISO(to: &out)
        case .duration(let days): ExcelDateTime.appendDuration(days: days, to: &out)
        case .error(let e): out.append(contentsOf: e.utf8)
        }
    }
}
