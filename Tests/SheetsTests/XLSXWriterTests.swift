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
        let a = temporary("a.xlsx"), b = temporary("b.xlsx"), c = temporary("c.xlsx")
        try XLSXWriter.write(draft, to: a)
        // Past the next whole second (ZIP and docProps dates have a resolution of one or two
        // seconds): a wall-clock date in the bytes would now differ.
        Thread.sleep(forTimeInterval: 2.1)
        try XLSXWriter.write(draft, to: b)
        #expect(FileManager.default.contentsEqual(atPath: a, andPath: b))
        // And the comparison can fail: another date gives other bytes.
        try XLSXWriter.write(draft, to: c, modified: Date(timeIntervalSince1970: 1_600_000_000))
        #expect(!FileManager.default.contentsEqual(atPath: a, andPath: c))
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

    /// A regression here would leave the producer waiting on a full queue for ever: the
    /// watchdog turns that hang into a failure.
    @Test func anErrorInTheConsumerStopsTheProducer() throws {
        struct Stop: Error {}
        let path = Self.path
        let outcome = withWatchdog(seconds: 60, "reading with a consumer that throws at row 100") {
            let book = try Spreadsheets.open(path: path)
            try book.readSheet(1) { row in if row.number == 100 { throw Stop() } }
        }
        let result = try #require(outcome)
        #expect(throws: Stop.self) { try result.get() }
    }
}

