// Text typed with the legacy Vietnamese font encodings that predate Unicode: TCVN3 (ABC,
// fonts .VnTime, .VnArial) and VNI (VNI-Times). Excel keeps the font's bytes as Windows
// characters, so such text arrives as valid Unicode that reads as nonsense ("Hµ Néi",
// "Hoäi"). It is recognised by letters Vietnamese never uses, converted, and reported.
import Foundation

public enum LegacyText {
    /// Letters of Windows-1252 that Vietnamese Unicode text uses; any other Latin-1 letter
    /// in a text without Vietnamese letters beyond Latin-1 points at a legacy encoding.
    static let vietnameseLatin1: Set<Unicode.Scalar> = Set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ".unicodeScalars)
    /// VNI's mark characters that are not Vietnamese letters themselves.
    static let vniMarks: Set<Unicode.Scalar> = Set("øïñöüëäåæîØÏÑÖÜËÄÅÆÎ".unicodeScalars)

    /// The text converted when it is in a legacy encoding, and the encoding's name.
    public static func check(_ s: String) -> (text: String, legacy: String?) {
        let scalars = Array(s.unicodeScalars)
        guard scalars.allSatisfy({ $0.value < 0x100 || windows1252Reverse[$0.value] != nil }) else { return (s, nil) }
        let odd = scalars.filter { $0.value >= 0x80 && !vietnameseLatin1.contains($0) }
        guard !odd.isEmpty else { return (s, nil) }
        // TCVN3 writes its most common letters (á à ả ã ạ, đ…) at 0xA1–0xBF, which VNI never
        // uses; VNI puts its marks after a base letter and writes Đ as Ñ.
        let tcvnEvidence = odd.contains { (0xA1...0xBF).contains($0.value) }
        let vniEvidence = scalars.enumerated().contains { i, c in
            guard vniMarks.contains(c) else { return false }
            if c == "Ñ" || c == "ñ" { return i == 0 || !scalars[i - 1].properties.isAlphabetic }
            return i > 0 && scalars[i - 1].properties.isAlphabetic && scalars[i - 1].value < 0x80
        }
        if vniEvidence && !tcvnEvidence, let v = fromVNI(scalars), v != s {
            return (v, "VNI")
        }
        if let t = fromTCVN3(scalars), t != s, t.unicodeScalars.contains(where: { $0.value >= 0x100 }) {
            return (t, "TCVN3")
        }
        return (s, nil)
    }

    /// Windows-1252's characters at 0x80–0x9F, back to their byte.
    static let windows1252Reverse: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    static func bytes(_ scalars: [Unicode.Scalar]) -> [UInt8] {
        scalars.map { $0.value < 0x100 ? UInt8($0.value) : windows1252Reverse[$0.value]! }
    }

    /// TCVN3 through glibc's iconv (charset "TCVN").
    static func fromTCVN3(_ scalars: [Unicode.Scalar]) -> String? {
        var input = bytes(scalars)
        let cd = iconv_open("UTF-8", "TCVN")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let ok = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
            output.withUnsafeMutableBufferPointer { outBuf -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
                // The decoder holds back a letter that a combining tone could still follow.
                guard iconv(cd, nil, nil, &outPtr, &outLeft) != -1 else { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let n = ok else { return nil }
        return String(decoding: output[0..<n], as: UTF8.self).precomposedStringWithCanonicalMapping
    }

    /// VNI-Windows: a base letter followed by mark characters for its diacritics and tone.
    static func fromVNI(_ scalars: [Unicode.Scalar]) -> String? {
        enum Mod { case circumflex, breve }
        let tones: [Character: Unicode.Scalar] = ["ù": "\u{301}", "ø": "\u{300}", "û": "\u{309}", "õ": "\u{303}", "ï": "\u{323}"]
        let circumflexTone: [Character: Unicode.Scalar?] = ["â": nil, "á": "\u{301}", "à": "\u{300}", "å": "\u{309}", "ã": "\u{303}", "ä": "\u{323}"]
        let breveTone: [Character: Unicode.Scalar?] = ["ê": nil, "é": "\u{301}", "è": "\u{300}", "ú": "\u{309}", "ü": "\u{303}", "ë": "\u{323}"]
        let letters: [Character: String] = ["ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"]
        let chars = scalars.map { Character($0) }
        var out = ""
        var i = 0
        func lower(_ c: Character) -> Character { Character(c.lowercased()) }
        while i < chars.count {
            let c = chars[i]
            let l = lower(c)
            let upper = c.isUppercase
            if let letter = letters[l] {
                var s = upper ? letter.uppercased() : letter
                i += 1
                if (l == "ô" || l == "ö"), i < chars.count, let t = tones[lower(chars[i])] {
                    s = String(String.UnicodeScalarView(s.unicodeScalars + [t]))
                    i += 1
                }
                out += s
                continue
            }
            if "aeiouy".contains(l), i + 1 < chars.count {
                let m = lower(chars[i + 1])
                var mod: Mod?
                var tone: Unicode.Scalar?
                if l == "a", let t = breveTone[m] { mod = .breve; tone = t }
                else if "aeo".contains(l), let t = circumflexTone[m] { mod = .circumflex; tone = t }
                else if let t = tones[m] { tone = t }
                if mod != nil || tone != nil {
                    var s = String(c).unicodeScalars.map { $0 }
                    if let mod { s.append(mod == .circumflex ? "\u{302}" : "\u{306}") }
                    i += 2
                    if mod != nil, tone == nil, i < chars.count, let t = tones[lower(chars[i])] {
                        tone = t
                        i += 1
                    }
                    if let tone { s.append(tone) }
                    out += String(String.UnicodeScalarView(s))
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out.precomposedStringWithCanonicalMapping
    }
}
