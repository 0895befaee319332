import Foundation
import Testing
@testable import Sheets

/// TCVN3 bytes through glibc's iconv (charset "TCVN"), independent of the decoder's own table.
func iconvTCVN3(_ s: String) -> [UInt8]? {
    let cd = iconv_open("TCVN", "UTF-8")
    guard cd != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(cd) }
    var input = Array(s.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 8)
    let n = input.withUnsafeMutableBufferPointer { i in
        output.withUnsafeMutableBufferPointer { o -> Int? in
            var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress!).assumingMemoryBound(to: CChar.self)
            var il = i.count
            var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
            var ol = o.count
            guard iconv(cd, &ip, &il, &op, &ol) != -1 else { return nil }
            return o.count - ol
        }
    }
    return n.map { Array(output[0..<$0]) }
}

@Suite struct LegacyVietnameseTests {
    @Test func bytesFromTheIssueDecode() {
        // TCVN3 "Phước Tiến" and VNI "Cam Bình", as a CSV holds them.
        #expect(LegacyVietnamese.decode([0x50, 0x68, 0xAD, 0xED, 0x63, 0x20, 0x54, 0x69, 0xD5, 0x6E], as: .tcvn3) == "Phước Tiến")
        #expect(LegacyVietnamese.decode([0x43, 0x61, 0x6D, 0x20, 0x42, 0xEC, 0x6E, 0x68], as: .vni) == "Cam Bình")
        #expect(LegacyVietnamese.reinterpret("Khaùnh Ñoâng", as: .vni) == "Khánh Đông")
        #expect(LegacyVietnamese.reinterpret("Vónh Haûi", as: .vni) == "Vĩnh Hải")
        #expect(LegacyVietnamese.reinterpret("Ninh Thuûy", as: .vni) == "Ninh Thủy")
        #expect(LegacyVietnamese.reinterpret("Ngäc HiÖp", as: .tcvn3) == "Ngọc Hiệp")
        #expect(LegacyVietnamese.reinterpret("Diªn Kh¸nh", as: .tcvn3) == "Diên Khánh")
        #expect(LegacyVietnamese.reinterpret("HOÄI LIEÂN HIEÄP PHUÏ NÖÕ", as: .vni) == "HỘI LIÊN HIỆP PHỤ NỮ")
        // A text with a character Windows-1252 lacks cannot be legacy.
        #expect(LegacyVietnamese.reinterpret("Khánh Hiệp", as: .tcvn3) == nil)
    }

    @Test func encodersAgreeWithIconvAndRoundTrip() throws {
        let words = ["Phước Tiến", "Ngọc Hiệp", "Vĩnh Nguyên", "Cam Phúc Bắc", "Đại Lãnh", "Ninh Ích", "Số hộ còn dư nợ",
                     "Tổng dư nợ ủy thác", "Người lập biểu", "Khánh Hòa", "Thượng", "Hữu", "Lượng"]
        for w in words {
            let t = try #require(LegacyVietnamese.encode(w, as: .tcvn3))
            #expect(t == iconvTCVN3(w), "\(w)")
            #expect(LegacyVietnamese.decode(t, as: .tcvn3) == w)
            let v = try #require(LegacyVietnamese.encode(w, as: .vni))
            #expect(LegacyVietnamese.decode(v, as: .vni) == w, "\(w)")
        }
        #expect(LegacyVietnamese.encode("Phước", as: .vni).map(LegacyVietnamese.windows1252Text) == "Phöôùc")
        #expect(LegacyVietnamese.encode("Đông", as: .vni).map(LegacyVietnamese.windows1252Text) == "Ñoâng")
    }

    @Test func syllables() {
        for w in ["Khánh", "Hòa", "nghiêng", "Quốc", "giữa", "ĐƯỜNG", "Ðông", "khuỷu", "Thuỷ", "Thủy", "rượu"] {
            #expect(VietnameseScore.isSyllable(w), "\(w)")
        }
        for w in ["Kh¸nh", "Hßa", "Diªn", "HiƯp", "Vúnh", "Haỷi", "B́nh", "Ph­íc", "Khổnh", "bac", "hoàc", "TiƠn"] {
            #expect(!VietnameseScore.isSyllable(w), "\(w)")
        }
    }

    func csv(_ bytes: [UInt8]) throws -> CSVSheet {
        try bytes.withUnsafeBytes { try CSVSheet(bytes: $0, name: "t") }
    }

