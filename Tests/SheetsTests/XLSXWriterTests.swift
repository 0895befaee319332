import Foundation
@testable import Sheets
import Testing

@Suite struct XLSXWriterTests {
    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    @Test func whatIsWrittenReadsBack() throws {
        var sheet = WorkbookDraft.Sheet(name: "Báo cáo <Quý III>")
        sheet.set(1, 1, .text("HỘI LHPN HUYỆN KHÁNH VĨNH"), .bold)
        sheet.set(2, 1, .text("  lề trắng  "))
        sheet.set(2, 2, .number(1234.5), .decimal)
        sheet.set(2, 3, .number(0.1 + 0.2))
        sheet.set(3, 1, .date(year: 2019, month: 11, day: 30))
        sheet.set(3, 2, .bool(true))
        sheet.set(3, 3, .formula("SUM(B2:C2)", cached: 1234.8))
        sheet.set(4, 1, .text("A & B < C \"q\"\u{1}"))
        sheet.merged = [CellRange("A1:D1")!]
        var hidden = WorkbookDraft.Sheet(name: "meta")
        hidden.hidden = true
        hidden.set(1, 1, .text("form=capital-quarterly"))
        var draft = WorkbookDraft()
        draft.sheets = [sheet, hidden]
        let path = temporary("round-trip.xlsx")
        try XLSXWriter.write(draft, to: path)

        let book = try Spreadsheets.open(path: path)
        #expect(book.sheets.map(\.name) == ["Báo cáo <Quý III>", "meta"])
        #expect(book.sheets.map(\.state) == [.visible, .hidden])
        let grid = try book.loadSheet(1)
        #expect(grid.value(CellReference("A1")!) == .text("HỘI LHPN HUYỆN KHÁNH VĨNH"))
        #expect(grid.value(CellReference("A2")!) == .text("  lề trắng  "))
        #expect(grid.value(CellReference("B2")!) == .number(1234.5))
        #expect(grid.value(CellReference("C2")!).displayText == "0.3")
        #expect(grid.value(CellReference("A3")!) == .dateTime(ExcelDateTime(year: 2019, month: 11, day: 30)))
        #expect(grid.value(CellReference("B3")!) == .bool(true))
        #expect(grid.value(CellReference("C3")!) == .number(1234.8))
        #expect(grid.value(CellReference("A4")!) == .text("A & B < C \"q\"\u{1}"))
        #expect(grid.summary.merged == [CellRange("A1:D1")!])
    }

    @Test func sameDraftSameBytes() throws {
        var sheet = WorkbookDraft.Sheet(name: "S")
        sheet.set(1, 1, .text("x"))
        var draft = WorkbookDraft()
        draft.sheets = [sheet]
        let a = temporary("a.xlsx"), b = temporary("b.xlsx")
        try XLSXWriter.write(draft, to: a)
        try XLSXWriter.write(draft, to: b)
        #expect(FileManager.default.contentsEqual(atPath: a, andPath: b))
    }

    @Test func unwritablePathIsAnErrorNamingIt() {
        var draft = WorkbookDraft()
        draft.sheets = [WorkbookDraft.Sheet(name: "S")]
        #expect(throws: SheetsError.self) { try XLSXWriter.write(draft, to: "/nonexistent-folder/x.xlsx") }
    }
}

/// A sheet large enough (over 1 MiB compressed) to be inflated on a second thread.
@Suite struct OverlappedReadTests {
    static let path: String = {
        var sheet = WorkbookDraft.Sheet(name: "Lớn")
        var rng: UInt64 = 42
        for r in 1...12_000 {
            for c in 1...8 {
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                sheet.set(r, c, .number(Double(rng >> 20) / 1000))
            }
        }
        var draft = WorkbookDraft()
        draft.sheets = [sheet]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-big.xlsx").path
        try! XLSXWriter.write(draft, to: path)
        return path
    }()

    @Test func everyCellArrivesInOrder() throws {
        let book = try Spreadsheets.open(path: Self.path) as! XLSXWorkbook
        var rng: UInt64 = 42
        var count = 0
        var lastRow = 0
        var mismatches = 0
        try book.readSheet(1) { row in
            #expect(row.number == lastRow + 1)
            lastRow = row.number
            for cell in row.cells {
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                if cell.value != .number(Double(rng >> 20) / 1000) { mismatches += 1 }
                count += 1
            }
        }
        #expect(count == 96_000 && mismatches == 0)
    }

    @Test func aLimitStopsBothThreads() {
        var limits = ReadLimits()
        limits.maxEntryBytes = 2 << 20
        #expect(throws: SheetsError(.limitExceeded(.entryBytes, limit: 2 << 20), file: Self.path, entry: "xl/worksheets/sheet1.xml")) {
            let book = try Spreadsheets.open(path: Self.path, limits: limits)
            try book.readSheet(1) { _ in }
        }
    }

    @Test func anErrorInTheConsumerStopsTheProducer() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            let book = try Spreadsheets.open(path: Self.path)
            try book.readSheet(1) { row in if row.number == 100 { throw Stop() } }
        }
    }
}
