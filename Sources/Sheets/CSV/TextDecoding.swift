// Turning the bytes of a text file into NFC text: BOMs, UTF-16, and for files that are not
// valid UTF-8 the legacy encoding their bytes read best in — Windows-1258 (what Excel's "CSV"
// writes on a Vietnamese Windows), or the TCVN3 and VNI bytes of the old Vietnamese fonts.
import Foundation

public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case windows1258 = "Windows-1258"
    case tcvn3 = "TCVN3"
    case vni = "VNI"
    /// UTF-8 with a few bytes that are not: those read in the legacy encoding that fits them.
    case utf8Mixed = "UTF-8 (mixed)"

    /// The legacy font encoding, for TCVN3 and VNI.
    public var legacy: LegacyVietnamese.Encoding? {
        switch self {
        case .tcvn3: return .tcvn3
        case .vni: return .vni
        default: return nil
        }
    }
}

/// Bytes of a mostly UTF-8 file that are not UTF-8, and how they were read.
public struct InvalidUTF8: Sendable, Equatable {
    /// How many bytes.
    public var count: Int
    /// The line of the first one (1-based).
    public var line: Int
    /// The encoding they were read in.
    public var readAs: TextEncoding
    /// The word around the first one, as read.
    public var sample: String
}

enum TextDecoding {
    /// How much of a legacy file is scored to choose its encoding.
    static let sampleBytes = 256 * 1024

