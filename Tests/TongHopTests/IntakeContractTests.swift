import Foundation
import Sheets
import Testing
@testable import TongHop

/// A sample file's first sheet copied cell by cell (values as read), to be edited the way a
/// district edits its files and written back as a new workbook.
struct SampleCopy {
    static let inbox = Repo.root.appendingPathComponent("samples/inbox").path
    var sheet: WorkbookDraft.Sheet

    init(_ relative: String) throws {
        let book = try Spreadsheets.open(path: Self.inbox + "/" + relative)
        let info = try #require(book.sheets.first { $0.kind == .worksheet })
        let grid = try book.loadSheet(info.number)
        sheet = WorkbookDraft.Sheet(name: info.name)
        for row in grid.rows {
            for c in row.cells {
                switch c.value {
                case .number(let d): sheet.cells.append(.init(row: row.number, column: c.column, value: .number(d)))
                case .text(let t): sheet.cells.append(.init(row: row.number, column: c.column, value: .text(t)))
                default: break
                }
            }
        }
    }

    /// The column whose header cell reads `header`.
    func column(_ header: String) throws -> Int {
        try #require(sheet.cells.first { if case .text(let t) = $0.value { return t.hasPrefix(header) }; return false }?.column,
                     "no column \(header)")
    }

    /// The first data row: the row under the row of column codes (A, B, 1, 2…).
    var firstDataRow: Int {
        let codes = sheet.cells.first { if case .text("A") = $0.value { return $0.column == 1 }; return false }!.row
        return codes + 1
    }

    func value(_ row: Int, _ column: Int) -> Double? {
        sheet.cells.first { $0.row == row && $0.column == column }.flatMap { if case .number(let d) = $0.value { return d }; return nil }
    }

    /// The `Tổng cộng` row.
    var totalRow: Int {
        sheet.cells.first { if case .text("Tổng cộng") = $0.value { return true }; return false }!.row
    }

    /// Sets a data cell and keeps the `Tổng cộng` row of its column right.
    mutating func setKeepingTotal(_ row: Int, _ column: Int, _ value: Double?) {
        let old = self.value(row, column) ?? 0
        set(row, column, value.map { .number($0) })
        set(totalRow, column, .number((self.value(totalRow, column) ?? 0) - old + (value ?? 0)))
    }

    mutating func set(_ row: Int, _ column: Int, _ value: WorkbookDraft.Value?) {
        sheet.cells.removeAll { $0.row == row && $0.column == column }
        if let value { sheet.cells.append(.init(row: row, column: column, value: value)) }
    }

    /// Deletes a whole column, shifting those right of it one to the left.
    mutating func deleteColumn(_ column: Int) {
        sheet.cells.removeAll { $0.column == column }
        for i in sheet.cells.indices where sheet.cells[i].column > column { sheet.cells[i].column -= 1 }
    }

    mutating func replaceText(_ old: String, _ new: String) {
        for i in sheet.cells.indices {
            if case .text(let t) = sheet.cells[i].value, t.contains(old) {
                sheet.cells[i].value = .text(t.replacingOccurrences(of: old, with: new))
            }
        }
    }

    func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var draft = WorkbookDraft()
        draft.sheets = [sheet]
        try XLSXWriter.write(draft, to: path)
    }

    /// Writes the copy and checks it as `relative` (its place in an inbox).
    func check(_ relative: String, plan: Plan = IntakeContractTests.plan) throws -> FileResult {
        let path = temporaryFolder("copy") + "/" + (relative as NSString).lastPathComponent
        try write(to: path)
        return FileCheck.check(path: path, relative: relative, plan: plan)
    }
}

/// An inbox of sample files, copied or edited, with their received dates.
func sampleInbox(_ files: [(String, String, SampleCopy?)]) throws -> String {
    let folder = temporaryFolder("inbox")
    var register = "Tên tệp;Ngày nhận\r\n"
    for (relative, received, copy) in files {
        let dest = folder + "/" + relative
        if let copy {
            try copy.write(to: dest)
        } else {
            try FileManager.default.createDirectory(atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: SampleCopy.inbox + "/" + relative, toPath: dest)
        }
        register += "\(relative);\(received)\r\n"
    }
    try register.write(toFile: folder + "/so-cong-van-den.csv", atomically: true, encoding: .utf8)
    return folder
}

