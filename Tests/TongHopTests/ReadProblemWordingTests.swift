import Foundation
import Sheets
import Testing
@testable import TongHop

@Suite struct ReadProblemWordingTests {
    /// Each language groups digits its own way.
    @Test func limitsInEachLanguagesDigits() {
        let p = ReadProblem(SheetsError(.limitExceeded(.sheetCount, limit: 10_000)))
        #expect(p.vi.contains("hơn 10.000 trang"))
        #expect(p.en.contains("more than 10,000 sheets"))
        #expect(ReadProblem.englishNumber(1_048_576) == "1,048,576")
        #expect(ReadProblem.englishNumber(999) == "999")
    }

    /// A ZIP that is no workbook: the advice fits whether or not an .xlsx is inside.
    @Test func zipWithoutWorkbookAdvice() {
        let p = ReadProblem(SheetsError(.unsupported(.zipWithoutWorkbook)))
        #expect(p.en.contains("send the report's .xlsx file"))
        #expect(!p.en.hasSuffix("send the .xlsx file it contains."))
    }
}
