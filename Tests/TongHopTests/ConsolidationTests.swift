import Foundation
import Sheets
import Testing
@testable import TongHop

// The consolidation contract (issue 12, items 2, 3, 4, 8, 9, 10 and 11): what the board can
// rely on in a consolidated figure, a comparison and a verdict.

/// A sample workbook's first sheet as a draft, to edit and write back as a new file.
struct EditedSample {
    var draft: WorkbookDraft

    init(_ relative: String) throws {
        let book = try Spreadsheets.open(path: Repo.root.appendingPathComponent("samples/inbox/" + relative).path)
        let grid = try book.loadSheet(1)
        var sheet = WorkbookDraft.Sheet(name: book.sheets[0].name)
        for row in grid.rows {
            for cell in row.cells {
                switch cell.value {
                case .empty: continue
                case .number(let d): sheet.set(row.number, cell.column, .number(d))
                case .text(let s): sheet.set(row.number, cell.column, .text(s))
                case .bool(let b): sheet.set(row.number, cell.column, .bool(b))
                default: sheet.set(row.number, cell.column, .text(cell.value.displayText))
                }
            }
        }
        draft = WorkbookDraft()
        draft.sheets = [sheet]
    }

    var cells: [WorkbookDraft.WrittenCell] {
        get { draft.sheets[0].cells }
        set { draft.sheets[0].cells = newValue }
    }

    /// The column whose header cell reads `header`.
    func column(_ header: String) -> Int? {
        cells.first { if case .text(let s) = $0.value { return s == header }; return false }?.column
    }

    /// The sheet row of a commune.
    func row(_ commune: String) -> Int? {
        cells.first { if case .text(let s) = $0.value { return s == commune }; return false }?.row
    }

    /// Deletes a column, as a clerk does: the columns on its right move left.
    mutating func deleteColumn(_ header: String) {
        guard let c = column(header) else { return }
        cells = cells.filter { $0.column != c }.map { var x = $0; if x.column > c { x.column -= 1 }; return x }
    }

    mutating func set(row: Int, column: Int, _ value: Double) {
        cells.removeAll { $0.row == row && $0.column == column }
        cells.append(.init(row: row, column: column, value: .number(value)))
    }

    func number(row: Int, column: Int) -> Double? {
        guard let c = cells.first(where: { $0.row == row && $0.column == column }), case .number(let d) = c.value else { return nil }
        return d
    }

    func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try XLSXWriter.write(draft, to: path)
    }
}

/// An inbox of chosen sample files (copied, or edited copies), with the register giving
/// each file's received date.
func makeInbox(_ label: String, copies: [String: String], edited: [String: (EditedSample, String)] = [:]) throws -> String {
    let inbox = temporaryFolder(label)
    var register = "\u{FEFF}Tên tệp;Ngày nhận\n"
    for (relative, day) in copies.sorted(by: { $0.key < $1.key }) {
        let to = inbox + "/" + relative
        try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("samples/inbox/" + relative).path, toPath: to)
        register += "\(relative);\(day)\n"
    }
    for (relative, (sample, day)) in edited.sorted(by: { $0.key < $1.key }) {
        try sample.write(to: inbox + "/" + relative)
        register += "\(relative);\(day)\n"
    }
    try register.write(toFile: inbox + "/" + Inbox.registerName, atomically: true, encoding: .utf8)
    return inbox
}