/// The intake half of issue 12: each numbered case on edited copies of the sample files.
@Suite struct IntakeContractTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    func codes(_ r: FileResult) -> [String] {
        r.allFindings.map { "\($0.code.rawValue)@\($0.cell ?? "-")" }.sorted()
    }

    /// Records a file in a fresh ledger and returns the totals consolidation would read.
    func totals(_ r: FileResult) throws -> [String: Double] {
        let ledger = try Ledger(path: temporaryFolder("ledger") + "/t.sqlite")
        ledger.begin(Ledger.RunStamp(asOf: Day("2019-12-05")!, startedAt: "t"))
        try ledger.record(r, sha256: UUID().uuidString, size: 1, mtime: 0, receivedOn: Day("2019-11-16")!)
        let id = try #require(try ledger.submissions().first?.id)
        return try ledger.totals(submissions: [id])[id] ?? [:]
    }

    // MARK: 1. Money typed in đồng

    /// A small figure typed in đồng (0,8 triệu as 800.000): under any fixed ceiling, but a
    /// thousand times what the unit has ever reported for the field. Refused at the cell with
    /// the figure to type, from the district's own history (no bound is declared).
    @Test func moneyAThousandTimesTheUnitsHistoryIsRefused() throws {
        var copy = try SampleCopy("Cam Ranh/BC von quy 3 - Cam Ranh.xlsx")
        let col = try copy.column("Lãi tồn thu hồi"), row = copy.firstDataRow
        let meant = 0.8
        copy.setKeepingTotal(row, col, meant * 1_000_000)
        let relative = "Cam Ranh/BC von quy 3 - Cam Ranh.xlsx"
        var r = try copy.check(relative)
        #expect(r.status == .accepted)  // the file alone cannot tell
        // With the ledger: Q1 and Q2 as they came, then this copy.
        let inbox = try sampleInbox([("Cam Ranh/BC von quy 1 - Cam Ranh.xlsx", "10/04/2019", nil),
                                     ("Cam Ranh/BC von quy 2 - Cam Ranh.xlsx", "10/07/2019", nil),
                                     (relative, "10/10/2019", copy)])
        let work = temporaryFolder("work")
        let outcome = try runJob(inbox: inbox, work: work)
        let q3 = try #require(outcome.statuses.first { $0.unit == "569" && $0.form == "capital-quarterly" && $0.period == Period("2019-Q3") })
        #expect(q3.kind == .rejected)
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        let file = try #require(try ledger.files().first { $0.name == relative })
        let suspect = try #require(try ledger.findings(file: file.id).first { $0.code == .unitSuspect })
        #expect(suspect.severity == .error && suspect.cell == CellReference(row: row, column: col).description)
        #expect(suspect.vi.contains("nhập theo triệu đồng: \(VietnameseFormat.number(meant, maxFractionDigits: 3))."))
        #expect(!suspect.vi.contains("không cần sửa"))
        // The same review, with the history given directly.
        IntakeReview.review(&r, receivedOn: Day("2019-10-10")!, plan: Self.plan,
                            history: IntakeHistory(accepted: { _, _, _ in nil }, largest: { _ in ["interest_recovered": 3.5] }))
        #expect(r.status == .rejected)
    }

    @Test func moneyInDongOverADeclaredBoundIsAUnitSuspectNotOutOfRange() throws {
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        let col = try copy.column("Giá trị hỗ trợ"), row = copy.firstDataRow
        let meant = try #require(copy.value(row, col))
        copy.set(row, col, .number(meant * 1_000_000))
        let r = try copy.check("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        #expect(r.status == .rejected)
        #expect(codes(r).contains("unit-suspect@\(CellReference(row: row, column: col))"))
        let f = try #require(r.allFindings.first { $0.code == .unitSuspect })
        #expect(f.vi.contains("ghi bằng đồng") && f.vi.contains("nhập theo triệu đồng: \(VietnameseFormat.number(meant, maxFractionDigits: 3))."))
    }

    // MARK: 2. Blank is no data

    @Test func blankOptionalCellIsAWarningAndNoDataForTheUnit() throws {
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        let col = try copy.column("Số lượt người tham dự"), row = copy.firstDataRow + 2
        copy.set(row, col, nil)
        let r = try copy.check("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        #expect(r.status == .accepted)
        #expect(codes(r) == ["missing-value@\(CellReference(row: row, column: col))"])
        let f = r.allFindings[0]
        #expect(f.severity == .warning && f.vi.contains("chưa có số liệu (không phải 0)"))
        let t = try totals(r)
        #expect(t["outreach_attendance"] == nil)   // no data for the unit, never a partial sum
        #expect(t["outreach_sessions"] != nil)
    }

    /// Excel's accounting format writes a zero as a dash: `-` (with any padding) is 0, not
    /// a blank — a clerk who typed it meant "none", and the total row must then agree.
    @Test func aDashIsAccountingZeroNotBlank() throws {
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        let col = try copy.column("Số lượt người tham dự"), row = copy.firstDataRow
        copy.set(row, col, .text(" -   "))
        let r = try copy.check("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        #expect(!codes(r).contains { $0.hasPrefix("missing-value") })
        let first = try #require(r.submissions.first?.rows.first { $0.row == row })
        #expect(first.numbers["outreach_attendance"] == 0)
        #expect(!first.missing.contains("outreach_attendance"))
    }

    @Test func blankRequiredCellRejectsTheFile() throws {
        var copy = try SampleCopy("Cam Ranh/BC von quy 3 - Cam Ranh.xlsx")
        let col = try copy.column("Số tổ viên"), row = copy.firstDataRow + 1
        copy.set(row, col, nil)
        let r = try copy.check("Cam Ranh/BC von quy 3 - Cam Ranh.xlsx")
        #expect(r.status == .rejected)
        #expect(codes(r).contains("missing-value@\(CellReference(row: row, column: col))"))
        #expect(r.allFindings.allSatisfy { !$0.vi.contains("ghi 0 nếu") })
    }

    @Test func blankZeroWhereTheFormSaysSo() throws {
        let folder = try editedPlan("forms/monthly.yml", replacing: "    unit: lượt\n", with: "    unit: lượt\n    blank: zero\n")
        let plan = try PlanLoader.load(folder: folder)
        #expect(plan.form("monthly")?.field("outreach_attendance")?.blank == .zero)
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        let col = try copy.column("Số lượt người tham dự"), row = copy.firstDataRow
        copy.setKeepingTotal(row, col, nil)
        let r = try copy.check("Nha Trang/BC thang 11 - Nha Trang.xlsx", plan: plan)
        #expect(r.allFindings.isEmpty)
        #expect(r.submissions.first?.rows.first?.numbers["outreach_attendance"] == 0)
    }

    @Test func blankKeyIsCheckedByThePlanLoader() throws {
        let unknown = try editedPlan("forms/monthly.yml", replacing: "    unit: lượt\n", with: "    unit: lượt\n    blank: nothing\n")
        #expect(problems(unknown).contains { $0.key.hasSuffix(".blank") && $0.vi.contains("no-data") })
        let onText = try editedPlan("forms/monthly.yml", replacing: "    type: text\n    blank: empty\n", with: "    type: text\n    blank: zero\n")
        #expect(problems(onText).contains { $0.key.hasSuffix(".blank") && $0.vi.contains("chỉ dùng cho trường số") })
    }

    /// No message, template or guide tells a clerk to type 0 for a figure she does not have.
    @Test func noMessageAdvisesZeroForMissingData() throws {
        let roots = ["Sources", "templates", "docs", "README.md", "samples/README.md"].map { Repo.root.appendingPathComponent($0).path }
        let banned = ["ghi 0 nếu", "0 nếu không có", "(0 if none", "0 if nothing", "nếu đúng, không cần sửa"]
        var found: [String] = []
        for root in roots {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root, isDirectory: &isDir)
            let files = isDir.boolValue ? (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.map { root + "/" + $0 } ?? []) : [root]
            for f in files where [".swift", ".md", ".mustache", ".yml"].contains(where: f.hasSuffix) {
                let text = (try? String(contentsOfFile: f, encoding: .utf8)) ?? ""
                for b in banned where text.localizedCaseInsensitiveContains(b) { found.append("\(f): \(b)") }
            }
        }
        #expect(found.isEmpty, "\(found)")
    }

    // MARK: 3. An optional column deleted

    @Test func deletedOptionalColumnIsAWarningAndNoDataForTheUnit() throws {
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        copy.deleteColumn(try copy.column("Số lượt người tham dự"))
        let r = try copy.check("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        #expect(r.status == .accepted)
        #expect(codes(r) == ["missing-column@-"])
        #expect(r.allFindings[0].severity == .warning && r.allFindings[0].vi.contains("\"Số lượt người tham dự\""))
        let t = try totals(r)
        #expect(t["outreach_attendance"] == nil && t["outreach_sessions"] != nil)
    }

    @Test func deletedAgribankColumnOfAQuarterlyFile() throws {
        var copy = try SampleCopy("Cam Ranh/BC von quy 3 - Cam Ranh.xlsx")
        copy.deleteColumn(try copy.column("Dư nợ tín chấp qua Hội (Agribank)"))
        let r = try copy.check("Cam Ranh/BC von quy 3 - Cam Ranh.xlsx")
        #expect(r.status == .accepted)
        #expect(codes(r) == ["missing-column@-"])
        #expect(try totals(r)["agribank_outstanding"] == nil)
    }

    // MARK: 5. A period named two ways

    @Test func lastMonthsFileCopiedReplacesNothing() throws {
        var copy = try SampleCopy("Cam Ranh/BC thang 10 - Cam Ranh.xlsx")
        let col = try copy.column("Số lượt người tham dự"), row = copy.firstDataRow
        copy.setKeepingTotal(row, col, (copy.value(row, col) ?? 0) + 7)
        let inbox = try sampleInbox([("Cam Ranh/BC thang 10 - Cam Ranh.xlsx", "15/10/2019", nil),
                                     ("Cam Ranh/BC thang 11 - Cam Ranh.xlsx", "15/11/2019", copy)])
        let work = temporaryFolder("work")
        let outcome = try runJob(inbox: inbox, work: work)
        func status(_ p: String) -> ReportStatus? {
            outcome.statuses.first { $0.unit == "569" && $0.form == "monthly" && $0.period == Period(p) }
        }
        #expect(status("2019-10")?.kind == .onTime && status("2019-10")?.file == "Cam Ranh/BC thang 10 - Cam Ranh.xlsx")
        #expect(status("2019-11")?.kind == .rejected)
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        #expect(try ledger.changes().isEmpty)
        #expect(try ledger.submissions().allSatisfy { $0.supersededBy == nil })
        let file = try #require(try ledger.files().first { $0.name == "Cam Ranh/BC thang 11 - Cam Ranh.xlsx" })
        let f = try #require(try ledger.findings(file: file.id).first)
        #expect(f.code == .periodConflict && f.severity == .error)
        #expect(f.vi.contains("Tháng 10/2019") && f.vi.contains("Tháng 11/2019"))
        #expect(f.vi.contains("sẽ thay thế báo cáo Tháng 10/2019 đã được chấp nhận (tệp \"Cam Ranh/BC thang 10 - Cam Ranh.xlsx\", nhận ngày 15/10/2019)"))
    }

    // MARK: 6. A report before its period has ended

    @Test func reportReceivedBeforeItsPeriodEndsIsRefused() throws {
        var copy = try SampleCopy("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        copy.replaceText("Tháng 11/2019", "Tháng 12/2019")
        copy.replaceText("THÁNG 11/2019", "THÁNG 12/2019")
        let relative = "Nha Trang/BC thang 12 - Nha Trang.xlsx"
        var early = try copy.check(relative)
        #expect(early.submissions.first?.period == Period("2019-12"))
        IntakeReview.review(&early, receivedOn: Day("2019-12-03")!, plan: Self.plan, history: nil)
        #expect(early.status == .rejected)
        #expect(codes(early) == ["period-not-ended@-"])
        #expect(early.allFindings[0].vi.contains("14/12/2019"))
        var after = try copy.check(relative)
        IntakeReview.review(&after, receivedOn: Day("2019-12-16")!, plan: Self.plan, history: nil)
        #expect(after.status == .accepted && after.allFindings.isEmpty)
        // A year's plan is due before its year ends: never refused for it.
        var plan = FileCheck.check(path: SampleCopy.inbox + "/Nha Trang/Ke hoach giup PN ngheo 2019 - Nha Trang.xlsx",
                                   relative: "Nha Trang/Ke hoach giup PN ngheo 2019 - Nha Trang.xlsx", plan: Self.plan)
        IntakeReview.review(&plan, receivedOn: Day("2019-03-25")!, plan: Self.plan, history: nil)
        #expect(plan.status == .accepted)
    }

    // MARK: 12. Every file reaches its district

    @Test func unreadableAndUnidentifiedFilesReachTheirDistrict() throws {
        // The .xls as it came, and a readable sheet with no table of any form named as
        // Cam Lâm's August report.
        let inbox = try sampleInbox([("Cam Lam/Danh gia tiet kiem 2018 - Cam Lam.xls", "20/03/2019", nil)])
        try FileManager.default.copyItem(atPath: SampleCopy.inbox + "/Book1.xlsx", toPath: inbox + "/Cam Lam/BC thang 8 - Cam Lam.xlsx")
        let register = try String(contentsOfFile: inbox + "/so-cong-van-den.csv", encoding: .utf8)
        var list = try SampleCopy("Book1.xlsx")
        list.set(4, 1, .text("Bà Lê Thị Mai"))
        try list.write(to: inbox + "/Cam Lam/Tai lieu - Cam Lam.xlsx")
        try (register + "Cam Lam/BC thang 8 - Cam Lam.xlsx;16/09/2019\r\nCam Lam/Tai lieu - Cam Lam.xlsx;17/09/2019\r\n")
            .write(toFile: inbox + "/so-cong-van-den.csv", atomically: true, encoding: .utf8)
        let work = temporaryFolder("work")
        let outcome = try runJob(inbox: inbox, work: work)
        func status(_ form: String, _ p: String) -> ReportStatus? {
            outcome.statuses.first { $0.unit == "570" && $0.form == form && $0.period == Period(p) }
        }
        let xls = try #require(status("savings-eval", "2018"))
        #expect(xls.kind == .rejected && xls.unread == .format && xls.received == Day("2019-03-20"))
        #expect(xls.text(.vi) == "đã nhận, không đọc được — gửi lại dạng .xlsx")
        #expect(status("monthly", "2019-08")?.unread == .unidentified)
        #expect(status("monthly", "2019-07")?.kind == .missing)
        let page = try String(contentsOfFile: work + "/reports/2019-11/phan-hoi/570.html", encoding: .utf8)
        #expect(page.contains("Đã nhận, không đọc được — gửi lại dạng .xlsx"))
        #expect(page.contains("Danh gia tiet kiem 2018 - Cam Lam.xls"))
        // A file whose name gives the district but no form: on the district's page all the same.
        let unplaced = Completeness.unplaced(plan: Self.plan, files: try Ledger(path: work + "/tonghop.sqlite").files(),
                                             submissions: try Ledger(path: work + "/tonghop.sqlite").submissions(), asOf: Day("2019-12-05")!)
        #expect(unplaced.map(\.file) == ["Cam Lam/Tai lieu - Cam Lam.xlsx"] && unplaced.first?.reason == .unidentified)
        #expect(page.contains("Cam Lam/Tai lieu - Cam Lam.xlsx"))
        #expect(page.contains("Đã nhận, không tìm thấy bảng của biểu — dùng biểu mẫu của tỉnh và gửi lại"))
        // Trường Sa is shown exempt, and counts in no rate.
        #expect(outcome.statuses.contains { $0.unit == "576" && $0.kind == .exempt })
        #expect(Completeness.rates(outcome.statuses) { $0.unit }["576"] == nil)
        let index = try String(contentsOfFile: work + "/reports/2019-11/index.html", encoding: .utf8)
        #expect(index.contains("Huyện Trường Sa"))
    }
}