    /// Decodes with the first encoding that fits: a BOM decides; else valid UTF-8; else UTF-8
    /// with a few stray bytes (those read in the legacy encoding that scores best); else the
    /// legacy encoding — Windows-1258, TCVN3 or VNI — whose text `score` finds most
    /// Vietnamese (Windows-1258 on a tie). Every byte maps to a character in each of them.
    /// The text is not yet NFC: the CSV reader normalises field by field (tone marks that
    /// Windows-1258 writes as combining characters are composed there), which is far
    /// cheaper than one huge string.
    static func decode(_ bytes: UnsafeRawBufferPointer, score: VietnameseScore = VietnameseScore()) throws -> (String, TextEncoding, InvalidUTF8?) {
        let b = bytes.bindMemory(to: UInt8.self)
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            let body = UnsafeBufferPointer(rebasing: b[3...])
            guard let s = String(validating: body, as: UTF8.self) else {
                throw SheetsError(.undecodableText("the file starts with a UTF-8 BOM but is not valid UTF-8"))
            }
            return (s, .utf8BOM, nil)
        }
        if b.count >= 2, (b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) {
            let little = b[0] == 0xFF
            return (try decodeUTF16(UnsafeBufferPointer(rebasing: b[2...]), little: little),
                    little ? .utf16LE : .utf16BE, nil)
        }
        if let s = String(validating: b, as: UTF8.self) {
            return (s, .utf8, nil)
        }
        let legacy: [TextEncoding] = [.windows1258, .tcvn3, .vni]
        let scan = scanUTF8(b)
        // The sample ends at a line break, so that no word is cut.
        var end = min(b.count, sampleBytes)
        if end < b.count, let nl = b[..<end].lastIndex(where: { $0 == 0x0A || $0 == 0x0D }), nl > 0 { end = nl }
        let sample = UnsafeBufferPointer(rebasing: b[..<end])
        if scan.multibyte > 0, scan.invalid <= scan.multibyte {
            var chosen = TextEncoding.windows1258
            var bestScore = Int.min
            for e in legacy {
                let s = score.score(mixed(sample, e))
                if s > bestScore { bestScore = s; chosen = e }
            }
            let first = scan.firstInvalid
            var line = 1
            for i in 0..<first where b[i] == 0x0A || (b[i] == 0x0D && (i + 1 >= b.count || b[i + 1] != 0x0A)) { line += 1 }
            let stop: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x3B, 0x22]
            var lo = first, hi = first
            while lo > 0, first - lo < 64, !stop.contains(b[lo - 1]) { lo -= 1 }
            while hi < b.count, hi - first < 64, !stop.contains(b[hi]) { hi += 1 }
            let word = mixed(UnsafeBufferPointer(rebasing: b[lo..<hi]), chosen).precomposedStringWithCanonicalMapping
            return (mixed(b, chosen), .utf8Mixed, InvalidUTF8(count: scan.invalid, line: line, readAs: chosen, sample: word))
        }
        var bestEncoding = TextEncoding.windows1258
        var bestScore = Int.min
        for e in legacy {
            let s = score.score(decodeLegacy(sample, e))
            if s > bestScore { bestScore = s; bestEncoding = e }
        }
        return (decodeLegacy(b, bestEncoding), bestEncoding, nil)
    }

    static func decodeLegacy(_ b: UnsafeBufferPointer<UInt8>, _ e: TextEncoding) -> String {
        switch e {
        case .tcvn3: return LegacyVietnamese.decode(b, as: .tcvn3, normalize: false)
        case .vni: return LegacyVietnamese.decode(b, as: .vni, normalize: false)
        default: return decodeWindows1258(b)
        }
    }

    /// The length of the well-formed UTF-8 sequence at `i`, or 0 when the byte there starts none.
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        func cont(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { j < b.count && range.contains(b[j]) }
        switch b[i] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return cont(i + 1, 0xA0...0xBF) && cont(i + 2) ? 3 : 0
        case 0xED: return cont(i + 1, 0x80...0x9F) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xF0: return cont(i + 1, 0x90...0xBF) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return cont(i + 1, 0x80...0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }

    /// How many bytes are not UTF-8 (and where the first is), and how many well-formed
    /// multi-byte sequences there are.
    static func scanUTF8(_ b: UnsafeBufferPointer<UInt8>) -> (invalid: Int, multibyte: Int, firstInvalid: Int) {
        var invalid = 0, multibyte = 0, first = -1
        var i = 0
        while i < b.count {
            if b[i] < 0x80 { i += 1; continue }
            let n = sequenceLength(b, at: i)
            if n == 0 {
                if first < 0 { first = i }
                invalid += 1
                i += 1
            } else {
                multibyte += 1
                i += n
            }
        }
        return (invalid, multibyte, first)
    }

    /// UTF-8 text whose stray bytes are read in `e`, each run with the ASCII letters around
    /// it (a VNI mark follows its letter).
    static func mixed(_ b: UnsafeBufferPointer<UInt8>, _ e: TextEncoding) -> String {
        func letter(_ c: UInt8) -> Bool { (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) }
        var out = ""
        var start = 0  // first byte not yet written
        var i = 0
        while i < b.count {
            if b[i] < 0x80 { i += 1; continue }
            let n = sequenceLength(b, at: i)
            if n > 0 { i += n; continue }
            // A run of stray bytes, with the letters before and after it.
            var runStart = i
            while runStart > start, letter(b[runStart - 1]) { runStart -= 1 }
            var runEnd = i + 1
            while runEnd < b.count, letter(b[runEnd]) || (b[runEnd] >= 0x80 && sequenceLength(b, at: runEnd) == 0) { runEnd += 1 }
            out += String(decoding: UnsafeBufferPointer(rebasing: b[start..<runStart]), as: UTF8.self)
            out += decodeLegacy(UnsafeBufferPointer(rebasing: b[runStart..<runEnd]), e)
            start = runEnd
            i = runEnd
        }
        out += String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self)
        return out
    }

    static func decodeUTF16(_ b: UnsafeBufferPointer<UInt8>, little: Bool) throws -> String {
        guard b.count % 2 == 0 else {
            throw SheetsError(.undecodableText("UTF-16 text with an odd number of bytes"))
        }
        var units = [UInt16]()
        units.reserveCapacity(b.count / 2)
        var i = 0
        while i + 1 < b.count {
            units.append(little ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : UInt16(b[i]) << 8 | UInt16(b[i + 1]))
            i += 2
        }
        guard let s = String(validating: units, as: UTF16.self) else {
            throw SheetsError(.undecodableText("invalid UTF-16 (unpaired surrogate)"))
        }
        return s
    }

    static func decodeWindows1258(_ b: UnsafeBufferPointer<UInt8>) -> String {
        var utf8 = [UInt8]()
        utf8.reserveCapacity(b.count + b.count / 4)
        for byte in b {
            if byte < 0x80 { utf8.append(byte); continue }
            let code = UInt32(windows1258High[Int(byte) - 0x80])
            if code < 0x800 {
                utf8.append(UInt8(0xC0 | code >> 6)); utf8.append(UInt8(0x80 | code & 0x3F))
            } else {
                utf8.append(UInt8(0xE0 | code >> 12)); utf8.append(UInt8(0x80 | code >> 6 & 0x3F))
                utf8.append(UInt8(0x80 | code & 0x3F))
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Bytes 0x80–0xFF of Windows-1258; the five unassigned bytes pass through as C1 controls,
    /// as Windows itself decodes them.
    static let windows1258High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x008A, 0x2039, 0x0152, 0x008D, 0x008E, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x009A, 0x203A, 0x0153, 0x009D, 0x009E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
    ]
}
