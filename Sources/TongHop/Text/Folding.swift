// Text matching as people type Vietnamese: with or without diacritics, NFC or NFD, any case,
// any spacing. Used for unit names, headers, titles and plan keys.
import Foundation

public enum Folding {
    /// ASCII form of a name, for file and folder names: `Khánh Vĩnh` → `Khanh Vinh`.
    public static func ascii(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.replacingOccurrences(of: "Đ", with: "D").replacingOccurrences(of: "đ", with: "d")
            .decomposedStringWithCanonicalMapping.unicodeScalars where !(0x300...0x36F).contains(scalar.value) {
            out.append(scalar)
        }
        return String(out)
    }

    /// The match key of a text: no diacritics (đ → d), lower case, punctuation as spaces,
    /// runs of spaces collapsed. "H. Khánh Vĩnh" and "h khanh vinh" fold alike.
    public static func key(_ s: String) -> String {
        latinKey(s) ?? otherKey(s)
    }

    /// `key` of a text whose letters are all Latin (every Vietnamese text): written straight
    /// into the new string's storage, one byte per letter kept; nil when a letter of another
    /// script needs its own lower case (`otherKey`).
    static func latinKey(_ s: String) -> String? {
        var other = false
        let low = latinBaseLow, high = latinBaseHigh
        let folded = String(unsafeUninitializedCapacity: s.utf8.count) { out -> Int in
            var n = 0
            var lastSpace = true
            for scalar in s.unicodeScalars {
                let v = scalar.value
                var b: UInt8
                if v < 0x80 {
                    b = UInt8(v)
                    switch b {
                    case 0x30...0x39, 0x61...0x7A: break
                    case 0x41...0x5A: b |= 0x20
                    default: b = 0
                    }
                } else if v >= 0x300 && v <= 0x36F {
                    continue  // combining marks: the diacritics of NFD text
                } else {
                    b = v < 0x250 ? low[Int(v)] : v >= 0x1E00 && v <= 0x1EFF ? high[Int(v - 0x1E00)] : 0
                    if b == 0 && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                        other = true
                        return 0
                    }
                }
                if b != 0 {
                    out[n] = b
                    n += 1
                    lastSpace = false
                } else if !lastSpace {
                    out[n] = 0x20
                    n += 1
                    lastSpace = true
                }
            }
            if n > 0 && out[n - 1] == 0x20 { n -= 1 }
            return n
        }
        return other ? nil : folded
    }

    /// `key` of any text, letters of other scripts kept lower-cased as UTF-8.
    static func otherKey(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        var lastSpace = true
        var other = String.UnicodeScalarView()
        func space() {
            if !lastSpace { out.append(0x20); lastSpace = true }
        }
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                switch b {
                case 0x30...0x39, 0x61...0x7A: out.append(b); lastSpace = false
                case 0x41...0x5A: out.append(b | 0x20); lastSpace = false
                default: space()
                }
                continue
            }
            if (0x300...0x36F).contains(v) { continue }  // combining marks: the diacritics of NFD text
            let base = v < 0x250 ? latinBaseLow[Int(v)] : (0x1E00...0x1EFF).contains(v) ? latinBaseHigh[Int(v - 0x1E00)] : 0
            if base != 0 { out.append(base); lastSpace = false; continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                // Other scripts: keep the letter, lower-cased, as UTF-8.
                other.removeAll()
                other.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                out.append(contentsOf: Array(String(other).utf8))
                lastSpace = false
            } else {
                space()
            }
        }
        if out.last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text without leading and trailing white space and line breaks, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` gives it; a text that begins and ends
    /// with a printable ASCII character or a Latin letter (every header and commune name) is
    /// returned as it is without a trip through Foundation.
    public static func trimmed(_ s: String) -> String {
        func plain(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            return (0x21...0x7E).contains(v) || (0xC0...0x24F).contains(v) || (0x1E00...0x1EFF).contains(v)
        }
        let scalars = s.unicodeScalars
        if let first = scalars.first, let last = scalars.last, plain(first), plain(last) { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the text is only white space and line breaks (or nothing), as
    /// `trimmingCharacters(in: .whitespacesAndNewlines).isEmpty` says; a text that begins with
    /// a printable ASCII character or a Latin letter is answered without Foundation.
    public static func isBlank(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return true }
        let v = first.value
        if (0x21...0x7E).contains(v) || (0xC0...0x24F).contains(v) || (0x1E00...0x1EFF).contains(v) { return false }
        return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Latin letters with diacritics (Latin-1 to Latin Extended Additional, where every
    /// Vietnamese letter lives) to their lower-case ASCII base letter. Built once.
    static let latinBase: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [0x110: 0x64, 0x111: 0x64]  // Đ đ
        for range in [0xC0...0x24F, 0x1E00...0x1EFF] {
            for v in range {
                guard let scalar = Unicode.Scalar(UInt32(v)),
                      let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first,
                      base.value < 0x80, base.properties.isAlphabetic else { continue }
                table[UInt32(v)] = UInt8(base.value) | 0x20
            }
        }
        return table
    }()

    /// `latinBase` as arrays (0 where it has nothing): below U+0250, and U+1E00–U+1EFF.
    static let latinBaseLow: [UInt8] = (0..<0x250).map { latinBase[UInt32($0)] ?? 0 }
    static let latinBaseHigh: [UInt8] = (0x1E00...0x1EFF).map { latinBase[UInt32($0)] ?? 0 }

    /// Edit distance between two folded keys (insertions, deletions, substitutions).
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate closest to `text` when it is close enough to be a typing slip:
    /// at most a third of the longer key's length, and never more than 4 edits.
    public static func suggestion(for text: String, among candidates: [String]) -> String? {
        let k = key(text)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(k, key(c))
            let limit = Swift.min(4, Swift.max(1, Swift.max(k.count, key(c).count) / 3))
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}
