// Validation: which unit, form and period a file is. From its content first (the metadata
// sheet our template writes, or the title rows: "Đơn vị: Hội LHPN huyện Khánh Vĩnh",
// "Kỳ báo cáo: Quý III/2019"), then its folder, then its file name.
import Foundation
import Sheets

public struct Identity: Sendable, Equatable {
    public var unit: ReportingUnit?
    public var form: FormDefinition.ID?
    public var period: Period?

    public init(unit: ReportingUnit? = nil, form: String? = nil, period: Period? = nil) {
        self.unit = unit
        self.form = form
        self.period = period
    }
}

extension FormDefinition {
    public typealias ID = String
}

public enum Identifier {
    static let romans = ["i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4]

    /// The units named in a text, longest name first (so "Khánh Vĩnh" is not read as "Vĩnh").
    public static func units(in text: String, plan: Plan) -> [ReportingUnit] {
        // A folded key has one space between words and none at either end: the run of words
        // start...end is the key from the first's start to the last's end, never built again.
        let key = Folding.key(text)
        let words = Self.words(key)
        let index = plan.unitNameIndex
        var best: [String: (ReportingUnit, Int)] = [:]
        // Every run of up to `longest` words is looked up: linear in the text, whatever the
        // number of units.
        for start in words.indices {
            for end in start..<min(words.count, start + index.longestName) {
                let phrase = String(key[words[start].startIndex..<words[end].endIndex])
                guard index.prefixes.contains(phrase) else { break }
                if let u = index.units[phrase] {
                    let n = phrase.count
                    if (best[u.code]?.1 ?? 0) < n { best[u.code] = (u, n) }
                }
            }
        }
        return best.values.sorted { ($0.1, $1.0.code) > ($1.1, $0.0.code) }.map(\.0)
    }

    /// The words of a folded key, as `split(separator: " ")` gives them: an ASCII key (every
    /// Vietnamese text folds to one) is cut at its space bytes, with no grapheme breaking.
    static func words(_ key: String) -> [Substring] {
        guard key.utf8.allSatisfy({ $0 < 0x80 }) else { return key.split(separator: " ") }
        var out: [Substring] = []
        let bytes = key.utf8
        var start = bytes.startIndex
        var i = start
        while i != bytes.endIndex {
            if bytes[i] == 0x20 {
                if start != i { out.append(key[start..<i]) }
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        if start != bytes.endIndex { out.append(key[start..<bytes.endIndex]) }
        return out
    }

    /// Periods named in a text, most specific first. A month or quarter written without its
    /// year takes `defaultYear`.
    public static func periods(in text: String, defaultYear: Int) -> [Period] {
        let words = Self.words(Folding.key(text))
        var out: [Period] = []
        func year(at i: Int) -> Int? {
            guard i < words.count else { return nil }
            // A word that reads as a number is ASCII digits: its bytes are its characters.
            if words[i] == "nam", i + 1 < words.count, let y = Int(words[i + 1]), words[i + 1].utf8.count == 4 { return y }
            if let y = Int(words[i]), words[i].utf8.count == 4 { return y }
            return nil
        }
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "thang", i + 1 < words.count, let m = Int(words[i + 1]), (1...12).contains(m) {
                if let p = Period(kind: .month, year: year(at: i + 2) ?? defaultYear, index: m) { out.append(p) }
            } else if w.utf8.count >= 2, w.utf8.count <= 3, w.first == "t", let m = Int(w.dropFirst()), (1...12).contains(m), let y = year(at: i + 1) {
                if let p = Period(kind: .month, year: y, index: m) { out.append(p) }
            } else if w == "quy", i + 1 < words.count, let q = romans[String(words[i + 1])] {
                if let p = Period(kind: .quarter, year: year(at: i + 2) ?? defaultYear, index: q) { out.append(p) }
            } else if w.utf8.count == 2, w.first == "q", let q = Int(w.dropFirst()), (1...4).contains(q), let y = year(at: i + 1) {
                if let p = Period(kind: .quarter, year: y, index: q) { out.append(p) }
            } else if w == "6", i + 1 < words.count, words[i + 1] == "thang" {
                let rest = words[(i + 2)...].prefix(3)
                let half = rest.contains("cuoi") ? 2 : 1
                let y = (i + 2..<min(i + 6, words.count)).lazy.compactMap { year(at: $0) }.first ?? defaultYear
                if let p = Period(kind: .halfYear, year: y, index: half) { out.append(p) }
            } else if w == "nam", let y = year(at: i) {
                if let p = Period(kind: .year, year: y, index: 1) { out.append(p) }
            } else if w.utf8.count == 4, let y = Int(w), (2000...2100).contains(y), i + 1 < words.count, words[i + 1].first == "q",
                      let q = Int(words[i + 1].dropFirst()), (1...4).contains(q) {
                if let p = Period(kind: .quarter, year: y, index: q) { out.append(p) }
            }
            i += 1
        }
        return out
    }

    /// The period of `kind` among those named, else nil.
    static func period(of kind: PeriodKind, in periods: [Period]) -> Period? {
        periods.first { $0.kind == kind }
    }

    /// How strongly a text names a form: the length of the longest identifying phrase in it.
    static func formScore(_ text: String, words: [String]) -> Int {
        formScore(hay: " " + Folding.key(text) + " ", folded: words.map(Folding.key))
    }

    /// `formScore` of a text already folded and framed by spaces (`" " + Folding.key(text) + " "`),
    /// for phrases already folded: what scoring one text against every form repeats.
    static func formScore(hay: String, folded words: [String]) -> Int {
        words.filter { contains(hay, " " + $0 + " ") }.map(\.count).max() ?? 0
    }

    /// An identifying phrase as `formScore` looks for it, folded and framed once per plan.
    struct Phrase: Sendable {
        /// `" " + Folding.key(phrase) + " "`.
        var framed: String
        /// The folded phrase's length in characters.
        var length: Int

        init(_ phrase: String) {
            let k = Folding.key(phrase)
            framed = " " + k + " "
            length = k.count
        }
    }

    /// `formScore(hay:folded:)` for phrases framed once (`Phrase`).
    static func formScore(hay: String, phrases: [Phrase]) -> Int {
        var best = 0
        for p in phrases where p.length > best && contains(hay, p.framed) { best = p.length }
        return best
    }

    /// Whether `hay` holds `needle`: folded keys are ASCII, compared as bytes; any other text
    /// as Foundation compares it.
    static func contains(_ hay: String, _ needle: String) -> Bool {
        var hay = hay, needle = needle
        let ascii = hay.withUTF8 { h in needle.withUTF8 { n -> Bool? in
            guard h.allSatisfy({ $0 < 0x80 }), n.allSatisfy({ $0 < 0x80 }) else { return nil }
            if n.isEmpty { return false }
            guard n.count <= h.count else { return false }
            let first = n[0]
            var i = 0
            let last = h.count - n.count
            while i <= last {
                if h[i] == first {
                    var j = 1
                    while j < n.count, h[i + j] == n[j] { j += 1 }
                    if j == n.count { return true }
                }
                i += 1
            }
            return false
        } }
        return ascii ?? hay.contains(needle)
    }
}