@Suite struct CoverageTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let november: [String: String] = [
        "Nha Trang/BC thang 11 - Nha Trang.xlsx": "16/11/2019", "Cam Ranh/BC thang 11 - Cam Ranh (sua ky bao cao).xlsx": "18/11/2019",
        "Cam Lam/BC thang 11 - Cam Lam.xlsx": "16/11/2019", "Van Ninh/BC thang 11 - Van Ninh.xlsx": "18/11/2019",
        "Ninh Hoa/BC thang 11 - Ninh Hoa.xlsx": "15/11/2019", "Khanh Vinh/BC thang 11 - Khanh Vinh.xlsx": "18/11/2019",
        "Khanh Son/BC thang 11 - Khanh Son.xlsx": "18/11/2019"]

    /// Case 3: "Số lượt người tham dự" deleted from Nha Trang's November file. Diên Khánh sent
    /// nothing. The province figure of that column stands on 6 units and says so; the other
    /// columns on 7.
    static let deleted: (work: String, outcome: RunOutcome) = {
        var nhaTrang = try! EditedSample("Nha Trang/BC thang 11 - Nha Trang.xlsx")
        nhaTrang.deleteColumn("Số lượt người tham dự")
        var copies = november
        copies["Nha Trang/BC thang 11 - Nha Trang.xlsx"] = nil
        let inbox = try! makeInbox("coverage", copies: copies, edited: ["Nha Trang/BC thang 11 - Nha Trang.xlsx": (nhaTrang, "16/11/2019")])
        let work = temporaryFolder("coverage-work")
        return (work, try! runJob(inbox: inbox, work: work))
    }()

    @Test func aDeletedColumnIsNoDataAndTheProvinceSaysWhoIsMissing() throws {
        let reports = Self.deleted.work + "/reports/2019-11"
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reports + "/summary.json"))) as? [String: Any])
        let figures = try #require(json["figures"] as? [[String: Any]])
        func figure(_ field: String) -> [String: Any]? {
            figures.first { $0["form"] as? String == "monthly" && $0["field"] as? String == field && $0["period"] as? String == "2019-11" }
        }
        let attendance = try #require(figure("outreach_attendance"))
        let coverage = try #require(attendance["coverage"] as? [String: [String]])
        #expect(coverage["missing"] == ["568", "574"])
        #expect(coverage["units"]?.count == 6)
        // The sum of the six that have it: the deleted column is not a 0 under a full label.
        let byUnit = try #require(FileManager.default.contents(atPath: reports + "/csv/tong-hop-monthly-2019-11.csv"))
        let csv = String(decoding: byUnit, as: UTF8.self)
        // Column by column, how many units the province figure stands on; Nha Trang's cell of the
        // deleted column is empty, not 0.
        let lines = csv.dropFirst().components(separatedBy: "\r\n").map { $0.components(separatedBy: ",") }
        let header = try #require(lines.first)
        let attendanceColumn = try #require(header.firstIndex(of: "outreach_attendance"))
        let sessionsColumn = try #require(header.firstIndex(of: "outreach_sessions"))
        let counts = try #require(lines.first { $0.first == "units_with_data" })
        #expect(counts[1] == "Số đơn vị có số liệu")
        #expect(counts[attendanceColumn] == "6")
        #expect(counts[sessionsColumn] == "7")
        let nhaTrang = try #require(lines.first { $0.first == "568" })
        #expect(nhaTrang[attendanceColumn] == "")
        #expect(nhaTrang[sessionsColumn] != "")
        let sessions = try #require(figure("outreach_sessions")?["coverage"] as? [String: [String]])
        #expect(sessions["missing"] == ["574"])
        let html = try String(contentsOfFile: reports + "/index.html", encoding: .utf8)
        #expect(html.contains("số đơn vị có số liệu khác nhau theo cột, xem dòng dưới"))
        #expect(html.contains("title=\"6/8 đơn vị — thiếu Thành phố Nha Trang, Huyện Diên Khánh\">6/8</td>"))
        #expect(!html.contains("(8/8 đơn vị)"))
    }

    @Test func aDeletedColumnIsLeftOutOfTheComparisonToo() throws {
        // No October here: nothing to compare, and the report says so instead of +100 %.
        let html = try String(contentsOfFile: Self.deleted.work + "/reports/2019-11/index.html", encoding: .utf8)
        #expect(!html.contains("+100%"))
    }

    // MARK: - Built from totals directly

    static func status(_ unit: String, _ form: String, _ period: String, _ kind: ReportStatus.Kind = .onTime, id: Int64) -> ReportStatus {
        ReportStatus(unit: unit, form: form, period: Period(period)!, due: Day("2019-12-31")!, kind: kind, received: Day("2019-01-01"),
                     submission: kind == .onTime ? id : nil)
    }

    @Test func noDataIsNeverSummed() {
        let units = Self.plan.activeUnits.map(\.code)
        var statuses: [ReportStatus] = []
        var totals: [Int64: [String: Double]] = [:]
        for (i, u) in units.enumerated() {
            statuses.append(Self.status(u, "monthly", "2019-11", u == "574" ? .missing : .onTime, id: Int64(i + 1)))
            totals[Int64(i + 1)] = u == "569" ? ["outreach_sessions": 10] : ["outreach_sessions": 10, "outreach_attendance": 100]
        }
        let c = Consolidation(plan: Self.plan, statuses: statuses, totals: totals)
        let f = c.provinceFigure(form: "monthly", field: "outreach_attendance", period: Period("2019-11")!)
        #expect(f.value == 600)
        #expect(f.coverage.contributing == ["568", "570", "571", "572", "573", "575"])
        #expect(f.coverage.missing == ["569", "574"])
        let none = c.provinceFigure(form: "monthly", field: "job_referrals", period: Period("2019-11")!)
        #expect(none.value == nil && none.coverage.contributing.isEmpty)
        let model = ReportModel(input: ReportInput(plan: Self.plan, asOf: Day("2019-12-05")!, period: Period("2019-11")!, statuses: statuses,
                                                   targets: [], consolidation: c, files: [], submissions: [], findings: [:], changes: []))
        #expect(model.coverageText(f.coverage) == "6/8 đơn vị — thiếu Thành phố Cam Ranh, Huyện Diên Khánh")
        #expect(model.coverageText(none.coverage) == "0/8 đơn vị — chưa đơn vị nào có số liệu")
        // A national plan's long lists are cut for the reader (summary.json keeps them whole).
        #expect(model.list((1...12).map { "Huyện \($0)" }, noun: "đơn vị") == "Huyện 1, Huyện 2, Huyện 3, Huyện 4, Huyện 5, Huyện 6, Huyện 7, Huyện 8 và 4 đơn vị khác")
    }
}

