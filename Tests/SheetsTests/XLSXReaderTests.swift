import Foundation
@testable import Sheets
import Testing

@Suite struct XLSXReaderTests {
    @Test func sharedStringsNumbersDatesBooleans() throws {
        let rows = try Fixture.text(Fixture.open("shared_strings.xlsx"))
        #expect(rows[0][0] == "BÁO CÁO THÁNG 10/2019")
        #expect(rows[2] == ["Khánh Bình", "120", "0.3", "2019-10-14"])
        #expect(rows[3] == ["Khánh Đông", "1234.5", "0.75", "2019-10-15T08:30:00"])
        #expect(rows[4] == ["TRUE", "FALSE", "8595602512225", ""])
    }

    @Test func typedValuesNotJustText() throws {
        let grid = try Fixture.open("shared_strings.xlsx").loadSheet(1)
        #expect(grid.value(CellReference("B3")!) == .number(120))
        #expect(grid.value(CellReference("D3")!) == .dateTime(ExcelDateTime(year: 2019, month: 10, day: 14)))
        #expect(grid.value(CellReference("A5")!) == .bool(true))
        #expect(grid.value(CellReference("D5")!) == .empty)
    }

    @Test func mergedRangesAreReported() throws {
        let grid = try Fixture.open("shared_strings.xlsx").loadSheet(1)
        #expect(grid.summary.merged == [CellRange("A1:D1")!])
    }

    @Test func inlineStringsFromGnumeric() throws {
        let rows = try Fixture.text(Fixture.open("inline_strings.xlsx"))
        #expect(rows == [["Xã", "Số hội viên"], ["Cam Phước Đông", "310"], ["Cam Thành Nam", "205"]])
    }

    @Test func date1904System() throws {
        let book = try Fixture.open("date_1904.xlsx") as! XLSXWorkbook
        #expect(book.date1904)
        #expect(try Fixture.text(book) == [["2019-11-30", "1904-01-01"]])
    }

    @Test func formulasReadThroughCachedValues() throws {
        let grid = try Fixture.open("formulas_cached_values.xlsx").loadSheet(1)
        #expect(grid.value(CellReference("A3")!) == .number(42))
        #expect(grid.value(CellReference("A4")!) == .error("#DIV/0!"))
        #expect(grid.value(CellReference("A5")!) == .text("Tổng: 42"))
        #expect(grid.value(CellReference("A6")!) == .bool(true))
    }

    @Test func numberFormatsDecideDatesTimesDurations() throws {
        let grid = try Fixture.open("number_formats.xlsx").loadSheet(1)
        var kinds: [String: String] = [:]
        for row in grid.rows {
            guard case .text(let code) = row.value(at: 1) else { continue }
            switch row.value(at: 2) {
            case .dateTime: kinds[code] = "date"
            case .duration: kinds[code] = "duration"
            case .number: kinds[code] = "number"
            default: kinds[code] = "other"
            }
        }
        #expect(kinds["dd/mm/yyyy"] == "date")
        #expect(kinds["mmm-yy"] == "date")
        #expect(kinds["h:mm"] == "date")
        #expect(kinds["h:mm AM/PM"] == "date")
        #expect(kinds["[h]:mm:ss"] == "duration")
        #expect(kinds["#,##0"] == "number")
        #expect(kinds["0.00%"] == "number")
        #expect(kinds["[Red]#,##0.00"] == "number")
        // A percentage keeps Excel's stored fraction and says it is shown as a percentage.
        let percentRow = try #require(grid.rows.first { $0.value(at: 1) == .text("0.00%") })
        #expect(percentRow.cell(at: 2)?.isPercent == true)
        #expect(grid.rows.first { $0.value(at: 1) == .text("#,##0") }?.cell(at: 2)?.isPercent == false)
        // A quoted literal containing d is text, but the d after it is a day.
        #expect(kinds["\"Ngày\" d"] == "date")
    }

