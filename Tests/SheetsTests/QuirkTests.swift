// The fixes for quirks met in third-party workbooks, each on a minimal fixture made by
// Fixtures/make_quirk_fixtures.py.
import Foundation
import Testing
@testable import Sheets

@Suite struct QuirkTests {
    /// .NET writes 29 significant digits and Gnumeric 21: each is the nearest double, read
    /// as a number (never a crash, never text).
    @Test func longDecimalsAreNumbers() throws {
        let book = try Fixture.open("quirk_long_decimals.xlsx")
        let grid = try book.loadSheet(1)
        #expect(grid.summary.lastRow == 12)
        for r in 1...grid.summary.lastRow {
            guard case .text(let written) = grid.value(CellReference(row: r, column: 1)) else {
                Issue.record("row \(r): no text in A"); continue
            }
            let value = grid.value(CellReference(row: r, column: 2))
            #expect(value == .number(strtod(written, nil)), "row \(r): \(written) read as \(value)")
        }
        #expect(grid.value(CellReference(row: 2, column: 2)).displayText == "2.63033230469628")
    }
}
