// Consolidation: the reporting calendar `tonghop status` shows — for each unit of the plan,
// what is overdue (missing or rejected), late, due within two weeks, or received but unread,
// on the as-of day. The command prints it; the judging is here, beside `Completeness`.
import Foundation

/// What one unit's secretariat has to follow up on the as-of day.
public struct FollowUp: Sendable {
    public var unit: ReportingUnit
    /// Received files that could not be placed on a report (unread, no form found).
    public var unread: [Completeness.UnplacedFile]
    /// Due and not received, or received and rejected.
    public var overdue: [ReportStatus]
    /// Received after the due date.
    public var late: [ReportStatus]
    /// Not yet due, due within `FollowUp.soonDays` days, earliest first.
    public var soon: [ReportStatus]

    /// A unit that exists but does not report this year.
    public var exempt: Bool { !unit.active }
    public var isEmpty: Bool { soon.isEmpty && overdue.isEmpty && late.isEmpty && unread.isEmpty }

    /// How far ahead "due soon" looks.
    public static let soonDays = 14

    /// Every unit of the plan, in plan order, with what is to follow up on `asOf`.
    public static func calendar(plan: Plan, submissions: [Ledger.StoredSubmission], files: [Ledger.StoredFile],
                                asOf day: Day) -> [FollowUp] {
        let statuses = Completeness.statuses(plan: plan, submissions: submissions, asOf: day)
        let unplaced = Completeness.unplaced(plan: plan, files: files, submissions: submissions, asOf: day)
        return plan.units.map { unit in
            guard unit.active else { return FollowUp(unit: unit, unread: [], overdue: [], late: [], soon: []) }
            let mine = statuses.filter { $0.unit == unit.code }
            return FollowUp(
                unit: unit,
                unread: unplaced.filter { $0.unit == unit.code },
                overdue: mine.filter { $0.kind == .missing || $0.kind == .rejected },
                late: mine.filter { $0.kind == .late },
                soon: mine.filter { $0.kind == .pending && $0.due >= day && $0.due - day <= soonDays }.sorted { $0.due < $1.due })
        }
    }
}