    @Test func customFormatClassifier() {
        #expect(NumberFormatClassifier.custom("dd/mm/yyyy") == .date)
        #expect(NumberFormatClassifier.custom("mm:ss") == .time)
        #expect(NumberFormatClassifier.custom("[h]:mm") == .duration)
        #expect(NumberFormatClassifier.custom("\"ngày\"0") == .plain)
        #expect(NumberFormatClassifier.custom("0.00\\d") == .plain)
        #expect(NumberFormatClassifier.custom("[$-42A]dd/mm/yyyy") == .date)
        #expect(NumberFormatClassifier.custom("#,##0;[Red]-#,##0") == .plain)
        #expect(NumberFormatClassifier.custom("General") == .plain)
        #expect(NumberFormatClassifier.builtin(14) == .date)
        #expect(NumberFormatClassifier.builtin(31) == .date)
        #expect(NumberFormatClassifier.builtin(46) == .duration)
        #expect(NumberFormatClassifier.builtin(3) == .plain)
        #expect(NumberFormatClassifier.builtin(10) == .percent)
        #expect(NumberFormatClassifier.custom("0.0%") == .percent)
        #expect(NumberFormatClassifier.custom("\"%\"0") == .plain)
    }

    @Test func hiddenSheetsAndAbsoluteTargetsFromOpenpyxl() throws {
        let book = try Fixture.open("hidden_sheets.xlsx")
        #expect(book.sheets.map(\.name) == ["Hiện", "Ẩn", "Ẩn sâu"])
        #expect(book.sheets.map(\.state) == [.visible, .hidden, .veryHidden])
        #expect(try Fixture.text(book, sheet: 2) == [["Trang ẩn"]])
        #expect(try book.loadSheet(3).value(CellReference("B2")!) == .number(7))
    }

    @Test func twoRowMergedHeaderFromLibreOffice() throws {
        let grid = try Fixture.open("header_two_rows_merged.xlsx").loadSheet(1)
        #expect(Set(grid.summary.merged.map(\.description)) == ["A1:E1", "A2:E2", "A4:A5", "B4:B5", "C4:E4"])
        #expect(grid.value(CellReference("C8")!) == .number(2480.5))
        #expect(grid.value(CellReference("B8")!) == .text("Tổng cộng"))
    }

    @Test func cellsAndRowsWithoutReferences() throws {
        let expected = try Fixture.text(Fixture.open("shared_strings.xlsx"))
        #expect(try Fixture.text(Fixture.open("handmade_no_cell_refs.xlsx")) == expected)
    }

    @Test func backslashEntryNamesAsWPSWrites() throws {
        let expected = try Fixture.text(Fixture.open("shared_strings.xlsx"))
        #expect(try Fixture.text(Fixture.open("handmade_backslash_names.xlsx")) == expected)
    }

    @Test func zip64Containers() throws {
        let expected = try Fixture.text(Fixture.open("shared_strings.xlsx"))
        #expect(try Fixture.text(Fixture.open("zip64.xlsx")) == expected)
    }

    @Test func textIsNormalisedToNFC() throws {
        let rows = try Fixture.text(Fixture.open("vietnamese_nfd.xlsx"))
        let nfc = "Huyện Khánh Vĩnh".precomposedStringWithCanonicalMapping
        #expect(Array(rows[0][0].utf8) == Array(nfc.utf8))
    }

    @Test func escapesInStrings() {
        #expect(OOXMLText.decode(Array("ABC_x000D_\nDEF".utf8)) == "ABC\r\nDEF")
        #expect(OOXMLText.decode(Array("a_x005F_x0041_b".utf8)) == "a_x0041_b")
        #expect(OOXMLText.decode(Array("_xD83D__xDE00_".utf8)) == "😀")
        #expect(OOXMLText.decode(Array("no_escape_here".utf8)) == "no_escape_here")
    }

    @Test func partPathsStayInsideThePackage() {
        #expect(PartPath.resolve("worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(PartPath.resolve("/xl/worksheets/sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(PartPath.resolve("../customXml/item1.xml", from: "xl/workbook.xml") == "customXml/item1.xml")
        #expect(PartPath.resolve("../../etc/passwd", from: "xl/workbook.xml") == nil)
        #expect(PartPath.resolve("file:///etc/passwd", from: "xl/workbook.xml") == nil)
        #expect(PartPath.relationshipsPart(of: "xl/workbook.xml") == "xl/_rels/workbook.xml.rels")
        #expect(PartPath.relationshipsPart(of: "workbook.xml") == "_rels/workbook.xml.rels")
        // Targets that take Foundation's way: a backslash, a fragment, percent escapes.
        #expect(PartPath.resolve("worksheets\\sheet1.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(PartPath.resolve("worksheets/sheet1.xml#x", from: "xl/workbook.xml") == "xl/worksheets/sheet1.xml")
        #expect(PartPath.resolve("worksheets/sheet%201.xml", from: "xl/workbook.xml") == "xl/worksheets/sheet 1.xml")
        #expect(PartPath.resolve("C%3A/x.xml", from: "xl/workbook.xml") == nil)
        #expect(ZipArchive.key("/XL\\Worksheets/Sheet1.xml") == "xl/worksheets/sheet1.xml")
    }

