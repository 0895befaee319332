// The numbers of `<v>` elements: plain decimals the fast way, everything else through strtod.
// Any byte string is safe here: nothing accumulates past what a 64-bit integer holds.
import Foundation

public enum DecimalParsing {
    /// Powers of ten up to 10^15, each exact in a double; a switch, not a table, so that the
    /// hot path reads no lazily initialised global.
    @inline(__always)
    static func exactPower(_ k: Int) -> Double {
        switch k {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        default: return 1e15
        }
    }

    /// Plain decimals (`-123.45`, up to 15 significant digits, no exponent) the fast way: an
    /// exact integer divided by an exact power of ten rounds correctly (Clinger's fast path).
    /// Declines (nil) anything else, including longer digit strings.
    @inline(__always)
    public static func fastDecimal(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        guard let base = t.base.baseAddress else { return nil }
        return fastDecimal(base, from: t.startIndex, to: t.endIndex)
    }

    /// The same on `base[from..<to]`. Digits accumulate with wrapping arithmetic and are
    /// counted; more than 15 declines, so a wrapped value is never used.
    @inline(__always)
    static func fastDecimal(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Double? {
        var i = from
        guard i < end else { return nil }
        let negative = base[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        let intStart = i
        while i < end {
            let d = base[i] &- 0x30
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - intStart
        var fraction = 0
        if i < end, base[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < end {
                let d = base[i] &- 0x30
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            fraction = i - fractionStart
            digits += fraction
        }
        guard i == end, digits > 0, digits <= 15 else { return nil }
        let d = Double(mantissa) / exactPower(fraction)
        return negative ? -d : d
    }

    /// A `<v>` number: surrounding white space ignored; decimal digits, one point, an optional
    /// sign and exponent. Nil for anything else (hex, `inf`, `nan`, stray letters) and for a
    /// value a double cannot hold. Never traps, whatever the length.
    @inline(__always)
    public static func parseDouble(_ v: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = v.baseAddress else { return nil }
        var s = 0, e = v.count
        while s < e, base[s] <= 0x20 { s += 1 }
        while e > s, base[e - 1] <= 0x20 { e -= 1 }
        guard s < e else { return nil }
        if let d = fastDecimal(base, from: s, to: e) { return d }
        return slowDouble(v[s..<e])
    }

    /// Everything the fast path declines, trimmed: kept out of line.
    @inline(never)
    static func slowDouble(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
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
