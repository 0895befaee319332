import Foundation
import Sheets
import Testing
@testable import TongHop

/// The same period of last year comes from the ledger, not from last year's report folder:
/// a ledger that ran last year gives November 2019's report the figures of November 2018; a
/// ledger started this year says plainly that there is no figure for last year.
@Suite(.serialized) struct LastYearTests {
    /// The 2019 plan moved to 2018 (its year and the annual form's period).
    static func plan2018() throws -> Plan {
        let dir = temporaryFolder("plan-2018") + "/plan"
        try FileManager.default.copyItem(atPath: Repo.plan2019, toPath: dir)
        let edits = [("plan.yml", "year: 2019", "year: 2018"), ("plan.yml", "capital-annual: {date: 2019-11-30}", "capital-annual: {date: 2018-11-30}"),
                     ("forms/capital-annual.yml", "periods: [\"2019\"]", "periods: [\"2018\"]"),
                     ("forms/capital-annual.yml", "title: Báo cáo công tác quản lý các nguồn vốn và hoạt động tiết kiệm năm 2019",
                      "title: Báo cáo công tác quản lý các nguồn vốn và hoạt động tiết kiệm năm 2018")]
        for (file, old, new) in edits {
            let path = dir + "/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try #require(text.contains(old), "\(old) not in \(file)")
            try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        }
        return try PlanLoader.load(folder: dir)
    }

    /// Every district's 2018 capital report, received on 20/11/2018: per commune an outstanding
    /// 1 000 and an overdue 4, so the province's overdue ratio was 0,4 %.
    static func inbox2018(_ plan: Plan) throws -> String {
        let inbox = temporaryFolder("inbox-2018") + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let form = try #require(plan.form("capital-annual"))
        let figures: [String: Double] = ["outstanding": 1000, "households": 5, "groups": 4, "groups_good": 2, "groups_fair": 1,
                                         "groups_average": 1, "groups_weak": 0, "overdue": 4, "members": 10, "members_saving": 8,
                                         "branches_total": 2, "branches_with_savings": 2]
        var register = "\u{FEFF}Tên tệp;Ngày nhận\r\n"
        for unit in plan.activeUnits {
            let rows: [[String: WorkbookDraft.Value]] = unit.communes.map { commune in
                var row: [String: WorkbookDraft.Value] = ["commune": .text(commune)]
                for f in form.fields where f.type == .integer || f.type == .decimal { row[f.key] = .number(figures[f.key] ?? 1) }
                return row
            }
            let name = "BC von nam 2018 - \(unit.code).xlsx"
            try XLSXWriter.write(FormLayout.draft(plan: plan, form: form, unit: unit, period: Period("2018")!, rows: rows), to: inbox + "/" + name)
            register += "\(name);20/11/2018\r\n"
        }
        try register.write(toFile: inbox + "/so-cong-van-den.csv", atomically: true, encoding: .utf8)
        return inbox
    }

    static func lastYearValue(_ folder: String, target: String) throws -> (period: String?, value: String?) {
        let (_, rows) = try MachineCSVTests.table("chi-tieu.csv", folder: folder)
        let row = try #require(rows.first { $0["target"] == target && $0["unit_code"] == "province" })
        return (row["last_year_period"], row["last_year_value"])
    }

    @Test func theSamePeriodOfLastYearIsReadFromTheLedger() throws {
        let work = temporaryFolder("last-year")
        let plan2018 = try Self.plan2018()
        // Last year's run: its reports go elsewhere and are then deleted.
        let lastYearOut = work + "/reports-2018"
        let outcome = try RunJob.run(plan: plan2018, options: RunOptions(inbox: try Self.inbox2018(plan2018), out: lastYearOut,
                                                                          database: work + "/tonghop.sqlite", asOf: Day("2018-12-05")!))
        #expect(outcome.statuses.filter { $0.form == "capital-annual" && $0.kind == .onTime }.count == plan2018.activeUnits.count)
        try FileManager.default.removeItem(atPath: lastYearOut)

        let inbox = Repo.root.appendingPathComponent("samples/inbox").path
        for day in ["2019-11-05", "2019-12-05"] {
            _ = try RunJob.run(plan: PeriodStateTests.plan, options: RunOptions(inbox: inbox, out: work + "/reports",
                                                                                database: work + "/tonghop.sqlite", asOf: Day(day)!))
        }
        let november = work + "/reports/2019-11"
        let ratio = try Self.lastYearValue(november, target: "overdue-ratio")
        #expect(ratio.period == "2018-11")
        #expect(ratio.value == "0.4")
        // A target whose inputs last year's ledger lacks has no figure, not 0.
        #expect(try Self.lastYearValue(november, target: "poor-women-escaped").value == "")
        // Needs a baseline of 31/12/2017, which this year's plan does not hold.
        #expect(try Self.lastYearValue(november, target: "overdue-recovery").value == "")

        let html = try String(contentsOfFile: november + "/index.html", encoding: .utf8)
        let multiples = try #require(html.components(separatedBy: "<div class=\"multiples\">").dropFirst().first).components(separatedBy: "</div>")[0]
        #expect(multiples.contains("cùng kỳ năm 2018 (Tháng 11/2018): 0,4%"))
        #expect(multiples.contains("không có số liệu cùng kỳ năm trước (Tháng 11/2018)"))
    }

    @Test func aLedgerStartedThisYearSaysThereIsNoFigure() throws {
        let report = MachineCSVTests.report
        for target in PeriodStateTests.plan.targets.map(\.id) {
            #expect(try Self.lastYearValue(report, target: target).value == "")
        }
        let ledger = try Ledger.open(MachineCSVTests.report + "/../../tonghop.sqlite", mode: .readOnly).ledger
        #expect(try ledger.lastYearTargets(plan: PeriodStateTests.plan, period: Period("2019-11")!, asOf: Day("2019-12-05")!).isEmpty)
    }
}
