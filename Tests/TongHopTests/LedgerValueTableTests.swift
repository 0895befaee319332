import Foundation
import GRDB
import Testing
@testable import TongHop

/// The ledger's values: every value a file was checked with is in the ledger as it was
/// checked, however many a submission holds; and a ledger made before the values were kept
/// in one B-tree is rebuilt when opened, every value kept.
@Suite struct LedgerValueTableTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let stamp = Ledger.RunStamp(asOf: Day("2019-12-05")!, startedAt: "2019-12-05T08:00:00Z")
    static let names = ["Cam Ranh/BC thang 11 - Cam Ranh.xlsx", "Cam Ranh/BC thang 10 - Cam Ranh.xlsx",
                        "Cam Ranh/BC von quy 1 - Cam Ranh.xlsx", "Cam Ranh/BC nguon von va tiet kiem nam 2019 - Cam Ranh.xlsx",
                        "Cam Ranh/Ke hoach giup PN ngheo 2019 - Cam Ranh.xlsx", "Book1.xlsx",
                        "Cam Ranh/Von quay vong giam ngheo 6 thang dau nam - Cam Ranh.xlsx", "Khanh Son/BC von quy 1 - Khanh Son.xlsx"]

    func checked(_ relative: String) -> FileResult {
        FileCheck.check(path: Repo.root.appendingPathComponent("samples/inbox/" + relative).path, relative: relative, plan: Self.plan)
    }

    struct Value: Hashable {
        var rowKey: String
        var field: String
        var row: Int
        var number: Double?
        var text: String?
    }

    /// What a submission's rows say, a later row of the same commune over an earlier one.
    func values(of s: SubmissionResult) -> Set<Value> {
        var out: [String: Value] = [:]
        for r in s.rows {
            let key = r.key.map { ReportingUnit.communeKey($0) } ?? ""
            func put(_ field: String, _ number: Double?, _ text: String?) {
                out[key + "\u{0}" + field] = Value(rowKey: key, field: field, row: r.row, number: number, text: text)
            }
            for (f, n) in r.numbers { put(f, n, nil) }
            for (f, t) in r.texts { put(f, nil, t) }
            for f in r.missing { put(f, nil, nil) }
        }
        return Set(out.values)
    }

    /// What the ledger holds of a submission.
    func stored(_ ledger: Ledger, submission: Int64) throws -> Set<Value> {
        try ledger.db.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT row_key, field, row, number, text FROM value WHERE submission_id = ?", arguments: [submission])
                .map { Value(rowKey: $0[0], field: $0[1], row: $0[2], number: $0[3], text: $0[4]) })
        }
    }

    func record(_ results: [FileResult], in ledger: Ledger) throws {
        for (i, r) in results.enumerated() {
            try ledger.record(r, sha256: "sha-\(i)", size: 1, mtime: 0, receivedOn: Day("2019-12-02")!)
        }
    }

    @Test func everyValueCheckedIsInTheLedgerAsChecked() throws {
        var results = Self.names.map(checked)
        // A commune sent twice in one sheet: its later row is what the ledger keeps.
        let i = try #require(results.firstIndex { $0.submissions.contains { $0.rows.count > 3 } })
        let j = try #require(results[i].submissions.firstIndex { $0.rows.count > 3 })
        var again = results[i].submissions[j].rows[0]
        try #require(!again.numbers.isEmpty)
        for (f, n) in again.numbers { again.numbers[f] = n + 1 }
        results[i].submissions[j].rows.append(again)
        let submissions = results.flatMap(\.submissions)
        let counts = submissions.map { values(of: $0).count }
        // Fewer values than one statement takes, a whole number of statements, and more.
        let perInsert = Ledger.valuesPerInsert
        try #require(counts.contains { $0 > 0 && $0 < perInsert } && counts.contains { $0 > perInsert && $0 % perInsert == 0 }
                     && counts.contains { $0 > perInsert && $0 % perInsert != 0 })

        let ledger = try Ledger(path: temporaryFolder("values") + "/t.sqlite")
        ledger.begin(Self.stamp)
        try ledger.gathering { () throws(LedgerError) in
            do { try record(results, in: ledger) } catch { throw LedgerError.from(error, path: ledger.path) }
        }
        let ids = try ledger.submissions().map(\.id)
        try #require(ids.count == submissions.count)
        for (id, s) in zip(ids, submissions) {
            #expect(try stored(ledger, submission: id) == values(of: s), "sheet \(s.sheet)")
        }
    }

    @Test func aLedgerMadeBeforeIsRebuiltWhenOpenedWithEveryValue() throws {
        let results = Self.names.map(checked)
        let path = temporaryFolder("older-ledger") + "/t.sqlite"
        do {
            // The ledger as it was before the values had one B-tree.
            let older = try Ledger(path: path, readOnly: false, migrate: false)
            try Ledger.migrator.migrate(older.db, upTo: "letters-v1")
            older.begin(Self.stamp)
            try record(results, in: older)
            let sql = try older.db.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'value'") }
            try #require(sql?.contains("WITHOUT ROWID") == false)
            try older.db.close()
        }
        let (ledger, created) = try Ledger.open(path, mode: .createIfMissing)
        #expect(!created)
        let sql = try ledger.db.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'value'") }
        #expect(sql?.contains("WITHOUT ROWID") == true)

        let fresh = try Ledger(path: temporaryFolder("fresh-ledger") + "/t.sqlite")
        fresh.begin(Self.stamp)
        try record(results, in: fresh)
        let ids = try ledger.submissions().map(\.id), freshIds = try fresh.submissions().map(\.id)
        #expect(!ids.isEmpty && ids == freshIds)
        for id in ids { #expect(try stored(ledger, submission: id) == (try stored(fresh, submission: id))) }
        #expect(try ledger.values(submissions: ids) == (try fresh.values(submissions: ids)))
        #expect(try ledger.totals(submissions: ids) == (try fresh.totals(submissions: ids)))
        #expect(try ledger.rowNumbers(submissions: ids) == (try fresh.rowNumbers(submissions: ids)))

        // The rebuilt ledger goes on recording.
        ledger.begin(Self.stamp)
        let more = checked("Cam Ranh/BC von quy 2 - Cam Ranh.xlsx")
        try ledger.record(more, sha256: "more", size: 1, mtime: 0, receivedOn: Day("2019-12-02")!)
        let id = try #require(try ledger.submissions().last?.id)
        #expect(try stored(ledger, submission: id) == values(of: try #require(more.submissions.last)))
    }
}
