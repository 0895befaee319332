// Text matching as people type Vietnamese: with or without diacritics, NFC or NFD, any case,
// any spacing. Used for unit names, headers, titles and plan keys.
import Foundation

public enum Folding {
    /// The match key of a text: no diacritics (đ → d), lower case, punctuation as spaces,
    /// runs of spaces collapsed. "H. Khánh Vĩnh" and "h khanh vinh" fold alike.
    public static func key(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastSpace = true
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            // Combining marks (the diacritics once decomposed) are dropped.
            if (0x300...0x36F).contains(v) { continue }
            var c = scalar
            if v == 0x111 || v == 0x110 { c = "d" }
            if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                for l in c.properties.lowercaseMapping.unicodeScalars { out.append(l) }
                lastSpace = false
            } else if !lastSpace {
                out.append(" ")
                lastSpace = true
            }
        }
        if out.last == " " { out.removeLast() }
        return String(out)
    }

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
