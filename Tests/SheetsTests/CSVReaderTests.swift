import Foundation
@testable import Sheets
import Testing

@Suite struct CSVReaderTests {
    let expected = [
        ["Xã", "Số hộ nghèo", "Tỷ lệ"],
        ["Khánh Bình", "1.234", "12,5%"],
        ["Sơn Thái", "2.535", "7,25%"],
        ["Ghi chú", "có dấu ; trong \"ngoặc\"", ""],
    ]

    @Test func windows1258WithSemicolons() throws {
        let book = try Fixture.open("windows1258_semicolon.csv") as! CSVSheet
        #expect(book.encoding == .windows1258)
        #expect(book.delimiter == ";")
        let rows = try Fixture.text(book)
        #expect(rows == expected)
        // Tone marks written as combining characters come back composed (NFC).
        #expect(Array(rows[0][1].utf8) == Array("Số hộ nghèo".precomposedStringWithCanonicalMapping.utf8))
    }

    @Test func utf16WithTabsAsExcelUnicodeText() throws {
        let book = try Fixture.open("utf16le_tab.csv") as! CSVSheet
        #expect(book.encoding == .utf16LE)
        #expect(book.delimiter == "\t")
        #expect(try Fixture.text(book) == expected)
    }

    @Test func utf8BOMAndEmbeddedNewline() throws {
        let book = try Fixture.open("utf8_bom_comma.csv") as! CSVSheet
        #expect(book.encoding == .utf8BOM)
        let rows = try Fixture.text(book)
        #expect(Array(rows.prefix(4)) == expected)
        #expect(rows[4] == ["Dòng", "hai\ndòng", "x"])
    }

    @Test func excelSepHintLine() throws {
        let book = try Fixture.open("sep_hint.csv") as! CSVSheet
        #expect(book.delimiter == ";")
        #expect(try Fixture.text(book) == [["a", "b,c"], ["1", "2,5"]])
    }

    private func parse(_ text: String) throws -> [[String]] {
        let bytes = Array(text.utf8)
        let book = try bytes.withUnsafeBytes { try CSVSheet(bytes: $0, name: "t") }
        return try Fixture.text(book)
    }

    @Test func quotesAndLineEndings() throws {
        #expect(try parse("a,\"b \"\"q\"\" c\"\r\n1,2") == [["a", "b \"q\" c"], ["1", "2"]])
        #expect(try parse("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        #expect(try parse("a,b\n\n1,2\n") == [["a", "b"], ["", ""], ["1", "2"]])
    }

    @Test func unterminatedQuoteRunsToTheEnd() throws {
        #expect(try parse("a,\"b\nc") == [["a", "b\nc"]])
    }

    @Test func delimiterSniffingPrefersTheConsistentOne() throws {
        // Decimal commas inside a ;-separated file must not win.
        let rows = try parse("Xã;Tỷ lệ;Số\nA;1,5;2\nB;2,5;3\n")
        #expect(rows[1] == ["A", "1,5", "2"])
    }

    @Test func cellTextLimitNamesTheCell() {
        var limits = ReadLimits()
        limits.maxCellTextBytes = 10
        let bytes = Array("a,b\n1,\(String(repeating: "x", count: 50))\n".utf8)
        #expect(throws: SheetsError(.limitExceeded(.cellText, limit: 10), cell: "B2")) {
            _ = try bytes.withUnsafeBytes { try CSVSheet(bytes: $0, name: "t", limits: limits) }
        }
    }
}
