// How Vietnamese a text reads: every word that holds a letter beyond ASCII must be a
// syllable of the language (an initial, a rhyme from the language's own list, at most one
// tone, and only sắc or nặng on a syllable closed by c, ch, p or t). Used to choose among
// the ways a file's bytes can be decoded; a caller may add words it expects (a plan's
// commune names and form titles), which count twice.
import Foundation

public struct VietnameseScore: Sendable {
    /// Lowercase NFC words that score one more when a decoding produces them.
    public var vocabulary: Set<String>

    public init(vocabulary: Set<String> = []) {
        self.vocabulary = vocabulary
    }

    /// The words of `text` for `vocabulary`: lowercase NFC, split where `score` splits.
    public static func words(_ text: String) -> [String] {
        // Nearly every text is surely NFC already: `NFC.normalize` keeps it as it is.
        split(NFC.normalize(text)).map { $0.lowercased() }
    }

    /// The sum over words holding a non-ASCII character: +1 for a Vietnamese syllable (+1
    /// more in the vocabulary), −1 for anything else; −1 for each control character.
    public func score(_ text: String) -> Int {
        var total = 0
        for w in Self.split(NFC.normalize(text)) {
            guard w.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { continue }
            if Self.isSyllable(w) {
                total += vocabulary.contains(w.lowercased()) ? 2 : 1
            } else {
                total -= 1
            }
        }
        return total
    }

    static func isBreak(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return !(("a"..."z").contains(s) || ("A"..."Z").contains(s)) }
        return s.value == 0xA0 || (0x2000...0x206F).contains(s.value) || s.properties.isWhitespace
    }

    static func split(_ text: String) -> [String] {
        var out: [String] = []
        var word = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isBreak(s) {
                if !word.isEmpty { out.append(String(word)); word = String.UnicodeScalarView() }
            } else {
                word.append(s)
            }
        }
        if !word.isEmpty { out.append(String(word)) }
        return out
    }

    static let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]
    static let initials = ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
                           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]
    static let rhymes: Set<String> = Set("""
        a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
        e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
        i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
        o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
        oe oen oeo oet oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
        u uc ui um un ung up ut ua uân uâng uât uây uê uêch uênh uơ uôc uôi uôm uôn uông uôt
        uy uya uych uyên uyêt uynh uyt uyu ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu
        y yêm yên yêt yêu
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// Words already judged (`isSyllable`): the same names and words come in file after
    /// file. Only words surely in NFC are kept, so that words equal as Swift compares them
    /// (NFC and NFD alike) are the same scalars. Emptied when it grows past a bound.
    final class Judged: @unchecked Sendable {
        private let lock = NSLock()
        private var words: [String: Bool] = [:]

        func answer(_ word: String, _ judge: (String) -> Bool) -> Bool {
            var w = word
            // A syllable is at most 12 letters: longer words are never kept (a file of many
            // long words would fill the worker's memory).
            guard w.utf8.count <= 48, w.withUTF8({ NFC.isSurelyNFC($0) }) else { return judge(word) }
            lock.lock()
            if let known = words[word] { lock.unlock(); return known }
            lock.unlock()
            let answer = judge(word)
            lock.lock()
            if words.count >= 100_000 { words.removeAll() }
            words[word] = answer
            lock.unlock()
            return answer
        }
    }
    static let judged = Judged()

    /// One written Vietnamese syllable, in lower, upper or title case.
    public static func isSyllable(_ word: String) -> Bool {
        judged.answer(word, judgeSyllable)
    }

    static func judgeSyllable(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 12 else { return false }
        // Case: all lower, all upper, or a capital then lower.
        let lower = word.lowercased(), upper = word.uppercased()
        if word != lower && word != upper {
            let first = String(word.prefix(1)), rest = String(word.dropFirst())
            guard first == first.uppercased(), rest == rest.lowercased() else { return false }
        }
        var tone: UInt32?
        var bare = String.UnicodeScalarView()
        for s in lower.decomposedStringWithCanonicalMapping.unicodeScalars {
            if tones.contains(s.value) {
                guard tone == nil else { return false }
                tone = s.value
            } else {
                bare.append(s)
            }
        }
        // ð (Icelandic eth) stands in for đ in text from some converters.
        let letters = String(bare).precomposedStringWithCanonicalMapping.replacingOccurrences(of: "ð", with: "đ")
        guard letters.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || "ăâêôơưđ".unicodeScalars.contains($0) }) else { return false }
        for i in initials where letters.hasPrefix(i) {
            let rhyme = String(letters.dropFirst(i.count))
            guard rhymes.contains(rhyme) else { continue }
            let closed = rhyme.hasSuffix("c") || rhyme.hasSuffix("ch") || rhyme.hasSuffix("p") || rhyme.hasSuffix("t")
            if closed, tone != 0x301, tone != 0x323 { continue }
            return true
        }
        return false
    }
}
