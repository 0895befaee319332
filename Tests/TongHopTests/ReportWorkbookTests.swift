import Foundation
import Sheets
import Testing
@testable import TongHop

/// `tong-hop-<period>.xlsx`, read back through the project's own reader: every province total
/// the HTML report shows is in the workbook, as a number; units in the headers; the targets and
/// completeness sheets; each sheet set up to print.
@Suite struct ReportWorkbookTests {
    static var folder: String { ReportGoldenTests.work + "/reports/2019-11" }

    /// The province row of every table of the HTML report, its non-empty cells in order.
    static func htmlProvinceTotals() throws -> [[String]] {
        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        return html.components(separatedBy: "<tr class=\"province\">").dropFirst().map { chunk in
            let row = chunk.components(separatedBy: "</tr>")[0]
            return row.components(separatedBy: "<td class=\"num\">").dropFirst()
                .map { $0.components(separatedBy: "</td>")[0] }.filter { !$0.isEmpty }
        }
    }

    @Test func everyProvinceTotalOfTheReportIsInTheWorkbook() throws {
        let book = try Spreadsheets.open(path: Self.folder + "/tong-hop-2019-11.xlsx")
        let names = book.sheets.map(\.name)
        #expect(names.contains("Chỉ tiêu") && names.contains("Tình hình nộp"))
        var workbookTotals: [[String]] = []
        var numbers = 0
        for info in book.sheets where info.name.hasPrefix("B") {
            let grid = try book.loadSheet(info.number)
            let province = try #require(grid.rows.first { $0.value(at: 1) == .text("Toàn tỉnh") }, "no province row in \(info.name)")
            var shown: [String] = []
            for cell in province.cells where cell.column > 1 {
                if case .number(let v) = cell.value { shown.append(VietnameseFormat.number(v, maxFractionDigits: 2)); numbers += 1 }
            }
            workbookTotals.append(shown)
            // Units in the header, once.
            let header = try #require(grid.row(4))
            let texts = header.cells.map(\.value.displayText)
            #expect(texts.first == "Đơn vị")
            for t in texts {
                let groups = t.components(separatedBy: "(").dropFirst().map { $0.components(separatedBy: ")")[0] }
                #expect(Set(groups).count == groups.count, "a unit twice in \"\(t)\"")
            }
        }
        let html = try Self.htmlProvinceTotals()
        #expect(html.count == workbookTotals.count)
        #expect(html == workbookTotals)
        #expect(numbers > 40)
        #expect(html.flatMap { $0 }.contains("1.633.580"))
    }

    @Test func numbersAreNumbersAndHeadersCarryUnits() throws {
        let book = try Spreadsheets.open(path: Self.folder + "/tong-hop-2019-11.xlsx") as! XLSXWorkbook
        let sheet = try #require(book.sheets.first { $0.name.hasPrefix("B") && $0.name.contains("nguồn vốn quý") })
        let grid = try book.loadSheet(sheet.number)
        let header = try #require(grid.row(4)).cells.map(\.value.displayText)
        #expect(header.contains { $0.hasSuffix("(triệu đồng)") })
        // Every district row: a number or an empty cell with a note, never a number as text.
        for r in 5..<(5 + 8) {
            let row = try #require(grid.row(r))
            for cell in row.cells where cell.column > 1 && cell.column < header.count {
                if case .text(let t) = cell.value { Issue.record("text \"\(t)\" in a number column, row \(r)") }
            }
        }
        let targets = try book.loadSheet(try #require(book.sheetNumber(named: "Chỉ tiêu")))
        #expect(targets.rows.contains { $0.value(at: 4) == .text("Toàn tỉnh") && $0.value(at: 7).displayText.contains("Không đạt") })
        let done = try book.loadSheet(try #require(book.sheetNumber(named: "Tình hình nộp")))
        #expect(done.rows.contains { $0.value(at: 1) == .text("Huyện Diên Khánh") && $0.value(at: 6) == .text("Thiếu") })
        // Print set-up in the sheet's XML: A4, header row on every page, page numbers.
        let zip = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/tong-hop-2019-11.xlsx"))
        #expect(zip.count > 5000)
    }
}
