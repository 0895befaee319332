import Foundation
import Sheets
import Testing
@testable import TongHop

/// What a finding carries beside its words: the fix alone, the place as numbers, and the order
/// a clerk reads a file's findings in.
@Suite struct FindingTests {
    @Test func aMessageWithAHintReadsAsOneSentenceAndKeepsTheFixApart() {
        let m = Message(vi: "Ô để trống.", en: "The cell is empty.", hint: .init(vi: "Cách sửa: điền số.", en: "To fix: enter it."))
        let f = Finding(.error, .missingValue, file: "a.xlsx", sheet: "Báo cáo", cell: "J15", m)
        #expect(f.message(.vi) == "Ô để trống. Cách sửa: điền số.")
        #expect(f.message(.en) == "The cell is empty. To fix: enter it.")
        #expect(f.hint?.text(.en) == "To fix: enter it.")
        #expect(f.row == 15 && f.column == 10)
        // Worded elsewhere with the fix at the end, taken apart the same way.
        let split = Message.splittingHint(vi: "Tệp hỏng. Cách sửa: lưu lại.", en: "Damaged. To fix: save it again.")
        #expect(split.vi == "Tệp hỏng." && split.hint?.en == "To fix: save it again.")
        #expect(split.withHint(.vi) == "Tệp hỏng. Cách sửa: lưu lại.")
    }

    @Test func aFindingAtAWholeRowHasItsRowAndNoColumn() {
        let f = Finding(.error, .missingColumn, file: "a.xlsx", sheet: "Báo cáo", row: 7, .same("x"))
        #expect(f.cell == nil && f.row == 7 && f.column == nil)
        let nowhere = Finding(.error, .unidentified, file: "a.xlsx", vi: "x", en: "x")
        #expect(nowhere.row == nil && nowhere.column == nil && nowhere.hint == nil)
    }

    @Test func findingsAreReadErrorsFirstThenSheetByRowThenColumn() {
        func f(_ s: Severity, _ sheet: String?, _ cell: String?) -> Finding {
            Finding(s, .typeError, file: "a.xlsx", sheet: sheet, cell: cell, vi: cell ?? "-", en: cell ?? "-")
        }
        let shuffled = [f(.warning, "A", "B2"), f(.error, "B", "A1"), f(.error, "A", "AA3"), f(.info, nil, nil),
                        f(.error, "A", "C2"), f(.error, "A", "B10"), f(.error, nil, nil)]
        let ordered = shuffled.sorted(by: Finding.readingOrder).map { "\($0.severity.rawValue) \($0.sheet ?? "") \($0.cell ?? "")" }
        #expect(ordered == ["error  ", "error A C2", "error A AA3", "error A B10", "error B A1", "warning A B2", "info  "])
    }

    @Test func aRealReportsFindingsComeInReadingOrderFromTheLibrary() throws {
        var report = QuarterlyReport()
        let outstanding = QuarterlyReport.column("outstanding")
        report.set(CellReference(row: 20, column: outstanding).description, .text("không có"))
        report.set(CellReference(row: 10, column: outstanding).description, .text("không có"))
        let r = try report.check()
        let cells = r.findingsInReadingOrder.filter { $0.code == .typeError }.map(\.cell)
        let column = CellReference.columnName(outstanding)
        #expect(cells == ["\(column)10", "\(column)20"])
        #expect(r.findingsInReadingOrder.first?.severity == .error)
    }
}
