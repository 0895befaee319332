import Foundation
import Sheets
import Testing
import TongHop

/// Files nobody should send, dropped in an inbox beside a valid report: each ends in a clear
/// finding (or is skipped, said why), in bounded time, and the valid report is read as usual.
@Suite(.serialized) struct HostileInputTests {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A minimal workbook whose sheet1.xml (or another part) is replaced.
    static func workbook(sheet: String? = nil, parts extra: [(String, Data)] = [], drop: Set<String> = [],
                         workbookRels: String? = nil) -> [(name: String, data: Data)] {
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(name: String, data: Data)] = [
            ("[Content_Types].xml", Data((header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>").utf8)),
            ("_rels/.rels", Data((header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").utf8)),
            ("xl/workbook.xml", Data((header + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").utf8)),
            ("xl/_rels/workbook.xml.rels", Data((workbookRels ?? (header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")).utf8)),
            ("xl/worksheets/sheet1.xml", Data((sheet ?? (header + "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>")).utf8)),
        ]
        parts.removeAll { drop.contains($0.name) }
        for (n, d) in extra {
            parts.removeAll { $0.name == n }
            parts.append((n, d))
        }
        return parts
    }

    static func sheet(_ body: String) -> String { header + "<worksheet xmlns=\"\(main)\"><sheetData>\(body)</sheetData></worksheet>" }

    /// Every hostile file: name → bytes, with the status or skip the run must give it.
    static func cases(_ dir: String) throws -> [(name: String, expect: String)] {
        var out: [(String, String)] = []
        func zip(_ name: String, _ parts: [(name: String, data: Data)], _ expect: String) throws {
            try ZipWriter.write(parts, to: dir + "/" + name)
            out.append((name, expect))
        }
        func raw(_ name: String, _ data: Data, _ expect: String) throws {
            try data.write(to: URL(fileURLWithPath: dir + "/" + name))
            out.append((name, expect))
        }
        let laughs = header + "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"
        try zip("billion-laughs.xlsx", workbook(sheet: laughs), "unreadable-file")
        try zip("external-entity.xlsx", workbook(sheet: header + "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>"), "unreadable-file")
        try zip("external-dtd.xlsx", workbook(sheet: header + "<!DOCTYPE worksheet SYSTEM \"http://127.0.0.1/x.dtd\"><worksheet xmlns=\"\(main)\"/>"), "unreadable-file")
        try zip("deep-nesting.xlsx", workbook(sheet: header + "<worksheet xmlns=\"\(main)\"><sheetData>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</sheetData></worksheet>"), "unreadable-file")
        try zip("huge-text-node.xlsx", workbook(sheet: sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + String(repeating: "x", count: 11 << 20) + "</t></is></c></row>")), "unreadable-file")
        try zip("bad-utf8.xlsx", workbook(parts: [("xl/worksheets/sheet1.xml", Data(sheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>").utf8) + Data([0xC3, 0x28, 0xFF]) + Data("</t></is></c></row>".utf8) + Data("</sheetData></worksheet>".utf8))]), "unreadable-file")
        try zip("latin1-declared.xlsx", workbook(sheet: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet xmlns=\"\(main)\"/>"), "unreadable-file")
        let attributes = (0..<200_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        try zip("200k-attributes.xlsx", workbook(sheet: sheet("<row r=\"1\"><c r=\"A1\" \(attributes)><v>1</v></c></row>")), "unreadable-file")
        try zip("bomb.xlsx", workbook(sheet: sheet(String(repeating: "<row/>", count: 1))  + String(repeating: " ", count: 300 << 20)), "unreadable-file")
        try zip("case-duplicates.xlsx", workbook(parts: [("XL/Workbook.xml", Data("<x/>".utf8))]), "unreadable-file")
        try zip("rel-outside.xlsx", workbook(workbookRels: header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"../../../etc/passwd\"/></Relationships>"), "unreadable-file")
        try zip("rel-external.xlsx", workbook(workbookRels: header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"http://127.0.0.1/s.xml\" TargetMode=\"External\"/></Relationships>"), "unreadable-file")
        try zip("dimension-lies.xlsx", workbook(sheet: header + "<worksheet xmlns=\"\(main)\"><dimension ref=\"A1:XFD1048576\"/><sheetData><row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData></worksheet>"), "unidentified")
        try zip("shared-string-out-of-range.xlsx", workbook(sheet: sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c><c r=\"B1\" t=\"s\"><v>-1</v></c></row>")), "unreadable-file")
        try zip("million-empty-rows.xlsx", workbook(sheet: sheet(String(repeating: "<row/>", count: 1_000_000))), "unreadable-file")
        try zip("wide-row.xlsx", workbook(sheet: sheet("<row r=\"1\">" + (1...16_384).map { "<c><v>\($0)</v></c>" }.joined() + "</row>")), "unidentified")
        try zip("not-a-workbook.xlsx", [("readme.txt", Data("hello".utf8))], "unsupported-format")
        try zip("200k-entries.xlsx", workbook() + (0..<200_000).map { ("x/\($0)", Data()) }, "unreadable-file")
        // Names that would climb out of a folder if anything were extracted (nothing is).
        try zip("dot-dot-names.xlsx", workbook(parts: [("../../evil.xml", Data("<x/>".utf8)), ("/abs.xml", Data("<x/>".utf8))]), "unidentified")
        // An entry whose compression method no reader knows (99), patched into a real package.
        try ZipWriter.write(workbook(), to: dir + "/method.tmp")
        var method = try Data(contentsOf: URL(fileURLWithPath: dir + "/method.tmp"))
        try FileManager.default.removeItem(atPath: dir + "/method.tmp")
        for i in 0..<(method.count - 4) where method[i] == 0x50 && method[i + 1] == 0x4B && (method[i + 2] == 1 && method[i + 3] == 2 || method[i + 2] == 3 && method[i + 3] == 4) {
            let offset = method[i + 2] == 1 ? 10 : 8
            method[i + offset] = 99
            method[i + offset + 1] = 0
        }
        try raw("unknown-method.xlsx", method, "unreadable-file")
        var truncated = try Data(contentsOf: URL(fileURLWithPath: Binary.root.path + "/Tests/SheetsTests/Fixtures/shared_strings.xlsx"))
        truncated = truncated.prefix(truncated.count / 2)
        try raw("truncated.xlsx", truncated, "unreadable-file")
        try raw("empty.xlsx", Data(), "empty-file")
        var rng: UInt64 = 7
        try raw("random.xlsx", Data((0..<50_000).map { _ in rng = rng &* 6364136223846793005 &+ 1; return UInt8(truncatingIfNeeded: rng >> 33) }), "unsupported-format")
        try raw("ole.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(count: 1024), "unsupported-format")
        try raw("nul-bytes.csv", Data("a,b\n1,\0\0\0\n".utf8), "unsupported-format")
        try raw("long-line.csv", Data(("x," + String(repeating: "y", count: 64 << 20) + "\n").utf8), "unreadable-file")
        try raw("unterminated-quote.csv", Data("a,\"b\n1,2\n".utf8), "unidentified")
        try raw("mixed-encodings.csv", Data("Xã,Số\n".utf8) + Data([0x48, 0xE0, 0x20, 0x4E, 0xF4, 0x69]), "unidentified")
        try raw("bom-in-middle.csv", Data("a,b\n1,\u{FEFF}2\n".utf8), "unidentified")
        return out
    }

    @Test func everyHostileFileEndsInAFindingAndTheRestIsRead() throws {
        let inbox = workFolder(), work = workFolder()
        let expected = try Self.cases(inbox)
        // A valid report beside them, and things that are not files.
        try FileManager.default.createDirectory(atPath: inbox + "/Khanh Son", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Binary.root.path + "/samples/inbox/Khanh Son/BC von quy 1 - Khanh Son.xlsx",
                                         toPath: inbox + "/Khanh Son/BC von quy 1 - Khanh Son.xlsx")
        #expect(mkfifo(inbox + "/pipe.xlsx", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: inbox + "/link.xlsx", withDestinationPath: "/etc/passwd")
        try FileManager.default.createDirectory(atPath: inbox + "/folder.xlsx", withIntermediateDirectories: true)
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let socketPath = inbox + "/socket.xlsx"
        withUnsafeMutableBytes(of: &address.sun_path) { p in socketPath.utf8CString.withUnsafeBytes { p.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(p.count))) } }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)
        defer { close(sock) }
        let start = Date()
        let r = try Binary.run(runArguments(work, inbox: inbox) + ["--file-cpu-seconds", "3"])
        let seconds = Date().timeIntervalSince(start)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("mỗi tệp trong một tiến trình riêng (tối đa 3 giây máy"), "\(r.stderr)")
        #expect(seconds < 240, "the run took \(Int(seconds)) s")
        #expect(r.stdout.contains("Bỏ qua pipe.xlsx: không phải tệp thường"))
        #expect(r.stdout.contains("Bỏ qua link.xlsx: liên kết trỏ ra ngoài hộp thư"))
        #expect(r.stdout.contains("Bỏ qua socket.xlsx: không phải tệp thường"))
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        let files = try ledger.files()
        for (name, expect) in expected {
            guard let f = files.first(where: { $0.name == name }) else {
                // Stopped by the CPU limit lowered to 3 s on the command line: not a verdict on
                // the file, which is read again by a run under the usual limits.
                if !r.stdout.contains("Bỏ qua \(name): đọc tệp cần hơn 3 giây máy, giới hạn đã hạ bằng --file-cpu-seconds") {
                    Issue.record("\(name) was not recorded")
                }
                continue
            }
            let codes = Set(try ledger.findings(file: f.id).map(\.code.rawValue))
            let status = f.status
            switch expect {
            case "unsupported-format": #expect(status == .unsupported && codes.contains(expect), "\(name): \(status) \(codes)")
            case "unidentified": #expect(status == .unidentified, "\(name): \(status) \(codes)")
            default: if !codes.contains(expect) { Issue.record("\(name): \(status) \(codes)") }
            }
        }
        // The largest process of the run (the run or one of its workers), measured by the kernel.
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #expect(usage.ru_maxrss < 1_500_000, "a process of the run peaked at \(usage.ru_maxrss / 1024) MB")
        let valid = try #require(files.first { $0.name == "Khanh Son/BC von quy 1 - Khanh Son.xlsx" })
        #expect(valid.status == .accepted)
        let attributes = try #require(files.first { $0.name == "200k-attributes.xlsx" })
        // Refused by the reader's attribute cap before libxml2's quadratic check, not by the CPU budget.
        #expect(try ledger.findings(file: attributes.id).first?.vi.contains("more than 64 attributes") == true)
    }
}
