// The two font encodings Vietnamese offices typed in before Unicode, byte for byte.
// TCVN3 (ABC; fonts .VnTime, .VnArial): one byte per letter, lowercase toned letters at
// 0xA1–0xFF. VNI (VNI-Times): a base letter followed by bytes for its mark and tone
// ("Khaùnh" is "Khánh"). Excel keeps such text as the Windows-1252 characters of the bytes,
// and a CSV saved from it holds the bytes themselves; both are decoded here.
import Foundation

public enum LegacyVietnamese {
    public enum Encoding: String, Sendable, CaseIterable {
        case tcvn3 = "TCVN3"
        case vni = "VNI"

        /// The name a clerk knows it by: the encoding and its fonts.
        public var displayName: String {
            switch self {
            case .tcvn3: return "TCVN3 (.VnTime)"
            case .vni: return "VNI (VNI-Times)"
            }
        }
    }

    /// Decodes legacy bytes to NFC text. Every byte maps to a character: nothing is lost.
    public static func decode<C: RandomAccessCollection>(_ bytes: C, as encoding: Encoding) -> String where C.Element == UInt8, C.Index == Int {
        decode(bytes, as: encoding, normalize: true)
    }

    /// `normalize: false` leaves tones that TCVN3 writes as combining bytes uncomposed, for a
    /// caller that normalises piece by piece (the CSV reader, field by field).
    static func decode<C: RandomAccessCollection>(_ bytes: C, as encoding: Encoding, normalize: Bool) -> String where C.Element == UInt8, C.Index == Int {
        let s: String
        switch encoding {
        case .tcvn3: s = decodeTCVN3(bytes)
        case .vni: s = decodeVNI(bytes)
        }
        return normalize ? s.precomposedStringWithCanonicalMapping : s
    }

    /// Text that holds legacy bytes as Windows-1252 characters (as Excel stores it), decoded;
    /// nil when a character is not one of Windows-1252's, so the text cannot be legacy.
    public static func reinterpret(_ text: String, as encoding: Encoding) -> String? {
        guard let b = windows1252Bytes(text) else { return nil }
        return decode(b, as: encoding)
    }

    /// Unicode text as the legacy bytes a font of that encoding would hold; nil when a
    /// character has no legacy spelling.
    public static func encode(_ text: String, as encoding: Encoding) -> [UInt8]? {
        switch encoding {
        case .tcvn3: return encodeTCVN3(text)
        case .vni: return encodeVNI(text)
        }
    }

    // MARK: Windows-1252

