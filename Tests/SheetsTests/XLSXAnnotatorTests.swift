import Foundation
@testable import Sheets
import Testing

@Suite struct XLSXAnnotatorTests {
    func annotated(_ fixture: String, marks: [CellMark]) throws -> (original: any Spreadsheet, copy: any Spreadsheet, path: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString) (gop y).xlsx").path
        try XLSXAnnotator.annotate(source: Fixture.path(fixture), destination: path, marks: marks, summaryName: "Góp ý",
                                   summaryTitle: "Góp ý", summaryHeader: ["Trang", "Ô", "Nội dung"],
                                   summaryRows: marks.map { [$0.sheet, $0.cell.description, $0.note] })
        return (try Fixture.open(fixture), try Spreadsheets.open(path: path), path)
    }

    func part(_ path: String, _ name: String) throws -> String {
        let archive = try ZipArchive(path: path, limits: .default)
        return String(decoding: try archive.readAll(try #require(archive.entry(named: name))), as: UTF8.self)
    }

    @Test func everyOriginalValueIsKept() throws {
        let (original, copy, _) = try annotated("header_two_rows_merged.xlsx", marks: [
            CellMark(sheet: "Bieu 1", cell: CellReference("C8")!, level: .error, note: "Tổng sai"),
            CellMark(sheet: "Bieu 1", cell: CellReference("D6")!, level: .warning, note: "Xem lại"),
        ])
        #expect(copy.sheets.map(\.name) == ["Góp ý"] + original.sheets.map(\.name))
        for s in original.sheets {
            let a = try original.loadSheet(s.number), b = try copy.loadSheet(s.number + 1)
            #expect(a.rows.map(\.cells) == b.rows.map(\.cells), "\(s.name)")
            #expect(a.summary.merged == b.summary.merged)
        }
        let notes = try copy.loadSheet(1)
        #expect(notes.value(CellReference("A4")!) == .text("Bieu 1"))
        #expect(notes.value(CellReference("C5")!) == .text("Xem lại"))
    }

    @Test func markedCellsGetAFilledTwinOfTheirStyleAndAComment() throws {
        let (_, _, path) = try annotated("header_two_rows_merged.xlsx", marks: [
            CellMark(sheet: "Bieu 1", cell: CellReference("C8")!, level: .error, note: "Tổng sai"),
        ])
        let styles = try part(path, "xl/styles.xml")
        #expect(styles.contains("FFF4B6B0"))
        let book = try XLSXWorkbook(path: path)
        let sheetPart = try #require(book.sheetParts[1])
        let sheet = try part(path, sheetPart)
        let cell = try #require(XLSXAnnotator.firstMatch(#"<c\b[^>]*\br="C8"[^>]*?/?>"#, in: sheet))
        let s = try #require(XLSXAnnotator.firstCapture(#"\bs="(\d+)""#, in: String(sheet[cell.whole])).flatMap(Int.init))
        let xfs = XLSXAnnotator.allMatches(#"<xf\b[^>]*/>|<xf\b[^>]*>.*?</xf>"#, in: String(styles[XLSXAnnotator.firstMatch(#"<cellXfs\b[^>]*>(.*?)</cellXfs>"#, in: styles)!.inner]))
        #expect(xfs[s].contains("applyFill=\"1\""))
        #expect(sheet.contains("legacyDrawing"))
        let rels = try part(path, PartPath.relationshipsPart(of: sheetPart))
        #expect(rels.contains("/comments\""))
        #expect(!sheet.contains("tabSelected=\"1\""))
        let content = try part(path, "[Content_Types].xml")
        #expect(content.contains("gop-y.xml"))
    }

    @Test func workbooksFromEveryProducerSurviveTheCopy() throws {
        for fixture in ["shared_strings.xlsx", "inline_strings.xlsx", "formulas_cached_values.xlsx", "hidden_sheets.xlsx",
                        "handmade_backslash_names.xlsx", "zip64.xlsx", "date_1904.xlsx"] {
            let original = try Fixture.open(fixture)
            let first = original.sheets[0]
            let (_, copy, _) = try annotated(fixture, marks: [CellMark(sheet: first.name, cell: CellReference("A1")!, level: .warning, note: "?")])
            #expect(copy.sheets.count == original.sheets.count + 1, "\(fixture)")
            for s in original.sheets {
                #expect(try original.loadSheet(s.number).rows.map(\.cells) == copy.loadSheet(s.number + 1).rows.map(\.cells), "\(fixture) \(s.name)")
            }
        }
    }
}

/// The searches by bytes find what the regular expressions and Foundation's search they stand
/// in for find, on the tags a sheet may hold, ordinary and odd.
@Suite struct AnnotatorSearchTests {
    static let sheets = [
        #"<sheetData><row r="7"><c r="C7" s="2" t="s"><v>1</v></c></row></sheetData>"#,
        #"<cols><col min="3" r="C7"/></cols><c r="B7"/><c s="4" r="C7"/>"#,
        #"<c:x r="C7"/><cx r="C7"/><c r="C7""#,
        #"<c xr="C7"><c t="n" r="C7" s="12">"#,
        "<c\u{00E9} r=\"C7\"/><c r=\"C7\" s=\"1\"/>",
        "<c \u{0301}r=\"C7\"/><c r=\"C7\" s=\"2\"/>",
        "<c\nr=\"C7\"\ns=\"9\"/>",
        #"<c r="C70"/><c r="C7" s="٣"/><c r="C7" s="3"/>"#,
        "<c r=\"C7\" s=\"5\"",
        "",
    ]

    @Test func aCellsTagIsTheOneTheExpressionFinds() throws {
        for sheet in Self.sheets {
            let ref = try #require(CellReference("C7"))
            let expected = XLSXAnnotator.firstMatch(#"<c\b[^>]*\br="C7"[^>]*?/?>"#, in: sheet)?.whole
            let found = XLSXAnnotator.cellTag(ref, in: sheet)
            #expect(found.map { String(sheet[$0]) } == expected.map { String(sheet[$0]) }, "\(sheet)")
            #expect(found?.lowerBound == expected?.lowerBound, "\(sheet)")
            if let found {
                let tag = String(sheet[found])
                #expect(XLSXAnnotator.styleAttribute(tag) == XLSXAnnotator.firstCapture(#"\bs="(\d+)""#, in: tag), "\(tag)")
            }
        }
        for tag in [#"<c r="A1" s="12">"#, #"<c r="A1" xs="3" s="4">"#, #"<c s="" s="5">"#, #"<c s="7x" s="8">"#, "<c s=\"٣\">", #"<c s="1"#] {
            #expect(XLSXAnnotator.styleAttribute(tag) == XLSXAnnotator.firstCapture(#"\bs="(\d+)""#, in: tag), "\(tag)")
        }
    }

    @Test func aStylesListAndItsEntriesAreTheOnesTheExpressionsFind() throws {
        let styles = [
            #"<fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill/></fills>"#,
            #"<fillsX/><fills><fill x="1"/><fillz/><fill>no end"#,
            #"<cellXfs count="2"><xf numFmtId="0"/><xf s="1"><alignment/></xf><xfx/><xf/ ></cellXfs><cellXfs><xf/></cellXfs>"#,
            #"<fonts/><fonts count="0"></fonts>"#, "<fills>", "<fills></fills", "<cellXfs>\n<xf\n/>\n</cellXfs>", "<fills>₫</fills>", "",
        ]
        for text in styles {
            for name in ["fills", "cellXfs", "fonts"] {
                let expected = XLSXAnnotator.firstMatch(#"<\#(name)\b[^>]*>(.*?)</\#(name)>"#, in: text)
                let found = XLSXAnnotator.section(name, in: text)
                #expect(found?.whole == expected?.whole && found?.inner == expected?.inner, "\(name) in \(text)")
            }
            for name in ["fill", "xf", "font"] {
                #expect(XLSXAnnotator.elements(name, in: text)
                        == XLSXAnnotator.allMatches(#"<\#(name)\b[^>]*/>|<\#(name)\b[^>]*>.*?</\#(name)>"#, in: text), "\(name) in \(text)")
            }
        }
    }

    @Test func literalSearchesAgreeWithFoundation() {
        let texts = ["<worksheet><sheetData/><tableParts/></worksheet>", "<x>Đã</x><picture r:id=\"1\"/></worksheet>",
                     "no tags at all", "</Types></Types>", "<Types></Types>é"]
        for text in texts {
            for needle in ["</worksheet>", "<picture", "<tableParts", "</Types>", "legacyDrawing"] {
                #expect(XLSXAnnotator.literalRange(needle, in: text) == text.range(of: needle), "\(needle) in \(text)")
                #expect(XLSXAnnotator.literalContains(needle, in: text) == text.contains(needle))
                #expect(XLSXAnnotator.literalReplacing(needle, in: text, with: "<new/>" + needle)
                        == text.replacingOccurrences(of: needle, with: "<new/>" + needle))
            }
        }
    }

    @Test func aZipMadeInMemoryIsTheZipWrittenToAFile() throws {
        let parts: [(name: String, data: Data)] = [("a.xml", Data("<a>\(String(repeating: "xin chào ", count: 500))</a>".utf8)),
                                                   ("b/c.txt", Data()), ("đ.bin", Data((0..<4096).map { UInt8($0 % 251) }))]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).zip").path
        defer { unlink(path) }
        try ZipWriter.write(parts, to: path, modified: ZipWriter.reproducibleDate)
        #expect(try ZipWriter.data(parts, modified: ZipWriter.reproducibleDate) == FileManager.default.contents(atPath: path))
    }
}
