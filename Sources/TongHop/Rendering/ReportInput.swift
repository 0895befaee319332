// Rendering: what the report pages are computed from (`ReportInput`), gathered by the run
// from the ledger, the plan and the consolidation.
import Foundation
import Sheets

public struct ReportInput: Sendable {
    public var plan: Plan
    public var asOf: Day
    public var period: Period
    public var statuses: [ReportStatus]
    public var targets: [TargetResult]
    public var consolidation: Consolidation
    public var files: [Ledger.StoredFile]
    public var submissions: [Ledger.StoredSubmission]
    public var findings: [Int64: [Finding]]
    public var changes: [Ledger.StoredChange]
    /// Late reports and outliers, from the ledger's history.
    public var derived: [DerivedFinding] = []
    /// For "what changed": the sheet row of each row key, and the totals, of the submissions
    /// of the period's corrections (`loadChangeDetails`).
    public var changeRows: [Int64: [String: Int]] = [:]
    public var changeTotals: [Int64: [String: Double]] = [:]
    /// Tạm tính or đã chốt, and which issue of a closed period this is.
    public var state: PeriodState = .provisional
    /// The province's targets as the earlier reports of the year (and last year's same
    /// period) showed them, for the months side by side.
    public var history: [TargetPoint] = []
    /// The province's targets at the same period of last year, from the ledger (`loadLastYear`).
    public var lastYear: [TargetPoint] = []

    /// The corrections accepted in the report's period: from the start of the period to the
    /// as-of day, each field that changed between a version and the one it replaced.
    public var correctionsInPeriod: [Ledger.StoredChange] {
        let byId = Dictionary(uniqueKeysWithValues: submissions.map { ($0.id, $0) })
        let start = plan.cutoff.start(of: period)
        return changes.filter { c in
            guard let s = byId[c.submission], s.status == .accepted else { return false }
            return s.receivedOn >= start && s.receivedOn <= asOf
        }
    }

    public mutating func loadChangeDetails(_ ledger: Ledger) throws {
        let ids = Array(Set(correctionsInPeriod.flatMap { [$0.submission, $0.previous] })).sorted()
        guard !ids.isEmpty else { return }
        changeRows = try ledger.rowNumbers(submissions: ids)
        changeTotals = try ledger.totals(submissions: ids)
    }
}
