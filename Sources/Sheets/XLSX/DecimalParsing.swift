// The numbers of `<v>` elements: plain decimals the fast way, everything else through strtod.
// Any byte string is safe here: nothing accumulates past what a 64-bit integer holds.
import Foundation

public enum DecimalParsing {
    /// Powers of ten that a double holds exactly.
    static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// Plain decimals (`-123.45`, up to 15 significant digits, no exponent) the fast way: an
    /// exact integer divided by an exact power of ten rounds correctly (Clinger's fast path).
    /// Declines (nil) anything else, including longer digit strings, before accumulating
    /// a digit that would not fit.
    @inline(__always)
    public static func fastDecimal(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var i = t.startIndex
        guard i < t.endIndex else { return nil }
        var negative = false
        if t[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false
        while i < t.endIndex {
            let b = t[i]
            if b >= 0x30 && b <= 0x39 {
                // 15 digits always fit (and a double holds them exactly); stop before the 16th.
                digits += 1
                if digits > 15 { return nil }
                mantissa = mantissa &* 10 &+ UInt64(b &- 0x30)
                if seenPoint { fraction += 1 }
            } else if b == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let d = Double(mantissa) / exactPowers[fraction]
        return negative ? -d : d
    }

    /// A `<v>` number: surrounding white space ignored; decimal digits, one point, an optional
    /// sign and exponent. Nil for anything else (hex, `inf`, `nan`, stray letters) and for a
    /// value a double cannot hold. Never traps, whatever the length.
    public static func parseDouble(_ v: UnsafeBufferPointer<UInt8>) -> Double? {
        let t = WorksheetHandler.trim(v)
        guard !t.isEmpty else { return nil }
        if let d = fastDecimal(t) { return d }
        // Only what a decimal number is made of reaches strtod (no hex floats, no `inf`).
        var sawDigit = false
        for b in t {
            switch b {
            case 0x30...0x39: sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"): break
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: t.count + 1) { p -> Double? in
            var n = 0
            for b in t { p[n] = CChar(bitPattern: b); n += 1 }
            p[n] = 0
            var end: UnsafeMutablePointer<CChar>?
            let d = strtod(p.baseAddress!, &end)
            guard let end, end - p.baseAddress! == n, d.isFinite else { return nil }
            return d
        }
    }
}
