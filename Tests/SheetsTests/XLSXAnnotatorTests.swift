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