/// Targets and changes computed from totals built here, as the ledger would give them.
@Suite struct TargetContractTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static var units: [String] { plan.activeUnits.map(\.code) }

    /// A year of monthly reports up to `through` for every unit (`skip` leaves one out),
    /// with the poverty plan: each unit registers 100 households, 80 female-headed, one
    /// union per commune row.
    struct Year {
        var statuses: [ReportStatus] = []
        var totals: [Int64: [String: Double]] = [:]
        var next: Int64 = 1

        mutating func add(_ unit: String, _ form: String, _ period: String, _ values: [String: Double]?, kind: ReportStatus.Kind = .onTime) {
            let id = next
            next += 1
            statuses.append(ReportStatus(unit: unit, form: form, period: Period(period)!, due: Day("2019-12-31")!,
                                         kind: values == nil ? kind == .onTime ? .missing : kind : kind,
                                         received: Day("2019-01-01"), submission: values == nil ? nil : id))
            if let values { totals[id] = values }
        }
    }

    static func year(through month: Int, escapedPerMonth: Double = 7, skip: (unit: String, month: Int)? = nil) -> Year {
        var y = Year()
        for u in units {
            y.add(u, "poverty-plan", "2019", ["registered_2019": 100, "registered_female_headed_2019": 80, "grassroots_unions": 3])
            for m in 1...month {
                let p = String(format: "2019-%02d", m)
                if let skip, skip.unit == u, skip.month == m { y.add(u, "monthly", p, nil); continue }
                y.add(u, "monthly", p, ["escaped_poor_women": escapedPerMonth, "escaped_female_headed": escapedPerMonth,
                                        "escaped_direct_help": 1])
            }
        }
        return y
    }

    static func evaluate(_ y: Year, plan: Plan = plan) -> (Consolidation, [TargetResult]) {
        let c = Consolidation(plan: plan, statuses: y.statuses, totals: y.totals)
        return (c, TargetEvaluation.evaluate(plan: plan, consolidation: c))
    }

    static func result(_ results: [TargetResult], _ target: String, _ unit: String) -> TargetResult? {
        results.first { $0.target == target && $0.unit == unit }
    }

    static func model(_ y: Year, _ c: Consolidation, _ results: [TargetResult], asOf: String = "2019-12-05", period: String = "2019-11") -> ReportModel {
        ReportModel(input: ReportInput(plan: plan, asOf: Day(asOf)!, period: Period(period)!, statuses: y.statuses, targets: results,
                                       consolidation: c, files: [], submissions: [], findings: [:], changes: []))
    }

    /// Case 2: a missing month is not a zero month. Diên Khánh without November is "không
    /// đánh giá được" naming November, not "✗ 71,7"; the province names Diên Khánh.
    @Test func aMissingMonthMakesTheYearUnevaluable() throws {
        let y = Self.year(through: 12, skip: ("574", 11))
        let (c, results) = Self.evaluate(y)
        let r = try #require(Self.result(results, "poor-women-escaped", "574"))
        #expect(r.status == .noData && r.value == nil)
        #expect(r.missing == ["monthly.escaped_poor_women@2019-11"])
        let text = Self.model(y, c, results).explain(Self.plan.targets[0], r)
        #expect(text.contains("Không đánh giá được"))
        #expect(text.contains("Tháng 11/2019 (Báo cáo tháng thực hiện nhiệm vụ hỗ trợ phụ nữ phát triển kinh tế: Số hộ phụ nữ nghèo thoát nghèo)"))
        let province = try #require(Self.result(results, "poor-women-escaped", "province"))
        #expect(province.status == .noData && province.missing == ["574"])
        #expect(Self.model(y, c, results).describeMissing(province) == "thiếu số liệu của Huyện Diên Khánh")
        // The others have the whole year: 84 of 100 registered households, met.
        #expect(Self.result(results, "poor-women-escaped", "568")?.status == .met)
        #expect(Self.result(results, "poor-women-escaped", "568")?.value == 84)
    }

    /// Case 3: the escaped-households column deleted from one month's file is no data for
    /// that month, not a month of 0 that flips the target to ✗ with nothing missing.
    @Test func aDeletedColumnInOneMonthMakesTheTargetUnevaluable() throws {
        var y = Self.year(through: 12)
        let october = try #require(y.statuses.first { $0.unit == "571" && $0.form == "monthly" && $0.period == Period("2019-10") }?.submission)
        y.totals[october]?["escaped_poor_women"] = nil
        let (_, results) = Self.evaluate(y)
        let r = try #require(Self.result(results, "poor-women-escaped", "571"))
        #expect(r.status == .noData)
        #expect(r.missing == ["monthly.escaped_poor_women@2019-10"])
        // The female-headed target reads another column, which is all there.
        #expect(Self.result(results, "female-headed-escaped", "571")?.status == .met)
    }

    /// Case 9: in April a year target is judged against the level expected to date, not
    /// against the year's end: on track or behind, never ✗; the ranking counts it.
    @Test func beforeTheYearEndsTargetsShowProgress() throws {
        // Three months at 9,1 a month: 27,3 % of the year's registrations, against 75 % × 3/12.
        let y = Self.year(through: 3, escapedPerMonth: 9.1)
        let (c, results) = Self.evaluate(y)
        let r = try #require(Self.result(results, "poor-women-escaped", "568"))
        #expect(r.status == .onTrack)
        #expect(r.expected == 18.75)
        #expect(r.fraction == 0.25)
        #expect(r.through == Period("2019-03"))
        let model = Self.model(y, c, results, asOf: "2019-04-20", period: "2019-03")
        #expect(model.progressText(Self.plan.targets[0], r) == "số liệu đến hết Tháng 3/2019 (3/12 tháng); mức cần đạt đến nay ≥ 18,75%")
        #expect(!results.contains { $0.status == .notMet && $0.target == "poor-women-escaped" })
        // The ranking counts targets met or on track: not 0/3 for everyone.
        let ranking = model.ranking()
        #expect(ranking.allSatisfy { $0.met != "0" })
        // 4 a month is behind (12 % against 18,75 %).
        let (_, slow) = Self.evaluate(Self.year(through: 3, escapedPerMonth: 4))
        #expect(Self.result(slow, "poor-women-escaped", "568")?.status == .behind)
        #expect(Self.result(slow, "poor-women-escaped", "province")?.status == .behind)
    }

    @Test func milestonesSetTheExpectedLevel() throws {
        let folder = try editedPlan("plan.yml", replacing: "    threshold: \">= 75\"\n", with: "    threshold: \">= 75\"\n    milestones: {2019-06: 60}\n")
        let plan = try PlanLoader.load(folder: folder)
        #expect(plan.targets[0].milestones.map(\.value) == [60])
        // By March: half-way to the June milestone (30 %), so 27,3 % is behind.
        let (_, results) = Self.evaluate(Self.year(through: 3, escapedPerMonth: 9.1), plan: plan)
        let r = try #require(Self.result(results, "poor-women-escaped", "568"))
        #expect(r.expected == 30)
        #expect(r.status == .behind)
        let wrong = try editedPlan("plan.yml", replacing: "    threshold: \">= 75\"\n", with: "    threshold: \">= 75\"\n    milestones: {2019-13: 60, 2019-06: nhiều}\n")
        let messages = problems(wrong).map(\.vi)
        #expect(messages.contains { $0.contains("\"2019-13\" không phải là một tháng của năm 2019") })
        #expect(messages.contains { $0.contains("\"nhiều\" không phải là số") })
    }

    /// Case 8: "Mỗi cơ sở Hội…" is per union. A district whose average is above 2 but one of
    /// whose unions is below does not meet it, and the report counts the unions.
    @Test func perUnionTargetsAreJudgedPerCommuneRow() throws {
        let y = Self.year(through: 12)
        let months = (1...12).map { String(format: "2019-%02d", $0) }
        var c = Consolidation(plan: Self.plan, statuses: y.statuses, totals: y.totals)
        for u in Self.plan.activeUnits {
            let communes = Array(u.communes.prefix(3)).map(ReportingUnit.communeKey)
            c.setRows(form: "poverty-plan", period: Period("2019")!, unit: u.code,
                      rows: Dictionary(uniqueKeysWithValues: communes.map { ($0, ["grassroots_unions": 1.0]) }))
            for m in months {
                // Nha Trang: one household a month in two unions, none in the third (an average of
                // 8 a union, well above 2), one union below 2. Everyone else: one a month in each.
                let rows = communes.enumerated().map { i, k in (k, ["escaped_direct_help": u.code == "568" && i == 2 ? 0.0 : 1.0]) }
                c.setRows(form: "monthly", period: Period(m)!, unit: u.code, rows: Dictionary(uniqueKeysWithValues: rows))
            }
        }
        let results = TargetEvaluation.evaluate(plan: Self.plan, consolidation: c)
        let nhaTrang = try #require(Self.result(results, "direct-help-per-union", "568"))
        #expect(nhaTrang.status == .notMet)
        #expect(nhaTrang.unions == UnionCount(met: 2, evaluated: 3, noData: 0, failing: ["Vĩnh Phước"]))
        #expect(Self.result(results, "direct-help-per-union", "569")?.status == .met)
        let province = try #require(Self.result(results, "direct-help-per-union", "province"))
        #expect(province.status == .notMet)
        #expect(province.unions?.met == 23 && province.unions?.total == 24)
        let model = Self.model(y, c, results)
        let t = try #require(Self.plan.targets.first { $0.id == "direct-help-per-union" })
        #expect(model.shownValue(t, province) == "23/24")
        let row = try #require(model.targetRows().first { $0.name == t.name })
        let notes = row.notes.map(\.text)
        #expect(notes.contains("23/24 cơ sở Hội đạt; huyện đạt khi mọi cơ sở Hội của huyện đạt"))
        #expect(model.explain(t, nhaTrang).contains("chưa đạt: Vĩnh Phước"))
    }

    @Test func perCommuneTargetsReadOnlyPerCommuneForms() throws {
        let folder = try editedPlan("plan.yml", replacing: "    per: commune\n", with: "    per: xã\n")
        #expect(problems(folder).contains { $0.key == "targets[3].per" && $0.vi.contains("dùng commune") })
        let single = try editedPlan("plan.yml", replacing: "  - id: no-weak-groups\n", with: "  - id: no-weak-groups\n    per: commune\n")
        #expect(problems(single).isEmpty)
    }

    /// Case 10: enough digits that the verdict shows, and what each target is computed from.
    @Test func valuesShowTheirVerdictAndTheirBasis() throws {
        #expect(Show.verdict(0.31, bound: 0.3, comparison: .atMost, digits: 1) == "0,31")
        #expect(Show.verdict(0.25, bound: 0.3, comparison: .atMost, digits: 2) == "0,25")
        #expect(Show.verdict(0.3049, bound: 0.3, comparison: .atMost, digits: 1) == "0,305")
        #expect(Show.verdict(76.6, bound: 75, comparison: .atLeast, digits: 1) == "76,6")
        #expect(Show.verdict(74.96, bound: 75, comparison: .atLeast, digits: 1) == "74,96")
        let y = Self.year(through: 12)
        let (c, results) = Self.evaluate(y)
        let model = Self.model(y, c, results)
        let escaped = Self.plan.targets[0]
        let r = try #require(Self.result(results, escaped.id, "568"))
        #expect(model.basis(escaped, r) == "tử số: Số hộ phụ nữ nghèo thoát nghèo = 84; mẫu số: Số hộ đăng ký giúp năm 2019 = 100")
        let overdue = try #require(Self.plan.targets.first { $0.id == "overdue-ratio" })
        var ratio = TargetResult(target: overdue.id, unit: "569", value: 0.309986, threshold: 0.3, comparison: .atMost, status: .notMet, missing: [])
        #expect(model.shownValue(overdue, ratio) == "0,31")
        ratio.value = 0.25
        #expect(model.shownValue(overdue, ratio) == "0,25")
        // The Agribank target: the increase over 31/12/2018, with the baseline named.
        let agribank = try #require(Self.plan.targets.first { $0.id == "agribank-growth" })
        let grew = TargetResult(target: agribank.id, unit: "568", value: 1290, threshold: 0, comparison: .greater, status: .met, missing: [])
        var withInputs = grew
        withInputs.inputs = ["capital_annual.agribank_outstanding": 22790, "baseline.agribank_outstanding": 21500]
        #expect(model.basis(agribank, withInputs)
                == "Dư nợ tín chấp qua Hội (Agribank) = 22.790; Dư nợ tín chấp qua Hội (Agribank) tại 31/12/2018 = 21.500")
        #expect(model.shownValue(agribank, grew) == "1.290")
    }

    /// Case 4: a change is computed on the units present in both periods and says so; its
    /// colour follows the field's good direction.
    @Test func changesAreLikeForLike() throws {
        var y = Year()
        for u in Self.units {
            y.add(u, "capital-quarterly", "2019-Q2", u == "570" ? nil : ["outstanding": 100, "overdue": 1, "groups": 10], kind: u == "570" ? .rejected : .onTime)
            y.add(u, "capital-quarterly", "2019-Q3", ["outstanding": 102, "overdue": 2, "groups": u == "570" ? 143 : 10])
        }
        let c = Consolidation(plan: Self.plan, statuses: y.statuses, totals: y.totals)
        let model = Self.model(y, c, [], asOf: "2019-10-20", period: "2019-09")
        let change = try #require(model.periodChanges().first { $0.title == "Báo cáo số liệu các nguồn vốn quý" })
        #expect(change.note == "So sánh trên 7 đơn vị có số liệu cả hai kỳ (không tính Huyện Cam Lâm).")
        func row(_ name: String) -> PeriodChange.Row? { change.rows.first { $0.name == name } }
        #expect(row("Tổng dư nợ ủy thác")?.percent == "+2%")
        #expect(row("Tổng dư nợ ủy thác")?.css == "good")
        // Cam Lâm's 143 groups appearing are not growth.
        #expect(row("Số tổ TK&VV")?.delta == "+0")
        // Rising overdue debt is bad news.
        #expect(row("Nợ quá hạn")?.css == "bad")
        #expect(row("Nợ quá hạn")?.units == "7/8")
    }

    @Test func everyNumericFieldDeclaresItsGoodDirection() throws {
        for form in Self.plan.forms {
            for f in form.fields where [.integer, .decimal, .percent].contains(f.type) {
                #expect(f.better != .none || ["households", "groups", "groups_average", "members", "members_total", "branches_total",
                                              "registered_2019", "registered_female_headed_2019", "grassroots_unions", "allocated",
                                              "opening", "lent", "repaid", "closing", "borrower_turns", "loans_from_savings"].contains(f.key),
                        "\(form.id).\(f.key)")
            }
        }
        #expect(Self.plan.form("capital-quarterly")?.field("overdue")?.better == .lower)
        let missing = try editedPlan("forms/monthly.yml", replacing: "    measure: flow\n    better: higher\n  - key: outreach_attendance",
                                     with: "    measure: flow\n  - key: outreach_attendance")
        #expect(problems(missing).contains { $0.file == "forms/monthly.yml" && $0.key == "fields[2].better" && $0.vi.contains("better: higher") })
        let wrong = try editedPlan("forms/monthly.yml", replacing: "    measure: flow\n    better: higher\n  - key: outreach_attendance",
                                   with: "    measure: flow\n    better: highr\n  - key: outreach_attendance")
        #expect(problems(wrong).contains { $0.key == "fields[2].better" && $0.vi.contains("có phải là \"higher\"") })
    }
}

