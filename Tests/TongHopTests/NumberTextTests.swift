import Foundation
import Sheets
import Testing
@testable import TongHop

/// Number text as offices type it, one test per form, in a whole report: the value read, or
/// the finding at the cell.
@Suite struct NumberTextTests {
    /// "Nợ quá hạn thu hồi" (decimal, optional) and "Số hộ còn dư nợ" (integer, required).
    static let decimalColumn = CellReference.columnName(QuarterlyReport.column("overdue_recovered"))
    static let integerColumn = CellReference.columnName(QuarterlyReport.column("households"))

    /// The report with `text` in row 9 of a column and the total row holding `total`.
    func check(_ column: String, _ text: String, total: Double) throws -> FileResult {
        var report = QuarterlyReport()
        report.set("\(column)9", .text(text))
        // The other communes keep the report's own 1,5 in the decimal column: the total row
        // holds theirs too, so only row 9's reading decides whether it agrees.
        let others = column == Self.decimalColumn ? Double(QuarterlyReport.unit.communes.count - 1) * 1.5 : 0
        report.set("\(column)23", .number(total + others))
        return try report.check()
    }

    func value(_ r: FileResult, _ key: String) -> Double? {
        r.submissions.first?.rows.first?.numbers[key]
    }

    @Test func leadingZeroIsADecimal() throws {
        for text in ["0,500", "0.500", "0,250"] {
            let r = try check(Self.decimalColumn, text, total: Double(text.replacingOccurrences(of: ",", with: "."))!)
            #expect(r.allFindings.isEmpty, "\(text): \(r.allFindings.map(\.vi))")
            #expect(value(r, "overdue_recovered") == Double(text.replacingOccurrences(of: ",", with: ".")))
        }
        // In a whole-number column it is still a half, so it is not a whole number.
        let r = try check(Self.integerColumn, "0,500", total: 300 * 13)
        #expect(codes(r) == ["type-error@\(Self.integerColumn)9"])
        #expect(VietnameseNumber.read("0,500", allowsDecimals: false) == .number(0.5))
        // A real thousands group is read as before.
        #expect(VietnameseNumber.read("2.535", allowsDecimals: false) == .number(2535))
    }

    @Test func spaceGroupingWithADecimalComma() throws {
        for space in [" ", "\u{00A0}", "\u{2009}", "\u{202F}"] {
            let r = try check(Self.decimalColumn, "1\(space)234,5", total: 1234.5)
            #expect(r.allFindings.isEmpty, "\(r.allFindings.map(\.vi))")
            #expect(value(r, "overdue_recovered") == 1234.5)
        }
        #expect(VietnameseNumber.read("12 345 678,25", allowsDecimals: true) == .number(12_345_678.25))
        #expect(VietnameseNumber.read("1 234.5", allowsDecimals: true) == .number(1234.5))
        #expect(VietnameseNumber.read("1 23,5", allowsDecimals: true) == .notANumber)
    }

    @Test func percentSignOutsideAPercentColumnIsAnError() throws {
        for (column, text) in [(Self.decimalColumn, "12,5%"), (Self.integerColumn, "50%")] {
            let r = try check(column, text, total: column == Self.decimalColumn ? 12.5 : 300 * 13 - 250)
            let f = r.allFindings.first { $0.cell == "\(column)9" }
            #expect(f?.code == .typeError && f?.severity == .error, "\(text)")
            #expect(f?.vi.contains("cột này ghi số, không ghi %") == true)
            #expect(r.status == .rejected)
        }
        // A percent column takes it.
        #expect(VietnameseNumber.read("12,5%", allowsDecimals: true, allowsPercent: true) == .number(12.5))
        #expect(VietnameseNumber.read("12,5%", allowsDecimals: true, allowsPercent: false) == .percentSign(12.5))
    }

    @Test func accountingZeroIsZero() throws {
        for text in [" -   ", "-", " - ", "\u{00A0}-\u{00A0}\u{00A0}"] {
            // A required column: a dash is a figure (zero), not a blank.
            let r = try check(Self.integerColumn, text, total: 300 * 13)
            #expect(value(r, "households") == 0, "\(text)")
            #expect(r.allFindings.isEmpty, "\(text): \(r.allFindings.map(\.vi))")
        }
    }

    @Test func formulaTextIsAFindingWhereverItIs() throws {
        let column = Self.integerColumn
        var data = QuarterlyReport()
        data.set("\(column)9", .text("=300"))
        let r = try data.check()
        #expect(codes(r) == ["type-error@\(column)9"])
        #expect(r.allFindings.first?.vi.contains("công thức") == true)
        // In the total row too: the check is not silently skipped.
        var total = QuarterlyReport()
        total.set("\(column)23", .text("=SUM(\(column)9:\(column)22)"))
        let t = try total.check()
        #expect(codes(t) == ["type-error@\(column)23"])
        #expect(t.status == .rejected)
    }
}