    /// Bytes 0x80–0x9F of Windows-1252; the five it leaves unassigned pass through as C1 controls.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
    static let windows1252Reverse: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for (i, u) in windows1252High.enumerated() { m[UInt32(u)] = UInt8(0x80 + i) }
        return m
    }()

    /// The Windows-1252 byte of a character, or nil when the code page has none for it.
    static func windows1252Byte(_ s: Unicode.Scalar) -> UInt8? {
        s.value < 0x80 || (0xA0...0xFF).contains(s.value) ? UInt8(s.value) : windows1252Reverse[s.value]
    }

    /// Whether Windows-1252 has a byte for a character.
    public static func isWindows1252(_ s: Unicode.Scalar) -> Bool { windows1252Byte(s) != nil }

    /// The Windows-1252 bytes of a text, or nil when it holds a character outside the code page.
    public static func windows1252Bytes(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            guard let b = windows1252Byte(s) else { return nil }
            out.append(b)
        }
        return out
    }

    /// Bytes as Windows-1252 shows them: how a legacy text looks without its font.
    public static func windows1252Text<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var v = String.UnicodeScalarView()
        for b in bytes {
            let u = b >= 0x80 && b < 0xA0 ? UInt32(windows1252High[Int(b) - 0x80]) : UInt32(b)
            v.append(Unicode.Scalar(u)!)
        }
        return String(v)
    }

    // MARK: TCVN3

    /// Bytes 0x80–0xFF of TCVN3, as glibc's TCVN5712-1 charset reads them: the .VnTime
    /// letters at 0xA1–0xFF, the capitals that only the full standard has elsewhere, and the
    /// five combining tones at 0xB0–0xB4.
    static let tcvn3High: [UInt16] = [
        0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
        0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
        0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
        0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
        0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,
        0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
        0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
        0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
        0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
        0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
        0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
        0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
        0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
    ]
    static let tcvn3Reverse: [UInt32: UInt8] = {
        var m: [UInt32: UInt8] = [:]
        for (i, u) in tcvn3High.enumerated() where !(0x0300...0x0323).contains(u) { m[UInt32(u)] = UInt8(0x80 + i) }
        return m
    }()

    static func decodeTCVN3<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var v = String.UnicodeScalarView()
        for b in bytes {
            v.append(Unicode.Scalar(b < 0x80 ? UInt32(b) : UInt32(tcvn3High[Int(b) - 0x80]))!)
        }
        return String(v)
    }

    static func encodeTCVN3(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for s in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            if s.value < 0x80 { out.append(UInt8(s.value)); continue }
            guard let b = tcvn3Reverse[s.value] else { return nil }
            out.append(b)
        }
        return out
    }

    // MARK: VNI

    /// VNI's tone bytes after a vowel (lowercase; the capital forms are the same letters upper-cased).
    static let vniTones: [UInt8: Unicode.Scalar] = [0xF9: "\u{301}", 0xF8: "\u{300}", 0xFB: "\u{309}", 0xF5: "\u{303}", 0xEF: "\u{323}"]
    /// After a, e or o: the circumflex, alone or with a tone.
    static let vniCircumflex: [UInt8: Unicode.Scalar?] = [0xE2: nil, 0xE1: "\u{301}", 0xE0: "\u{300}", 0xE5: "\u{309}", 0xE3: "\u{303}", 0xE4: "\u{323}"]
    /// After a: the breve, alone or with a tone.
    static let vniBreve: [UInt8: Unicode.Scalar?] = [0xEA: nil, 0xE9: "\u{301}", 0xE8: "\u{300}", 0xFA: "\u{309}", 0xFC: "\u{303}", 0xEB: "\u{323}"]
    /// Letters VNI writes as one byte: ơ ư đ and the toned i, and ỵ.
    static let vniLetters: [UInt8: String] = [0xF4: "ơ", 0xF6: "ư", 0xF1: "đ", 0xED: "í", 0xEC: "ì", 0xE6: "ỉ", 0xF3: "ĩ", 0xF2: "ị", 0xEE: "ỵ"]

    /// Latin-1 letters come in case pairs 0x20 apart; VNI's capital marks are the capitals
    /// of its lowercase marks.
    static func lower(_ b: UInt8) -> UInt8 {
        if (0x41...0x5A).contains(b) || ((0xC0...0xDE).contains(b) && b != 0xD7) { return b + 0x20 }
        return b
    }

    static func decodeVNI<C: RandomAccessCollection>(_ bytes: C) -> String where C.Element == UInt8, C.Index == Int {
        var out = String.UnicodeScalarView()
        func append(_ b: UInt8) {
            let u = b >= 0x80 && b < 0xA0 ? UInt32(windows1252High[Int(b) - 0x80]) : UInt32(b)
            out.append(Unicode.Scalar(u)!)
        }
        func appendText(_ s: String, upper: Bool) {
            out.append(contentsOf: (upper ? s.uppercased() : s).unicodeScalars)
        }
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let c = bytes[i]
            let l = lower(c)
            let upper = l != c
            if let letter = vniLetters[l] {
                appendText(letter, upper: upper)
                i += 1
                if (l == 0xF4 || l == 0xF6), i < end, let t = vniTones[lower(bytes[i])] {
                    out.append(t)
                    i += 1
                }
                continue
            }
            if [0x61, 0x65, 0x69, 0x6F, 0x75, 0x79].contains(l), i + 1 < end {
                let m = lower(bytes[i + 1])
                var mark: Unicode.Scalar?
                var tone: Unicode.Scalar?
                if l == 0x61, let t = vniBreve[m] { mark = "\u{306}"; tone = t }
                else if [0x61, 0x65, 0x6F].contains(l), let t = vniCircumflex[m] { mark = "\u{302}"; tone = t }
                else if let t = vniTones[m] { tone = t }
                if mark != nil || tone != nil {
                    append(c)
                    if let mark { out.append(mark) }
                    i += 2
                    if mark != nil, tone == nil, i < end, let t = vniTones[lower(bytes[i])] {
                        tone = t
                        i += 1
                    }
                    if let tone { out.append(tone) }
                    continue
                }
            }
            append(c)
            i += 1
        }
        return String(out)
    }

    static func encodeVNI(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        let toneByte: [UInt32: UInt8] = [0x301: 0xF9, 0x300: 0xF8, 0x309: 0xFB, 0x303: 0xF5, 0x323: 0xEF]
        let circumflexByte: [UInt32: UInt8] = [0: 0xE2, 0x301: 0xE1, 0x300: 0xE0, 0x309: 0xE5, 0x303: 0xE3, 0x323: 0xE4]
        let breveByte: [UInt32: UInt8] = [0: 0xEA, 0x301: 0xE9, 0x300: 0xE8, 0x309: 0xFA, 0x303: 0xFC, 0x323: 0xEB]
        let iByte: [UInt32: UInt8] = [0x301: 0xED, 0x300: 0xEC, 0x309: 0xE6, 0x303: 0xF3, 0x323: 0xF2]
        for ch in text.precomposedStringWithCanonicalMapping {
            let scalars = Array(String(ch).decomposedStringWithCanonicalMapping.unicodeScalars)
            guard let base = scalars.first else { continue }
            let marks = scalars.dropFirst().map(\.value)
            let upper = String(base).uppercased() == String(base) && String(base).lowercased() != String(base)
            func cased(_ b: UInt8) -> UInt8 { upper && b >= 0xE0 && b != 0xF7 ? b - 0x20 : b }
            if base.value < 0x80 && marks.isEmpty { out.append(UInt8(base.value)); continue }
            if ch == "đ" || ch == "Đ" { out.append(cased(0xF1)); continue }
            guard base.value < 0x80 else {
                // Latin-1 letters VNI has no mark for (ç, ñ…) keep their byte when they have one.
                guard scalars.count == 1, let b = windows1252Bytes(String(ch)), b.count == 1, b[0] >= 0xA0 else { return nil }
                out.append(b[0])
                continue
            }
            let tone = marks.first { toneByte[$0] != nil }
            let shape = marks.first { $0 == 0x302 || $0 == 0x306 || $0 == 0x31B }
            guard marks.count == (tone == nil ? 0 : 1) + (shape == nil ? 0 : 1) else { return nil }
            let b = UInt8(base.value)
            switch (b | 0x20, shape) {
            case (0x6F, 0x31B?), (0x75, 0x31B?):
                out.append(cased(b | 0x20 == 0x6F ? 0xF4 : 0xF6))
                if let tone { out.append(cased(toneByte[tone]!)) }
            case (_, 0x302?):
                guard [0x61, 0x65, 0x6F].contains(b | 0x20) else { return nil }
                out.append(b); out.append(cased(circumflexByte[tone ?? 0]!))
            case (0x61, 0x306?):
                out.append(b); out.append(cased(breveByte[tone ?? 0]!))
            case (0x69, nil):
                out.append(cased(iByte[tone!]!))
            case (0x79, nil) where tone == 0x323:
                out.append(cased(0xEE))
            case (_, nil):
                guard [0x61, 0x65, 0x6F, 0x75, 0x79].contains(b | 0x20) else { return nil }
                out.append(b); out.append(cased(toneByte[tone!]!))
            default:
                return nil
            }
        }
        return out
    }
}