/// Case 11: a correction accepted in the period shows in the board's report and on the
/// district's page: file, cell, old → new, and the effect on the district's total.
@Suite struct WhatChangedTests {
    static let original = try! EditedSample("Khanh Son/BC thang 11 - Khanh Son.xlsx")
    static let row = original.row("Ba Cụm Bắc")!
    static let sheet = original.draft.sheets[0].name
    static let work: String = {
        var fixed = try! EditedSample("Khanh Son/BC thang 11 - Khanh Son.xlsx")
        let column = fixed.column("Số hộ phụ nữ nghèo được hỗ trợ")!
        let row = fixed.row("Ba Cụm Bắc")!
        precondition(fixed.number(row: row, column: column) == 12)
        fixed.set(row: row, column: column, 15)
        let total = fixed.row("Tổng cộng")!
        fixed.set(row: total, column: column, fixed.number(row: total, column: column)! + 3)
        let inbox = try! makeInbox("changes", copies: ["Khanh Son/BC thang 11 - Khanh Son.xlsx": "18/11/2019"],
                                   edited: ["Khanh Son/BC thang 11 - Khanh Son (sua lai).xlsx": (fixed, "22/11/2019")])
        let work = temporaryFolder("changes-work")
        _ = try! runJob(inbox: inbox, work: work)
        return work
    }()

