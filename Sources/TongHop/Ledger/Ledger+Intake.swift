// Ledger: what the intake review needs to know of earlier files — the accepted report in use
// for a unit, form and period, and the largest figure each field of a unit has had.
import Foundation
import GRDB

extension Ledger {
    public struct AcceptedVersion: Sendable, Equatable {
        public var file: String
        public var receivedOn: Day
    }

    /// The latest accepted report of a unit, form and period, if any.
    public func acceptedVersion(unit: String, form: String, period: Period) throws(LedgerError) -> AcceptedVersion? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT f.name, s.received_on FROM submission s JOIN file f ON f.id = s.file_id
                WHERE s.unit = ? AND s.form = ? AND s.period = ? AND s.status = 'accepted'
                ORDER BY s.received_on DESC, s.id DESC LIMIT 1
                """, arguments: [unit, form, period.description]).map { r in
                AcceptedVersion(file: r[0], receivedOn: Day(r[1] as String) ?? Day(year: 1970, month: 1, day: 1)!)
            }
        }
    }

    /// The largest figure of one row, field by field, in the unit's accepted reports: how
    /// large a field of that unit can plausibly be.
    public func largestRowValues(unit: String) throws(LedgerError) -> [String: Double] {
        try read { db in
            var out: [String: Double] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT v.field, max(abs(v.number)) FROM value v JOIN submission s ON s.id = v.submission_id
                WHERE s.unit = ? AND s.status = 'accepted' AND v.number IS NOT NULL GROUP BY v.field
                """, arguments: [unit]) {
                out[r[0]] = r[1]
            }
            return out
        }
    }
}