    func texts(_ sheet: CSVSheet) throws -> [String] {
        try sheet.loadSheet(1).rows.flatMap { $0.cells.map(\.value.displayText) }
    }

    @Test func csvBytesInEachLegacyEncodingAreChosenByScore() throws {
        let names = ["Phước Tiến", "Cam Bình", "Ngọc Hiệp", "Cam Hòa", "Diên Khánh", "Vĩnh Hải", "Ninh Thủy"]
        let text = "Xã;Số hộ\n" + names.map { "\($0);12" }.joined(separator: "\n") + "\n"
        for e in LegacyVietnamese.Encoding.allCases {
            let sheet = try csv(try #require(LegacyVietnamese.encode(text, as: e)))
            #expect(sheet.encoding.legacy == e)
            #expect(try texts(sheet) == ["Xã", "Số hộ"] + names.flatMap { [$0, "12"] })
        }
        // Windows-1258 stays Windows-1258.
        // Windows-1258 writes a tone as a combining byte after its letter: ò is o, 0xCC.
        let cp1258: [UInt8] = Array("Cam Ho".utf8) + [0xCC, 0x61] + Array(";Kha".utf8) + [0xEC] + Array("nh\n".utf8)
        let sheet = try csv(cp1258)
        #expect(sheet.encoding == .windows1258)
        #expect(try texts(sheet) == ["Cam Hòa", "Khánh"])
    }

    @Test func utf8WithAFewStrayBytesIsReportedAsMixed() throws {
        let bytes = Array("Xã;Số hộ\nNinh Hiệp;1\nNinh Ho".utf8) + [0xCC, 0x61] + Array(";2\n".utf8)
        let sheet = try csv(bytes)
        #expect(sheet.encoding == .utf8Mixed)
        #expect(sheet.invalidUTF8 == InvalidUTF8(count: 1, line: 3, readAs: .windows1258, sample: "Hòa"))
        #expect(try texts(sheet) == ["Xã", "Số hộ", "Ninh Hiệp", "1", "Ninh Hòa", "2"])
    }

    @Test func anyBytesDecodeWithoutLossOrCrash() throws {
        // A UTF-16 byte-order mark then an odd number of bytes: refused, saying why.
        #expect(throws: SheetsError.self) { try [UInt8]([0xFF, 0xFE, 0x41, 0x00, 0x42]).withUnsafeBytes { try CSVSheet(bytes: $0, name: "t") } }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<40, using: &rng)
            let bytes = (0..<n).map { _ in Bool.random(using: &rng) ? UInt8.random(in: 0x80...0xFF, using: &rng) : UInt8.random(in: 0x20...0x7E, using: &rng) }
            for e in LegacyVietnamese.Encoding.allCases {
                let text = LegacyVietnamese.decode(bytes, as: e)
                // TCVN3 maps byte to character one for one: nothing is lost.
                // (Its five combining tones compose with the letter before them.)
                if e == .tcvn3, !bytes.contains(where: { (0xB0...0xB4).contains($0) }) {
                    #expect(LegacyVietnamese.encode(text, as: .tcvn3) == bytes)
                }
                _ = VietnameseScore().score(text)
                _ = LegacyVietnamese.reinterpret(LegacyVietnamese.windows1252Text(bytes), as: e)
            }
            // Read, or refused with a reason (random bytes may begin with a UTF-16 byte-order
            // mark and then have an odd length): never a crash, never another kind of error.
            do {
                let sheet = try bytes.withUnsafeBytes { try CSVSheet(bytes: $0, name: "t") }
                _ = try sheet.loadSheet(1)
            } catch let e as SheetsError {
                guard case .undecodableText = e.kind else { Issue.record("\(bytes): \(e)"); continue }
            }
        }
    }

    /// A word judged once answers, when asked again, what judging it again says: NFC and NFD
    /// spellings of a word (equal as Swift compares them) each keep their own answer.
    @Test func syllablesAnswerAsJudgedAgain() {
        let words = ["Phú", "phú", "PHÚ", "Hoäi", "tiếng", "tiêng", "xyz", "Phu\u{301}", "nghiêng", "nghie\u{302}\u{300}ng", "Đông"]
        for _ in 0..<2 {
            for w in words { #expect(VietnameseScore.isSyllable(w) == VietnameseScore.judgeSyllable(w), "\(w)") }
        }
    }
}