    @Test func theBoardReportListsTheCorrection() throws {
        let html = try String(contentsOfFile: Self.work + "/reports/2019-11/index.html", encoding: .utf8)
        #expect(html.contains("Những gì đã thay đổi trong kỳ"))
        #expect(html.contains("Khanh Son/BC thang 11 - Khanh Son (sua lai).xlsx (nhận 22/11/2019)"))
        #expect(html.contains("\(Self.sheet)!hàng \(Self.row) (xã Ba Cụm Bắc)"))
        #expect(html.contains("<td class=\"num\">12 → 15</td>"))
        #expect(html.contains("tổng của đơn vị: 51 → 54 (+3)"))
        let page = try String(contentsOfFile: Self.work + "/reports/2019-11/phan-hoi/575.html", encoding: .utf8)
        #expect(page.contains("12 → 15"))
        #expect(page.contains("tổng của đơn vị: 51 → 54 (+3)"))
        let other = try String(contentsOfFile: Self.work + "/reports/2019-11/phan-hoi/568.html", encoding: .utf8)
        #expect(other.contains("Không có số liệu nào được sửa trong kỳ."))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.work + "/reports/2019-11/summary.json"))) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["field"] as? String == "poor_women_supported" && changes.first?["district"] as? String == "575")
    }
}