/// What a written sheet tells applications about printing it.
@Suite struct PrintSetupTests {
    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    func part(_ path: String, _ name: String) throws -> String {
        let archive = try ZipArchive(path: path, limits: .default)
        return String(decoding: try archive.readAll(try #require(archive.entry(named: name))), as: UTF8.self)
    }

    @Test func pageSetupPrintTitlesBreaksFooterAndRowHeightsAreWritten() throws {
        var sheet = WorkbookDraft.Sheet(name: "Bà's sheet")
        sheet.set(2, 1, .text("STT"), .header)
        sheet.set(5, 2, .blank, .bordered)
        sheet.rowHeights = [1: 20, 2: 45.75, 4: 9, 7: 16.5]
        sheet.page.paper = .a3
        sheet.page.landscape = true
        sheet.page.scale = 78
        sheet.page.repeatRows = 2...3
        sheet.page.repeatColumns = 1...2
        sheet.page.rowBreaks = [30]
        sheet.page.columnBreaks = [14]
        sheet.page.footer = "&CTrang &P/&N"
        var plain = WorkbookDraft.Sheet(name: "meta")
        plain.hidden = true
        var draft = WorkbookDraft()
        draft.sheets = [sheet, plain]
        let path = temporary("page.xlsx")
        try XLSXWriter.write(draft, to: path)

        let xml = try part(path, "xl/worksheets/sheet1.xml")
        #expect(xml.contains("<pageSetup paperSize=\"8\" scale=\"78\" orientation=\"landscape\"/>"))
        #expect(!xml.contains("fitToPage"))
        #expect(xml.contains("<headerFooter><oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter></headerFooter>"))
        // A break's id is the last row (column) of the page before it.
        #expect(xml.contains("<rowBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"29\" max=\"16383\" man=\"1\"/></rowBreaks>"))
        #expect(xml.contains("<colBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"13\" max=\"1048575\" man=\"1\"/></colBreaks>"))
        // Rows with a height and no cell are written in order among the others.
        #expect(xml.contains("<sheetData><row r=\"1\" ht=\"20\" customHeight=\"1\"></row><row r=\"2\" ht=\"45.75\" customHeight=\"1\"><c r=\"A2\""))
        #expect(xml.contains("<row r=\"4\" ht=\"9\" customHeight=\"1\"></row><row r=\"5\"><c r=\"B5\" s=\"\(WorkbookDraft.Style.bordered.rawValue)\"/></row><row r=\"7\" ht=\"16.5\" customHeight=\"1\"></row></sheetData>"))
        let workbook = try part(path, "xl/workbook.xml")
        #expect(workbook.contains("<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Bà''s sheet'!$A:$B,'Bà''s sheet'!$2:$3</definedName></definedNames>"))
        // Read back: the blank cell is empty, the sheet as it was.
        let book = try Spreadsheets.open(path: path)
        let grid = try book.loadSheet(1)
        #expect(grid.value(CellReference("A2")!) == .text("STT"))
        #expect(grid.value(CellReference("B5")!) == .empty)
    }

    @Test func landscapeAloneStillFitsOnePageWide() throws {
        var sheet = WorkbookDraft.Sheet(name: "S")
        sheet.set(1, 1, .text("x"))
        sheet.landscape = true
        var draft = WorkbookDraft()
        draft.sheets = [sheet]
        let path = temporary("fit.xlsx")
        try XLSXWriter.write(draft, to: path)
        let xml = try part(path, "xl/worksheets/sheet1.xml")
        #expect(xml.contains("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"))
        #expect(xml.contains("<pageSetup paperSize=\"9\" fitToWidth=\"1\" fitToHeight=\"0\" orientation=\"landscape\"/>"))
        #expect(!(try part(path, "xl/workbook.xml")).contains("definedName"))
    }

    @Test func wrappedTextIsMeasuredInTheWritersFont() {
        // Times New Roman: "0" is half an em, "W" nearly a whole one; diacritics add no width.
        #expect(TextMeasure.width("00", size: 10) == 10)
        #expect(TextMeasure.width("Tổng", size: 11) == TextMeasure.width("Tong", size: 11))
        #expect(TextMeasure.width("Tổng", size: 11, bold: true) > TextMeasure.width("Tổng", size: 11))
        #expect(TextMeasure.lines("STT", width: 30, size: 11) == 1)
        // A header of a number column, 12 characters wide, in 11-point bold: three lines.
        #expect(TextMeasure.lines("Tổng dư nợ ủy thác (triệu đồng)", width: TextMeasure.textRoom(12), size: 11, bold: true) == 3)
        #expect(TextMeasure.lines("một\nhai", width: 200, size: 11) == 2)
        #expect(TextMeasure.lines(String(repeating: "x", count: 100), width: 50, size: 11) >= 5)
        let h = TextMeasure.wrappedHeight("Số hộ PN làm chủ hộ thoát nghèo do cơ sở Hội trực tiếp giúp", columnCharacters: 12, size: 11, bold: true)
        #expect(h >= 5 * 13.2 && h <= 7 * 13.2 + 6)
    }

    @Test func theNotesOfAnAnnotatedCopyPrintWithTheirHeaderOnEveryPage() throws {
        var sheet = WorkbookDraft.Sheet(name: "Biểu")
        sheet.set(1, 1, .number(1))
        sheet.page.repeatRows = 7...8
        var draft = WorkbookDraft()
        draft.sheets = [sheet]
        let source = temporary("source.xlsx"), copy = temporary("copy.xlsx")
        try XLSXWriter.write(draft, to: source)
        let note = String(repeating: "Cột \"Nợ quá hạn\" cần một số. ", count: 8)
        try XLSXAnnotator.annotate(source: source, destination: copy, marks: [CellMark(sheet: "Biểu", cell: CellReference("A1")!, level: .error, note: note)],
                                   summaryName: "Góp ý", summaryTitle: "Góp ý", summaryHeader: ["Trang", "Ô", "Mức", "Mã", "Nội dung"],
                                   summaryRows: [["Biểu", "A1", "lỗi", "type-error", note]])
        let workbook = try part(copy, "xl/workbook.xml")
        // The notes are sheet 0; the form's own titles moved with it to 1.
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Góp ý'!$3:$3</definedName>"))
        #expect(workbook.contains("localSheetId=\"1\">'Biểu'!$7:$8</definedName>"))
        let notes = try part(copy, "xl/worksheets/gop-y.xml")
        #expect(notes.contains("orientation=\"landscape\""))
        #expect(notes.contains("<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter>"))
        // The long note wraps, in a row as tall as its lines.
        let row = try #require(notes.range(of: #"<row r="4" ht="([0-9.]+)""#, options: .regularExpression))
        let height = Double(notes[row].split(separator: "\"")[3])!
        #expect(height >= 3 * 13.2)
        let book = try Spreadsheets.open(path: copy)
        #expect(try book.loadSheet(1).value(CellReference("E4")!) == .text(note))
    }
}
