// Ledger: the state of each period's report — whether it is closed (chốt số liệu), and its numbered issues (lần 1 is the closed report,
// lần 2, 3 … the re-issues written when files for the period arrive after it was closed) —
// and the latest as-of day any run has reported, so that "cập nhật đến" never goes back.
import Foundation
import GRDB

extension Ledger {
    static func registerPeriodMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-period-issues") { db in
            try db.execute(sql: """
                CREATE TABLE period_issue (
                  period TEXT NOT NULL,
                  issue INTEGER NOT NULL,
                  as_of TEXT NOT NULL,
                  written_on TEXT NOT NULL,
                  folder TEXT NOT NULL,
                  -- the submissions the issue stands on, "id:status:superseded_by" sorted, joined by spaces
                  basis TEXT NOT NULL,
                  PRIMARY KEY (period, issue)
                );
                CREATE TABLE report_horizon (
                  id INTEGER PRIMARY KEY CHECK (id = 1),
                  as_of TEXT NOT NULL
                );
                """)
        }
    }

    /// One issue of a closed period's report.
    public struct PeriodIssue: Sendable, Equatable {
        public var period: String
        public var issue: Int
        public var asOf: Day
        public var writtenOn: Day
        public var folder: String
        public var basis: [String]
    }

    /// Every issue of every closed period, in order, by period.
    public func periodIssues() throws(LedgerError) -> [String: [PeriodIssue]] {
        try read { db in
            var out: [String: [PeriodIssue]] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT period, issue, as_of, written_on, folder, basis FROM period_issue ORDER BY period, issue") {
                let basis = (r[5] as String).split(separator: " ").map(String.init)
                out[r[0], default: []].append(PeriodIssue(period: r[0], issue: r[1], asOf: Day(r[2] as String)!, writtenOn: Day(r[3] as String)!,
                                                           folder: r[4], basis: basis))
            }
            return out
        }
    }

    public func addPeriodIssue(_ i: PeriodIssue) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "INSERT INTO period_issue (period, issue, as_of, written_on, folder, basis) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [i.period, i.issue, i.asOf.description, i.writtenOn.description, i.folder, i.basis.joined(separator: " ")])
        }
    }

    /// Raises the latest as-of day reported to `day` when it is later; returns the latest.
    @discardableResult
    public func raiseHorizon(_ day: Day) throws(LedgerError) -> Day {
        try write { db in
            let current = try String.fetchOne(db, sql: "SELECT as_of FROM report_horizon WHERE id = 1").flatMap(Day.init)
            if let current, current >= day { return current }
            try db.execute(sql: "INSERT OR REPLACE INTO report_horizon (id, as_of) VALUES (1, ?)", arguments: [day.description])
            return day
        }
    }
}