    /// An XML declaration's encoding is found by its bytes where Foundation finds it.
    @Test(arguments: ["<?xml version=\"1.0\" encoding=\"utf-8\"?", "<?xml version=\"1.0\"?", "encoding", "encodin", "",
                      "xx encoding encoding", "é encoding", "encodinǵ x"])
    func declarationEncodingFoundAsFoundationFinds(_ s: String) {
        #expect(XMLStreamParser.asciiRange(of: "encoding", in: s) == s.range(of: "encoding"))
    }
}

@Suite struct XLSXRefusalTests {
    @Test func badCRCIsAnErrorNotGarbage() {
        guard case .corrupt(let detail)? = Fixture.refusal("handmade_bad_crc.xlsx")?.kind else {
            Issue.record("a package whose CRC does not match was read")
            return
        }
        #expect(detail.contains("CRC"))
    }

    @Test func doctypeIsRefusedBeforeAnyEntity() {
        let e = Fixture.refusal("handmade_doctype_entity.xlsx")
        #expect(e?.kind == .doctype)
        #expect(e?.entry == "xl/sharedStrings.xml")
    }

    @Test func zipBombStopsWhileStreaming() {
        let e = Fixture.refusal("handmade_zip_bomb.xlsx")
        #expect(e?.kind == .limitExceeded(.inflateRatio, limit: 200))
        #expect(e?.entry == "xl/worksheets/sheet1.xml")
    }

    @Test func entrySizeLimitNamesTheEntry() {
        var limits = ReadLimits()
        limits.maxEntryBytes = 1000
        let e = Fixture.refusal("shared_strings.xlsx", limits: limits)
        #expect(e?.kind == .limitExceeded(.entryBytes, limit: 1000))
        #expect(e?.entry != nil)
        #expect(e?.file?.hasSuffix("shared_strings.xlsx") == true)
    }

    @Test func cellCountLimit() {
        var limits = ReadLimits()
        limits.maxCells = 5
        #expect(Fixture.refusal("shared_strings.xlsx", limits: limits)?.kind == .limitExceeded(.cellCount, limit: 5))
    }

    @Test func oldBinaryXLSIsUnsupported() {
        #expect(Fixture.refusal("old_binary.xls")?.kind == .unsupported(.xls))
    }

    @Test func encryptedWorkbookIsUnsupported() {
        #expect(Fixture.refusal("password_protected.xlsx")?.kind == .unsupported(.encrypted))
    }

    @Test func openDocumentIsUnsupported() {
        #expect(Fixture.refusal("opendocument.ods")?.kind == .unsupported(.ods))
    }

    @Test func parserOptionsNeverExpandEntitiesOrLoadDTDs() {
        // XML_PARSE_NOENT (2), DTDLOAD (4), DTDATTR (8), DTDVALID (16), XINCLUDE (1024),
        // HUGE (1 << 19) and RECOVER (1) must never be set.
        let forbidden: Int32 = 1 | 2 | 4 | 8 | 16 | 1024 | (1 << 19)
        #expect(XMLStreamParser.options & forbidden == 0)
        #expect(XMLStreamParser.options & 2048 != 0)  // NONET
    }

    @Test func declaredEncodingOtherThanUTF() {
        let xml = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>".utf8)
        #expect(throws: SheetsError.self) {
            try xml.withUnsafeBytes { try XMLStreamParser.checkDeclaredEncoding($0) }
        }
    }

    @Test func notSpreadsheetsAtAll() throws {
        let cases: [(String, [UInt8], SheetsError.Unsupported)] = [
            ("random", [0x00, 0x13, 0xFF, 0x00, 0x42], .binary),
            ("page", Array("<html><body><table><tr><td>1</td></tr></table></body></html>".utf8), .markup),
        ]
        for (name, bytes, kind) in cases {
            let e = bytes.withUnsafeBytes { b -> SheetsError? in
                do { _ = try Spreadsheets.open(bytes: b, name: name); return nil } catch let e as SheetsError { return e } catch { return nil }
            }
            #expect(e?.kind == .unsupported(kind), "\(name)")
        }
    }
}
