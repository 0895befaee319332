import Foundation
import Sheets
import Testing
@testable import TongHop

/// Every story line of samples/README.md, as `tonghop check` sees it.
@Suite struct SampleStoryTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let inbox = Repo.root.appendingPathComponent("samples/inbox").path

    func check(_ relative: String) -> FileResult {
        FileCheck.check(path: Self.inbox + "/" + relative, relative: relative, plan: Self.plan)
    }

    func codes(_ r: FileResult) -> [String] {
        r.allFindings.map { "\($0.code.rawValue)@\($0.cell ?? "-")" }.sorted()
    }

    @Test func rejectedSubmissionNamesBothCells() {
        let r = check("Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx")
        #expect(r.status == .rejected)
        #expect(codes(r) == ["rule-violation@F12", "type-error@J15"])
        let rule = r.allFindings.first { $0.code == .ruleViolation }
        #expect(rule?.vi.contains("xã Ninh Giang") == true)
        #expect(r.submissions.first?.unit?.code == "572")
        #expect(r.submissions.first?.period == Period("2019-Q3"))
    }

    @Test func correctedResubmissionIsAccepted() {
        let r = check("Ninh Hoa/BC von quy 3 - Ninh Hoa (sua lan 2).xlsx")
        #expect(r.status == .accepted)
        #expect(r.allFindings.isEmpty)
    }

    @Test func wrongTotalInAHandMadeLayout() {
        let r = check("Cam Lam/BC von quy 2 - Cam Lam.xlsx")
        #expect(r.status == .rejected)
        #expect(codes(r) == ["total-mismatch@C21"])
        #expect(r.allFindings.first?.vi.contains("chênh 100") == true)
    }

    @Test func handMadeLayoutWithRightTotalsIsRead() throws {
        let r = check("Khanh Vinh/BC nguon von va tiet kiem nam 2019 - Khanh Vinh.xlsx")
        #expect(r.status == .accepted)
        let s = try #require(r.submissions.first)
        #expect(s.form.id == "capital-annual")
        #expect(s.rows.count == 14)
        // Read through the two-row header: the ratings sit under a merged "Xếp loại tổ".
        #expect(s.rows.allSatisfy { $0.numbers["groups_good"] != nil && $0.numbers["groups_weak"] != nil })
    }

    @Test func oldXLSMustBeResaved() throws {
        let r = check("Cam Lam/Danh gia tiet kiem 2018 - Cam Lam.xls")
        #expect(r.status == .unsupported)
        #expect(r.allFindings.map(\.code) == [.unsupportedFormat])
        // Its folder and name say whose report it is: it reaches Cam Lâm's savings-eval 2018.
        let s = try #require(r.submissions.first)
        #expect(s.unit?.code == "570" && s.form.id == "savings-eval" && s.period == Period("2018"))
        #expect(s.status == .rejected && s.sheet == SubmissionResult.unread && s.rows.isEmpty)
    }

    @Test func aSheetNobodyCanPlace() {
        let r = check("Book1.xlsx")
        #expect(r.status == .unidentified)
        #expect(r.findings.first?.code == .unidentified)
    }

    @Test func moneyInDongRejectsTheFile() throws {
        let r = check("Dien Khanh/BC von quy 3 - Dien Khanh.xlsx")
        #expect(r.status == .rejected)
        // An error at every cell typed in đồng, each naming its figure in triệu đồng.
        let suspects = r.allFindings.filter { $0.code == .unitSuspect }
        #expect(suspects.count == 19 && suspects.allSatisfy { $0.severity == .error && $0.cell?.hasPrefix("V") == true })
        #expect(codes(r).allSatisfy { $0.hasPrefix("unit-suspect@V") })
        let first = try #require(suspects.first { $0.cell == "V10" })
        let value = try #require(r.submissions.first?.rows.first?.numbers["group_savings"])
        #expect(first.vi.contains("nhập theo triệu đồng: \(VietnameseFormat.number(value / 1_000_000, maxFractionDigits: 3))."))
        #expect(!first.vi.contains("không cần sửa"))
    }

    @Test func lastMonthsFileCopiedIsAPeriodConflict() throws {
        let r = check("Cam Ranh/BC thang 11 - Cam Ranh.xlsx")
        #expect(r.status == .rejected)
        #expect(codes(r) == ["period-conflict@-"])
        let f = try #require(r.allFindings.first)
        #expect(f.severity == .error && f.vi.contains("Tháng 10/2019") && f.vi.contains("Tháng 11/2019"))
        // Held against the period its name gives, never October's.
        #expect(r.submissions.first?.period == Period("2019-11"))
    }

    @Test func theFixedFileAndTheCorrectionAreAccepted() {
        for f in ["Cam Ranh/BC thang 11 - Cam Ranh (sua ky bao cao).xlsx", "Khanh Son/BC thang 11 - Khanh Son (bo sung).xlsx"] {
            let r = check(f)
            #expect(r.status == .accepted && r.allFindings.isEmpty, "\(f)")
            #expect(r.submissions.first?.period == Period("2019-11"))
        }
    }

    @Test func misnamedFileCountsForWhatItsContentSays() {
        let r = check("Cam Ranh/BC thang 6 - Cam Lam.xlsx")
        #expect(r.submissions.first?.unit?.code == "569")
        #expect(r.allFindings.map(\.code) == [.identificationConflict])
        #expect(r.allFindings.first?.vi.contains("Huyện Cam Lâm") == true)
        #expect(r.status == .accepted)
    }

    @Test func identifiedByItsFolder() {
        let r = check("Khanh Vinh/BC thang 9 - Khanh Vinh.xlsx")
        #expect(r.submissions.first?.unit?.code == "573")
        #expect(r.submissions.first?.period == Period("2019-09"))
        #expect(r.status == .accepted)
    }

    @Test func excelCSVInWindows1258WithDecimalCommas() throws {
        let r = check("Khanh Son/Danh gia tiet kiem 2018 - Khanh Son.csv")
        #expect(r.status == .accepted)
        let s = try #require(r.submissions.first)
        #expect(s.unit?.code == "575" && s.form.id == "savings-eval" && s.period == Period("2018"))
        #expect(s.rows.first?.numbers["piggy_amount"] == 223.4)
        #expect(s.rows.first?.numbers["savings_rate"] == 75)
    }

    @Test func excelUnicodeText() throws {
        let r = check("Cam Lam/Von quay vong 6 thang - Cam Lam.txt")
        #expect(r.status == .accepted)
        #expect(r.submissions.first?.period == Period("2019-H1"))
    }

    @Test func numbersTypedAsVietnameseText() throws {
        let r = check("Cam Ranh/BC nguon von va tiet kiem nam 2019 - Cam Ranh.xlsx")
        #expect(r.status == .accepted)
        #expect(r.allFindings.isEmpty)
        let first = try #require(r.submissions.first?.rows.first)
        #expect(first.numbers["outstanding"] == 12527.7)
        #expect(first.numbers["members"] == 272)
    }

    @Test func nfdTextIsMatched() throws {
        let r = check("Van Ninh/Ke hoach giup PN ngheo 2019 - Van Ninh.xlsx")
        #expect(r.status == .accepted)
        let key = try #require(r.submissions.first?.rows.first?.key)
        #expect(Array(key.utf8) == Array("Vạn Giã".precomposedStringWithCanonicalMapping.utf8))
    }

    @Test func everyOtherFileIsCleanlyAccepted() throws {
        let story: Set<String> = ["Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx", "Cam Lam/BC von quy 2 - Cam Lam.xlsx",
                                  "Cam Lam/Danh gia tiet kiem 2018 - Cam Lam.xls", "Book1.xlsx",
                                  "Dien Khanh/BC von quy 3 - Dien Khanh.xlsx", "Cam Ranh/BC thang 6 - Cam Lam.xlsx",
                                  "Cam Ranh/BC thang 11 - Cam Ranh.xlsx"]
        let files = FileManager.default.enumerator(atPath: Self.inbox)!.compactMap { $0 as? String }
            .filter { $0.contains(".") && !$0.hasSuffix("so-cong-van-den.csv") && !story.contains($0) }
        #expect(files.count == 141)
        for f in files {
            let r = check(f)
            #expect(r.status == .accepted && r.allFindings.isEmpty, "\(f): \(r.allFindings.map(\.vi))")
            #expect(r.submissions.count == 1 && r.submissions[0].unit != nil && r.submissions[0].period != nil, "\(f)")
        }
    }
}
