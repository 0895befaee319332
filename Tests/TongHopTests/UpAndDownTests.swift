import Foundation
@testable import Sheets
import Testing
@testable import TongHop

/// What the sample inbox's run sends up (nop-cap-tren/) and down (phan-hoi/*.txt, cong-van/).
/// The letter and the message are pinned as golden files; re-record them, after looking at
/// what changed, with TONGHOP_RECORD_GOLDEN=1 swift test --filter UpAndDownTests.
@Suite struct UpAndDownTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let work: String = {
        let w = temporaryFolder("up-down")
        _ = try! runJob(inbox: Repo.root.appendingPathComponent("samples/inbox").path, work: w)
        return w
    }()
    static let folder = work + "/reports/2019-11"
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let central = try! PlanLoader.load(folder: Repo.root.appendingPathComponent("templates/trung-uong-2019").path)

    func files(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Self.folder + "/" + sub)) ?? []).sorted()
    }

    // MARK: Up

    @Test func oneWorkbookPerFormDue() {
        #expect(files("nop-cap-tren") == ["capital-annual-2019.xlsx", "capital-quarterly-2019-Q3.xlsx", "monthly-2019-11.xlsx",
                                          "poverty-plan-2019.xlsx", "revolving-fund-2019-H1.xlsx", "savings-eval-2018.xlsx"])
    }

    @Test func theProvinceReportsItsDistrictsInTheFormsOwnLayout() throws {
        let path = Self.folder + "/nop-cap-tren/monthly-2019-11.xlsx"
        let book = try Spreadsheets.open(path: path)
        #expect(book.sheets.map(\.name) == ["Biểu", "tonghop"])
        let grid = try book.loadSheet(1)
        #expect(grid.value(CellReference("A1")!) == .text("HỘI LHPN TỈNH KHÁNH HÒA"))
        #expect(grid.value(CellReference("A5")!) == .text("Đơn vị: Hội LHPN tỉnh Khánh Hòa"))
        #expect(grid.value(CellReference("B7")!) == .text("Huyện, thị xã, thành phố"))
        let districts = Self.plan.activeUnits
        #expect((0..<districts.count).map { grid.value(CellReference(row: 9 + $0, column: 2)) } == districts.map { .text($0.name) })
        #expect(grid.value(CellReference(row: 9 + districts.count, column: 2)) == .text("Tổng cộng"))
        // Diên Khánh sent no November report: its row is blank, never 0, and says so.
        let dienKhanh = 9 + districts.firstIndex { $0.code == "574" }!
        for c in 3...(2 + Self.plan.form("monthly")!.fields.count - 1) {
            #expect(grid.value(CellReference(row: dienKhanh, column: c)) == .empty)
        }
        let notes = (18...50).map { grid.value(CellReference(row: $0, column: 1)) }
        #expect(notes.contains(.text("Ghi chú: số liệu tổng hợp từ 7/8 Hội LHPN huyện, thị xã, thành phố; Tổng cộng chưa gồm các đơn vị dưới đây (hàng để trống, không tính là 0):")),
                "\(notes)")
        #expect(notes.contains { if case .text(let t) = $0 { return t.hasPrefix("- Huyện Diên Khánh: chưa nộp báo cáo") }; return false })
        // The total is a SUM over the district rows with its value: the sum of the districts'
        // consolidated totals.
        let archive = try ZipArchive(path: path, limits: .default)
        let xml = String(decoding: try archive.readAll(try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))), as: UTF8.self)
        #expect(xml.contains("<f>SUM(C9:C16)</f>"))
        var sum = 0.0
        for r in 0..<districts.count { if case .number(let d) = grid.value(CellReference(row: 9 + r, column: 3)) { sum += d } }
        #expect(sum > 0)
        #expect(grid.value(CellReference(row: 17, column: 3)) == .number(sum))
        let meta = try book.loadSheet(2)
        #expect(meta.value(CellReference("B1")!) == .text("56"))
        #expect(meta.value(CellReference("B2")!) == .text("monthly"))
        #expect(meta.value(CellReference("B3")!) == .text("2019-11"))
    }

    /// `tonghop check --plan templates/trung-uong-2019` accepts every workbook the province
    /// sends up. What it says is only what the province knows too: a district without data
    /// (Diên Khánh's November was never sent; its Q3 was refused for deposits written in
    /// đồng) is a blank row, and the centre reads each of its cells as *no data* — a
    /// `missing-value` warning, never a 0 and never a rejection.
    @Test func theCentralPlanAcceptsTheProvincesWorkbooks() throws {
        let names = files("nop-cap-tren")
        #expect(names.count == 6)
        for name in names {
            let r = FileCheck.check(path: Self.folder + "/nop-cap-tren/" + name, relative: name, plan: Self.central)
            #expect(r.status == .accepted, "\(name): \(r.allFindings.map(\.vi))")
            #expect(r.submissions.first?.unit?.code == "56")
            #expect(r.allFindings.allSatisfy { $0.code == .missingValue && $0.severity == .warning }, "\(name): \(r.allFindings.map(\.vi))")
            let blankRows = Set(r.allFindings.compactMap { $0.cell.flatMap(CellReference.init)?.row })
            #expect(blankRows.count <= 1, "\(name): only Diên Khánh's row may be blank")
            if name == "capital-quarterly-2019-Q3.xlsx" || name == "monthly-2019-11.xlsx" { #expect(blankRows.count == 1, "\(name)") }
        }
        let province = FileCheck.check(path: Repo.root.appendingPathComponent("samples/inbox/Dien Khanh/BC von quy 3 - Dien Khanh.xlsx").path,
                                       relative: "x.xlsx", plan: Self.plan)
        #expect(province.status == .rejected)
        #expect(!province.allFindings.isEmpty && province.allFindings.allSatisfy { $0.code == .unitSuspect })
    }

    // MARK: Down

    func matchesGolden(_ file: String) throws {
        let produced = try #require(FileManager.default.contents(atPath: Self.work + "/reports/" + file))
        let goldenPath = Self.golden + "/" + file
        if ProcessInfo.processInfo.environment["TONGHOP_RECORD_GOLDEN"] != nil {
            try FileManager.default.createDirectory(atPath: (goldenPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try produced.write(to: URL(fileURLWithPath: goldenPath))
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: goldenPath), "no golden file \(file): record it")
        #expect(produced == expected, "\(file) differs from its golden file (diff \(Self.work)/reports/\(file) \(goldenPath))")
    }

    @Test func theLetterToDienKhanhMatchesItsGolden() throws {
        try matchesGolden("2019-11/cong-van/574.html")
    }

    @Test func theMessageToCamLamMatchesItsGolden() throws {
        try matchesGolden("2019-11/phan-hoi/570.txt")
    }

    @Test func messagesAreShortPlainAndSayWhatIsOwed() throws {
        let names = files("phan-hoi").filter { $0.hasSuffix(".txt") }
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOfFile: Self.folder + "/phan-hoi/" + name, encoding: .utf8)
            #expect(text.count <= Messages.limit + 1, "\(name) has \(text.count) characters")
            #expect(text.hasPrefix("Kính gửi Hội LHPN"))
            #expect(text.contains("phan-hoi/\((name as NSString).deletingPathExtension).html"))
        }
        let dienKhanh = try String(contentsOfFile: Self.folder + "/phan-hoi/574.txt", encoding: .utf8)
        #expect(dienKhanh.contains("tháng 11/2019 (hạn 18/11/2019): chưa nộp."))
        #expect(dienKhanh.contains("Xin gửi trước ngày 12/12/2019."))
    }

    @Test func lettersOnlyToUnitsThatOwe() throws {
        let owing = Set(Dues.compute(try reportInput()).filter(\.owes).map(\.unit.code))
        #expect(!owing.isEmpty)
        #expect(owing.count < Self.plan.activeUnits.count)
        #expect(Set(files("cong-van")) == Set(owing.map { "\($0).html" } + ["cac-don-vi.html"]))
        let all = try String(contentsOfFile: Self.folder + "/cong-van/cac-don-vi.html", encoding: .utf8)
        for code in owing { #expect(all.contains("Ban Thường vụ " + Self.plan.unit(code)!.unionName)) }
        let letter = try String(contentsOfFile: Self.folder + "/cong-van/574.html", encoding: .utf8)
        #expect(letter.contains("Kính gửi:</strong> <ul><li>Ban Thường vụ Hội LHPN huyện Diên Khánh</li>"))
        #expect(letter.contains("HỘI LHPN TỈNH KHÁNH HÒA") && letter.contains("BAN THƯỜNG VỤ"))
        #expect(letter.contains("Khánh Hòa, ngày 05 tháng 12 năm 2019"))
        #expect(letter.contains("trước ngày 12/12/2019"))
        #expect(letter.contains("TM. BAN THƯỜNG VỤ") && letter.contains("Nơi nhận:"))
    }

    /// The ReportInput of the run, rebuilt from its ledger.
    func reportInput() throws -> ReportInput {
        let ledger = try Ledger(path: Self.work + "/tonghop.sqlite")
        let submissions = try ledger.submissions()
        let statuses = Completeness.statuses(plan: Self.plan, submissions: submissions, asOf: Day("2019-12-05")!)
        let inUse = statuses.filter { $0.kind == .onTime || $0.kind == .late }.compactMap(\.submission)
        let consolidation = Consolidation(plan: Self.plan, statuses: statuses, totals: try ledger.totals(submissions: inUse))
        return ReportInput(plan: Self.plan, asOf: Day("2019-12-05")!, period: Period("2019-11")!, statuses: statuses, targets: [],
                           consolidation: consolidation, files: try ledger.files(), submissions: submissions,
                           findings: try ledger.findingsByFile(), changes: [])
    }

    /// Letter numbers: one per letter, never two letters with one number, the same number
    /// for the same letter when the report is written again, and new numbers for new letters.
    @Test func letterNumbersAreUniqueAndStable() throws {
        let w = temporaryFolder("letters")
        let inbox = Repo.root.appendingPathComponent("samples/inbox").path
        func numbers(_ period: String, in work: String? = nil) throws -> [String: String] {
            let folder = (work ?? w) + "/reports/\(period)/cong-van"
            var out: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".html") {
                let html = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                let r = try #require(html.range(of: #"Số: \d+/CV-HPN"#, options: .regularExpression))
                out[name] = String(html[r])
            }
            return out
        }
        _ = try runJob(inbox: inbox, work: w)
        let first = try numbers("2019-11")
        #expect(first.count >= 2)
        #expect(Set(first.values).count == first.count)
        // Rendered again on another day: the same letters keep their numbers.
        _ = try runJob(inbox: inbox, work: w, asOf: "2019-12-06")
        #expect(try numbers("2019-11") == first)
        // Another period's letters take the next numbers of the year.
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        var options = RunOptions(inbox: inbox, out: w + "/reports", database: w + "/tonghop.sqlite", asOf: Day("2019-12-06")!)
        options.period = Period("2019-10")
        _ = try RunJob.run(plan: plan, options: options)
        let october = try numbers("2019-10")
        #expect(!october.isEmpty)
        #expect(Set(october.values).isDisjoint(with: Set(first.values)))
        // A fresh ledger on the same inbox numbers the same letters the same way.
        let again = temporaryFolder("letters-again")
        _ = try runJob(inbox: inbox, work: again)
        let fresh = try numbers("2019-11", in: again)
        #expect(fresh == first)
    }
}
