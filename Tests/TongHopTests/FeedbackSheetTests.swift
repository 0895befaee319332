import Foundation
@testable import Sheets
import Testing
@testable import TongHop

/// The "Góp ý" sheet of each annotated workbook prints (wrapped text, A4 landscape one page
/// wide, the header row on every page) and each finding links to the cell it names.
@Suite struct FeedbackSheetTests {
    static func part(_ path: String, _ name: String) throws -> String {
        let archive = try ZipArchive(path: path, limits: .default)
        return String(decoding: try archive.readAll(try #require(archive.entry(named: name))), as: UTF8.self)
    }

    static func annotatedWorkbooks() throws -> [String] {
        let root = MachineCSVTests.report + "/phan-hoi"
        let e = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let name = e?.nextObject() as? String {
            if name.hasSuffix("(gop y).xlsx") { out.append(root + "/" + name) }
        }
        return out.sorted()
    }

    @Test func eachFindingLinksToItsCell() throws {
        let books = try Self.annotatedWorkbooks()
        #expect(books.count >= 4)
        var links = 0
        for path in books {
            let name = (path as NSString).lastPathComponent
            let book = try XLSXWorkbook(path: path)
            #expect(book.sheets.first?.name == "Góp ý", "\(name): the notes are not the first sheet")
            let notesPart = try #require(book.sheetParts[0])
            let xml = try Self.part(path, notesPart)
            let notes = try Spreadsheets.open(path: path).loadSheet(1)
            // Every line of notes (row 4 on) that names a sheet and a cell has a link there.
            for row in notes.rows where row.number >= 4 {
                guard case .text(let sheet) = notes.value(CellReference(row: row.number, column: 1)),
                      case .text(let cell) = notes.value(CellReference(row: row.number, column: 2)),
                      let target = CellReference(cell) else { continue }
                let location = "'\(sheet.replacingOccurrences(of: "'", with: "''"))'!\(target)"
                let tag = try #require(XLSXAnnotator.firstMatch(#"<hyperlink ref="B\#(row.number)"[^>]*/>"#, in: xml),
                                       "\(name): row \(row.number) (\(sheet)!\(cell)) has no link")
                #expect(String(xml[tag.whole]).contains("location=\"\(XLSXWriter.escape(location))\""))
                #expect(!String(xml[tag.whole]).contains("r:id"), "a link inside the workbook needs no relationship")
                #expect(book.sheets.contains { $0.name == sheet }, "\(name): the link goes to a sheet the workbook lacks")
                links += 1
            }
            // The sheet's relationships hold no external link (nothing leaves the workbook).
            let archive = try ZipArchive(path: path, limits: .default)
            if let rels = archive.entry(named: PartPath.relationshipsPart(of: notesPart)) {
                #expect(!String(decoding: try archive.readAll(rels), as: UTF8.self).contains("hyperlink"))
            }
            // Printable: A4, landscape, one page wide, as many tall as needed, header row repeated.
            #expect(xml.contains("paperSize=\"9\""))
            #expect(xml.contains("orientation=\"landscape\""))
            #expect(xml.contains("fitToWidth=\"1\" fitToHeight=\"0\""))
            #expect(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"))
            let workbook = try Self.part(path, book.workbookPart)
            #expect(workbook.contains("_xlnm.Print_Titles\" localSheetId=\"0\">'Góp ý'!$3:$3<") || workbook.contains("_xlnm.Print_Titles\" localSheetId=\"0\">&apos;Góp ý&apos;!$3:$3<"))
            // The long column wraps; the links are underlined.
            let styles = try Self.part(path, try #require(book.stylesPart))
            #expect(styles.contains("wrapText=\"1\""))
            #expect(styles.contains("<u/>"))
        }
        #expect(links >= 4)
    }
}

/// The short ways to a copy's name and to a page's marking give what the long ways gave.
@Suite struct CopyNameAndMarkingTests {
    @Test func aNamesStemIsFoundationsWhateverTheName() {
        let names = ["Tinh 20/Trung Dinh/Bc thang 2019-03 - Trung Dinh.xlsx", "a.xlsx", ".hidden", "x.", "a.b.xlsx", "thư mục/Báo cáo.xlsm",
                     "dir//file.xlsx", "folder/", "/abs/name.xlsx", "no-extension", "a/.xlsx", "ab", "a", "", "Xã Đông Hòa. .xlsx"]
        for n in names {
            #expect(FeedbackWorkbooks.stem(n) == ((n as NSString).lastPathComponent as NSString).deletingPathExtension, "\(n)")
        }
    }

    @Test func aCopysSafeNameIsTheCharacterByCharacterOne() {
        func slow(_ name: String) -> String {
            let base = NFC.normalize(((name as NSString).lastPathComponent as NSString).deletingPathExtension)
            var safe = ""
            for ch in base.unicodeScalars.prefix(120) { safe.unicodeScalars.append(FeedbackWorkbooks.forbiddenInName(ch) ? "_" : ch) }
            safe = safe.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
            return safe.isEmpty ? "tep" : safe
        }
        let names = ["Báo cáo tháng 11.xlsx", " lead.xlsx", "trail .xlsx", "a:b?c.xlsx", "x\u{202E}y.xlsx", String(repeating: "ư", count: 130) + ".xlsx",
                     String(repeating: "a", count: 120) + ".xlsx", "...xlsx", ".xlsx", "Ho\u{0300}a.xlsx"]
        for n in names { #expect(FeedbackWorkbooks.safeBase(n) == slow(n), "\(n)") }
    }

    @Test func aPageIsMarkedExactlyWhenItHoldsACharacterToMark() {
        let texts = ["Xã An — 5 → ✓", "Xã An\u{202E}5,01\u{202C}", "tab\tand\r\nline", "esc\u{1B}[31m", "del\u{7F}", "c1\u{0085}",
                     "lrm\u{200E}", "alm\u{061C}", "iso\u{2066}x\u{2069}", "…“”‘’", "\u{2028}\u{2029}", "đ ơ ư ₫"]
        for t in texts {
            let data = Data(t.utf8)
            #expect(TextSafety.neutralised(data) == Data(TextSafety.neutralised(t).utf8), "\(t)")
        }
        let broken = Data([0x41, 0xE2, 0x80, 0xAE, 0xFF])
        #expect(TextSafety.neutralised(broken) == broken)
    }
}
