import Foundation
import Sheets
import Testing
@testable import TongHop

/// The same program one level up, on a small national sample (three provinces, January's
/// monthly report): each province's run sends its nop-cap-tren/ workbook, the Central Union's
/// plan accepts every one without a finding, and the central totals equal the sums of the
/// districts' own files computed directly.
@Suite struct NationalTests {
    /// Official province codes, and the generated province each stands for (make-central-plan.py).
    static let provinces = [("01", "01", "Hà Nội", "thành phố"), ("02", "02", "Hà Giang", "tỉnh"), ("04", "03", "Cao Bằng", "tỉnh")]
    static let asOf = Day("2019-02-10")!
    static let period = Period("2019-01")!

    @Test func theCentreConsolidatesTheProvincesWorkbooks() throws {
        let work = temporaryFolder("national")
        let base = try PlanLoader.load(folder: Repo.plan2019)
        var rng = SeededRandom(seed: 2019)
        let unitCount = SampleInbox.nationalUnits(&rng).count
        var options = SampleInboxOptions()
        options.scale = .national
        // The 2018 evaluation of every district comes first in the generator's order, then January.
        options.files = 2 * unitCount
        options.invalidShare = 0
        options.unidentifiedShare = 0
        options.duplicateShare = 0
        let sample = try SampleInbox.generate(plan: base, options: options, out: work + "/sample")
        let national = try PlanLoader.load(folder: sample.planFolder)
        let register = try String(contentsOfFile: sample.inbox + "/so-cong-van-den.csv", encoding: .utf8)
        let central = try PlanLoader.load(folder: Repo.root.appendingPathComponent("templates/trung-uong-2019").path)
        let monthly = try #require(base.form("monthly"))
        let numeric = monthly.fields.filter { $0.type == .integer || $0.type == .decimal }.map(\.key)

        var direct: [String: [String: Double]] = [:]
        var centralRegister = "Tên tệp;Ngày nhận\r\n"
        for (code, index, name, kind) in Self.provinces {
            // The province's plan: its districts, and its code in the central plan.
            var plan = national
            plan.units = national.units.filter { $0.code.hasPrefix(index + "-") }
            plan._unitNameIndex = nil
            plan.province = name
            plan.organisation = "Hội Liên hiệp Phụ nữ \(kind) \(name)"
            plan.official.parentBody = "HỘI LHPN \(kind.uppercased()) \(name.uppercased())"
            plan.official.upperCode = code
            plan.official.upperKind = kind
            #expect(plan.activeUnits.map(\.name) == central.unit(code)?.communes, "the central plan lists \(name)'s districts")
            // Its inbox: the generated province's folder, with its lines of the register.
            let inbox = sample.inbox + "/Tinh \(index)"
            var lines = "Tên tệp;Ngày nhận\r\n"
            for line in register.components(separatedBy: "\r\n") where line.hasPrefix("Tinh \(index)/") {
                lines += String(line.dropFirst("Tinh \(index)/".count)) + "\r\n"
            }
            try lines.write(toFile: inbox + "/so-cong-van-den.csv", atomically: true, encoding: .utf8)
            // The districts' January figures, read directly from their files.
            for file in FileManager.default.enumerator(atPath: inbox)!.compactMap({ $0 as? String }) where file.contains("thang 2019-01") {
                let r = FileCheck.check(path: inbox + "/" + file, relative: file, plan: plan)
                #expect(r.status == .accepted)
                for row in r.submissions.flatMap(\.rows) {
                    for k in numeric { direct[code, default: [:]][k, default: 0] += row.numbers[k] ?? 0 }
                }
            }
            // The ledger's folder is the operator's to make: a run never invents one.
            try FileManager.default.createDirectory(atPath: work + "/\(code)", withIntermediateDirectories: true)
            var run = RunOptions(inbox: inbox, out: work + "/\(code)/reports", database: work + "/\(code)/tonghop.sqlite", asOf: Self.asOf)
            run.period = Self.period
            let outcome = try RunJob.run(plan: plan, options: run)
            #expect(outcome.statuses.filter { $0.form == "monthly" && $0.period == Self.period }.allSatisfy { $0.kind == .onTime || $0.kind == .late })
            let sent = work + "/\(code)/reports/2019-01/nop-cap-tren/monthly-2019-01.xlsx"
            #expect(FileManager.default.fileExists(atPath: sent))
            try FileManager.default.createDirectory(atPath: work + "/centre/inbox/\(code)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: sent, toPath: work + "/centre/inbox/\(code)/monthly-2019-01.xlsx")
            centralRegister += "\(code)/monthly-2019-01.xlsx;10/02/2019\r\n"
            // `tonghop check --plan templates/trung-uong-2019` has nothing to say about it.
            let checked = FileCheck.check(path: sent, relative: "monthly-2019-01.xlsx", plan: central)
            #expect(checked.status == .accepted)
            #expect(checked.allFindings.isEmpty, "\(checked.allFindings.map(\.vi))")
            #expect(checked.submissions.first?.unit?.code == code)
        }
        try centralRegister.write(toFile: work + "/centre/inbox/so-cong-van-den.csv", atomically: true, encoding: .utf8)

        try FileManager.default.createDirectory(atPath: work + "/centre", withIntermediateDirectories: true)
        var run = RunOptions(inbox: work + "/centre/inbox", out: work + "/centre/reports", database: work + "/centre/tonghop.sqlite", asOf: Self.asOf)
        run.period = Self.period
        let outcome = try RunJob.run(plan: central, options: run)
        #expect(outcome.accepted == 3 && outcome.rejected == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/centre/reports/2019-01/index.html"))
        let ledger = try Ledger(path: work + "/centre/tonghop.sqlite")
        let consolidation = Consolidation(plan: central, statuses: outcome.statuses,
                                          totals: try ledger.totals(submissions: outcome.statuses.compactMap(\.submission)))
        for k in numeric {
            for (code, _, _, _) in Self.provinces {
                let got = consolidation.unitTotals["monthly"]?[Self.period]?[code]?[k]
                #expect(got.map { abs($0 - direct[code]![k]!) < 1e-6 } == true, "\(code).\(k): \(String(describing: got)) ≠ \(direct[code]![k]!)")
            }
            let figure = consolidation.provinceFigure(form: "monthly", field: k, period: Self.period)
            let expected = Self.provinces.reduce(0.0) { $0 + direct[$1.0]![k]! }
            #expect(figure.value.map { abs($0 - expected) < 1e-6 } == true, "\(k): \(String(describing: figure.value)) ≠ \(expected)")
            #expect(figure.coverage.contributing == Self.provinces.map(\.0))
        }
    }
}
