import Foundation
import Sheets
import Testing
@testable import TongHop

/// Periods that tell their state: tạm tính until `tonghop close`, then đã chốt and never
/// rewritten — a file for the period received later goes into a numbered re-issue beside it;
/// an open earlier period is brought up to date by the next run; "cập nhật đến" never goes
/// back; the PDF carries no machine path.
@Suite(.serialized) struct PeriodStateTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    /// A copy of the sample inbox (5 December 2019: Diên Khánh never sent November).
    static func sampleInbox() throws -> String {
        let folder = temporaryFolder("inbox") + "/inbox"
        try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("samples/inbox").path, toPath: folder)
        return folder
    }

    /// Diên Khánh's November report, received on `received` (dd/mm/yyyy).
    static func addLateNovember(to inbox: String, received: String) throws {
        let unit = plan.unit("574")!, form = plan.form("monthly")!
        let rows: [[String: WorkbookDraft.Value]] = unit.communes.map { commune in
            var row: [String: WorkbookDraft.Value] = ["commune": .text(commune)]
            for f in form.fields where f.type == .integer || f.type == .decimal { row[f.key] = .number(1) }
            return row
        }
        let name = "Dien Khanh/BC thang 11 - Dien Khanh.xlsx"
        try XLSXWriter.write(FormLayout.draft(plan: plan, form: form, unit: unit, period: Period("2019-11")!, rows: rows), to: inbox + "/" + name)
        let register = inbox + "/so-cong-van-den.csv"
        var text = try String(contentsOfFile: register, encoding: .utf8)
        text += "\(name);\(received)\r\n"
        try text.write(toFile: register, atomically: true, encoding: .utf8)
    }

    static func run(_ inbox: String, _ work: String, asOf: String, period: String? = nil, pdf: Bool = false) throws -> RunOutcome {
        var options = RunOptions(inbox: inbox, out: work + "/reports", database: work + "/tonghop.sqlite", asOf: Day(asOf)!,
                                 period: period.flatMap(Period.init))
        options.pdf = pdf
        return try RunJob.run(plan: plan, options: options)
    }

    /// Every file of a folder, by path inside it.
    static func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: folder)
        while let name = e?.nextObject() as? String {
            var dir: ObjCBool = false
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path, isDirectory: &dir), !dir.boolValue { out[name] = FileManager.default.contents(atPath: path) }
        }
        return out
    }

    static func summary(_ folder: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as! [String: Any]
    }

    static func status(_ summary: [String: Any], unit: String, form: String, period: String) -> String? {
        (summary["submissions"] as? [[String: Any]])?.first {
            $0["district"] as? String == unit && $0["form"] as? String == form && $0["period"] as? String == period
        }?["status"] as? String
    }

    @Test func aClosedPeriodIsNeverRewrittenAndALateFileGoesToARenumberedIssue() throws {
        let inbox = try Self.sampleInbox(), work = temporaryFolder("close")
        _ = try Self.run(inbox, work, asOf: "2019-12-05")
        let folder = work + "/reports/2019-11"
        let provisional = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(provisional.contains("Tạm tính"))
        #expect(try Self.summary(folder)["state"] as? String == "provisional")

        let renderer = try ReportRenderer(plan: Self.plan)
        let closed = try PeriodReports.close(plan: Self.plan, renderer: renderer, ledger: try Ledger(path: work + "/tonghop.sqlite"),
                                             out: work + "/reports", inbox: inbox, period: Period("2019-11")!,
                                             on: Day("2019-12-06")!, asOf: nil)
        #expect(closed.asOf == Day("2019-12-05")! && closed.alreadyClosedOn == nil)
        let frozen = Self.snapshot(folder)
        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(html.contains("Đã chốt số liệu ngày 06/12/2019"))
        #expect(frozen["da-chot.txt"] != nil)

        // Diên Khánh's November arrives on 20 December; the run is December's.
        try Self.addLateNovember(to: inbox, received: "20/12/2019")
        let later = try Self.run(inbox, work, asOf: "2019-12-20")
        #expect(later.period == Period("2019-12")!)
        // Asked for November explicitly, the run does not touch it either.
        _ = try Self.run(inbox, work, asOf: "2019-12-20", period: "2019-11")
        #expect(Self.snapshot(folder) == frozen, "the closed report changed")

        let reissue = work + "/reports/2019-11-lan-2"
        let second = try String(contentsOfFile: reissue + "/index.html", encoding: .utf8)
        #expect(second.contains("Báo cáo (lần 2)"))
        #expect(second.contains("Báo cáo lần 2: những gì thay đổi so với lần 1"))
        #expect(second.contains("Dien Khanh/BC thang 11 - Dien Khanh.xlsx"))
        #expect(second.contains("20/12/2019"))
        let s2 = try Self.summary(reissue)
        #expect(s2["state"] as? String == "closed" && s2["issue"] as? Int == 2)
        #expect(Self.status(s2, unit: "574", form: "monthly", period: "2019-11") == "late")
        #expect(Self.status(try Self.summary(folder), unit: "574", form: "monthly", period: "2019-11") == "missing")

        // A third run with nothing new makes no third issue; closing again rewrites nothing.
        _ = try Self.run(inbox, work, asOf: "2019-12-21")
        #expect(!FileManager.default.fileExists(atPath: work + "/reports/2019-11-lan-3"))
        let again = try PeriodReports.close(plan: Self.plan, renderer: renderer, ledger: try Ledger(path: work + "/tonghop.sqlite"),
                                            out: work + "/reports", inbox: inbox, period: Period("2019-11")!, on: Day("2019-12-22")!, asOf: nil)
        #expect(again.alreadyClosedOn == Day("2019-12-06")!)
        #expect(Self.snapshot(folder) == frozen)

        // The period index: each issue with its as-of day and state, and its files.
        let index = try String(contentsOfFile: work + "/reports/index.html", encoding: .utf8)
        #expect(index.contains("đã chốt ngày 06/12/2019"))
        #expect(index.contains("<a href=\"2019-11-lan-2/index.html\">Lần 2</a>"))
        #expect(index.contains("<a href=\"2019-12/index.html\">Báo cáo</a></td><td class=\"num\">21/12/2019</td>"))
        #expect(index.contains("tạm tính"))

        // An earlier as-of day does not take "cập nhật đến" back.
        _ = try Self.run(inbox, work, asOf: "2019-12-10", period: "2019-12")
        let after = try String(contentsOfFile: work + "/reports/index.html", encoding: .utf8)
        #expect(after.contains("cập nhật đến ngày 21/12/2019"))
    }

    @Test func aLateFileForAnOpenEarlierPeriodUpdatesItsReport() throws {
        let inbox = try Self.sampleInbox(), work = temporaryFolder("open")
        _ = try Self.run(inbox, work, asOf: "2019-12-05")
        let folder = work + "/reports/2019-11"
        #expect(Self.status(try Self.summary(folder), unit: "574", form: "monthly", period: "2019-11") == "missing")
        try Self.addLateNovember(to: inbox, received: "20/12/2019")
        _ = try Self.run(inbox, work, asOf: "2019-12-20")
        let s = try Self.summary(folder)
        #expect(Self.status(s, unit: "574", form: "monthly", period: "2019-11") == "late")
        #expect(s["as_of"] as? String == "2019-12-20")
        #expect(s["state"] as? String == "provisional")
        #expect(FileManager.default.fileExists(atPath: work + "/reports/2019-12/index.html"))
    }

    @Test(.enabled(if: PDFPrinter.browser() != nil, "Chromium is not installed"))
    func thePDFHoldsNoMachinePath() throws {
        let work = temporaryFolder("pdf")
        let outcome = try Self.run(Repo.root.appendingPathComponent("samples/inbox").path, work, asOf: "2019-12-05", pdf: true)
        let pdf = try #require(outcome.pdf, "no PDF: \(outcome.pdfSkipped ?? "")")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(bytes.count > 10_000)
        #expect(bytes.range(of: Data("file://".utf8)) == nil, "the PDF links to a path on this machine")
        #expect(bytes.range(of: Data("/URI".utf8)) == nil)
        // The page itself keeps its links to the district pages.
        let html = try String(contentsOfFile: work + "/reports/2019-11/index.html", encoding: .utf8)
        #expect(html.contains("<a href=\"phan-hoi/574.html\">"))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: work + "/reports/2019-11")).contains { $0.hasPrefix(".tmp-") })
    }
}

