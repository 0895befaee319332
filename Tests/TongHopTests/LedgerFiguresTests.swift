import Foundation
import GRDB
import Testing
@testable import TongHop

/// Consolidation reads every report's figures in one pass over the ledger's values
/// (`Ledger.figures`): what a user would notice is any figure of the report differing from
/// what the ledger's own sums by key give — to the last bit, since the reports print them.
@Suite struct LedgerFiguresTests {
    static let work: String = {
        let work = temporaryFolder("figures")
        _ = try! runJob(inbox: Repo.root.appendingPathComponent("samples/inbox").path, work: work)
        return work
    }()

    func bits(_ totals: [Int64: [String: Double]]) -> [Int64: [String: UInt64]] {
        totals.mapValues { $0.mapValues(\.bitPattern) }
    }

    /// Each total added up here, row after row in row key order: the figures the reports
    /// have always printed (SQLite's `sum` before 3.43 adds that way).
    func summedInKeyOrder(_ ledger: Ledger, _ ids: [Int64]) throws -> [Int64: [String: Double]] {
        var sums: [Int64: [String: Double]] = [:], blank: [Int64: Set<String>] = [:]
        try ledger.read { db in
            for r in try Row.fetchAll(db, sql: "SELECT submission_id, row_key, field, number FROM value ORDER BY submission_id, row_key, field") {
                let id: Int64 = r[0], field: String = r[2]
                guard ids.contains(id) else { continue }
                if let n = r[3] as Double? { sums[id, default: [:]][field, default: 0] += n } else { blank[id, default: []].insert(field) }
            }
        }
        for (id, fields) in blank { for f in fields { sums[id]?[f] = nil } }
        return sums.filter { !$0.value.isEmpty }
    }

    /// The same figures whether the table is read in one pass, in two halves at once or
    /// submission by submission, and the same as the sums added up in key order.
    func expectSameFigures(_ ledger: Ledger, _ ids: [Int64]) throws {
        let byKey = try ledger.totals(submissions: ids), rows = try ledger.values(submissions: ids)
        #expect(bits(byKey) == bits(try summedInKeyOrder(ledger, ids)))
        for halvesFrom in [Int64.max, 0, 1] {
            let figures = try ledger.figures(totals: Set(ids), rows: Set(ids), halvesFrom: halvesFrom)
            #expect(bits(figures.totals) == bits(byKey))
            #expect(figures.rows == rows)
        }
    }

    @Test func theSampleLedgersFiguresAreTheSumsByKey() throws {
        let ledger = try Ledger(path: Self.work + "/tonghop.sqlite")
        let ids = try ledger.submissions().map(\.id)
        let totals = try ledger.totals(submissions: ids)
        // Sums that depend on their order (fractions of a million đồng), and blank cells.
        #expect(totals.values.contains { $0.values.contains { $0 != $0.rounded() } })
        #expect(try ledger.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM value WHERE number IS NULL") ?? 0 } > 0)
        try expectSameFigures(ledger, ids)
        // A few of many (read by key), and only what is asked for.
        let some = Array(ids.prefix(3))
        try expectSameFigures(ledger, some)
        let figures = try ledger.figures(totals: Set(some), rows: [], halvesFrom: 0)
        #expect(Set(figures.totals.keys).isSubset(of: Set(some)) && figures.rows.isEmpty)
    }
}

/// A district total far from its own history is a warning on the file of that report.
@Suite struct OutlierTests {
    @Test func anOutlierNamesTheFileOfItsReport() throws {
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        let form = try #require(plan.form("monthly"))
        let field = try #require(form.fields.first { $0.type == .integer }).key
        let unit = try #require(plan.activeUnits.first).code
        let periods = ["2019-08", "2019-09", "2019-10"].map { Period($0)! }
        let statuses = periods.enumerated().map { i, p in
            var s = ReportStatus(unit: unit, form: form.id, period: p, due: plan.cutoff.end(of: p), kind: .onTime)
            s.submission = Int64(i + 1)
            s.file = "BC thang \(p.index).xlsx"
            return s
        }
        let consolidation = Consolidation(plan: plan, statuses: statuses,
                                          totals: [1: [field: 100], 2: [field: 120], 3: [field: 1000]])
        let outliers = DerivedFindings.compute(plan: plan, statuses: statuses, consolidation: consolidation)
            .filter { $0.finding.code == .outlier }
        #expect(outliers.map(\.period) == [periods[2]])
        #expect(outliers.map(\.finding.file) == ["BC thang 10.xlsx"])
    }
}