/// The months side by side: a month-by-month run of the sample's year gives November's report
/// the monthly reports of every month per district, and each province target over the months.
@Suite struct MonthsSideBySideTests {
    @Test func novemberShowsTheMonthsBeforeIt() throws {
        let inbox = Repo.root.appendingPathComponent("samples/inbox").path, work = temporaryFolder("months")
        for day in ["2019-10-05", "2019-11-05", "2019-12-05"] { _ = try PeriodStateTests.run(inbox, work, asOf: day) }
        let html = try String(contentsOfFile: work + "/reports/2019-11/index.html", encoding: .utf8)
        let grid = try #require(html.components(separatedBy: "<table class=\"months\">").dropFirst().first).components(separatedBy: "</table>")[0]
        for m in 1...11 { #expect(grid.contains("<th>T\(m)</th>")) }
        #expect(!grid.contains("<th>T12</th>"))
        // Diên Khánh: November missing; Vạn Ninh: October 3 days late.
        let dk = try #require(grid.components(separatedBy: "<tr>").first { $0.contains(">Diên Khánh<") })
        #expect(dk.contains("<span class=\"mark\">✗</span>"))
        let vn = try #require(grid.components(separatedBy: "<tr>").first { $0.contains(">Vạn Ninh<") })
        #expect(vn.contains("<span class=\"mark\">!</span>+3"))
        #expect(grid.contains("Đúng hạn / đến hạn"))
        // Targets over September, October, November.
        let multiples = try #require(html.components(separatedBy: "<div class=\"multiples\">").dropFirst().first).components(separatedBy: "</div>")[0]
        #expect(multiples.components(separatedBy: "<figure class=\"small\">").count - 1 >= 6)
        for m in ["T9", "T10", "T11"] { #expect(multiples.contains(">\(m)</text>")) }
        #expect(multiples.contains("không có số liệu cùng kỳ năm trước (Tháng 11/2018)"))
    }
}
