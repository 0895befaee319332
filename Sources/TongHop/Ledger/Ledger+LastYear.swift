// Ledger: the same period of the year before, from the ledger itself (not from last year's
// report folder, which may be gone, moved or written by an older program). The year before
// is evaluated with this year's targets on the reports the ledger holds for it, up to the
// same point of the year: a report of last year counts when the report of the same form and
// period this year is due by the as-of day. Last year's baselines (31/12 two years back) are
// not in the plan, so a target that needs one has no figure for last year.
import Foundation

extension Ledger {
    /// The figures in use under `statuses` (the reports on time or late), consolidated: unit
    /// totals and the commune rows the targets need.
    public func consolidation(plan: Plan, statuses: [ReportStatus]) throws -> Consolidation {
        let used = statuses.filter { $0.kind == .onTime || $0.kind == .late }
        let rowForms = Consolidation.rowForms(plan)
        // One pass over the values: the totals of every report in use, the rows of those
        // per-commune targets read.
        let figures = try self.figures(totals: Set(used.compactMap(\.submission)),
                                       rows: Set(used.filter { rowForms.contains($0.form) }.compactMap(\.submission)))
        var consolidation = Consolidation(plan: plan, statuses: statuses, totals: figures.totals)
        consolidation.loadRows { _ in figures.rows }
        return consolidation
    }

    /// The province's value of each target at the same period of the year before `period`,
    /// as the ledger holds that year now: only the targets that have one (none when the
    /// ledger started this year).
    /// `submissions`: every submission, when the caller has just read them; `statuses`: what
    /// `Completeness.statuses` gives for them, the plan and `asOf`, when the caller has it.
    public func lastYearTargets(plan: Plan, period: Period, asOf: Day, submissions known: [StoredSubmission]? = nil,
                                statuses judged: [ReportStatus]? = nil) throws -> [TargetPoint] {
        guard let same = period.yearBefore else { return [] }
        let submissions = try known ?? submissions()
        // A few period codes among tens of thousands of submissions: each read once.
        var years: [String: Int?] = [:]
        let hasLastYear = submissions.contains { s in
            guard s.status == .accepted, s.receivedOn <= asOf, let code = s.period else { return false }
            if let year = years[code] { return year == same.year }
            let year = Period(code)?.year
            years[code] = year
            return year == same.year
        }
        guard hasLastYear else { return [] }
        // This year's reports due by the as-of day: the same forms and periods count last year.
        // The statuses given stand on the submissions given only.
        let thisYear = (known != nil ? judged : nil) ?? Completeness.statuses(plan: plan, submissions: submissions, asOf: asOf)
        let dueNow = Set(thisYear
            .filter { $0.kind != .pending }
            .compactMap { s in s.period.yearBefore.map { "\(s.form)|\($0)" } })
        let last = plan.yearBefore
        let statuses = Completeness.statuses(plan: last, submissions: submissions, asOf: asOf).map { s -> ReportStatus in
            guard !dueNow.contains("\(s.form)|\(s.period)") else { return s }
            var pending = s
            pending.kind = .pending
            pending.submission = nil
            return pending
        }
        return TargetEvaluation.evaluate(plan: last, consolidation: try consolidation(plan: last, statuses: statuses)).filter { $0.unit == "province" && $0.value != nil }.map { r in
            TargetPoint(period: same, target: r.target, value: r.value, status: r.status.rawValue,
                        threshold: r.threshold, expected: r.expected)
        }
    }
}

extension ReportInput {
    /// The same period of last year, from the ledger (see `Ledger.lastYearTargets`).
    public mutating func loadLastYear(_ ledger: Ledger) throws {
        lastYear = try ledger.lastYearTargets(plan: plan, period: period, asOf: asOf, submissions: submissions, statuses: statuses)
    }
}

extension Period {
    /// The same period a year earlier (2018-11 for 2019-11).
    public var yearBefore: Period? { Period(kind: kind, year: year - 1, index: index) }
}

extension Plan {
    /// This plan moved a year back, to evaluate last year's reports by this year's targets:
    /// its periods, fixed deadlines and targets a year earlier; no baselines (last year's are
    /// not in this plan) and no exceptions (they were granted for this year).
    var yearBefore: Plan {
        var p = self
        p.year -= 1
        p.baselines = [:]
        p.exceptions = []
        p.forms = forms.map { f in
            var f = f
            f.periods = f.periods.map { $0.compactMap(\.yearBefore) }
            return f
        }
        p.deadlines = deadlines.mapValues { rule in
            guard case .date(let d) = rule else { return rule }
            return .date(Day(year: d.year - 1, month: d.month, day: Swift.min(d.day, Day.daysIn(month: d.month, year: d.year - 1))) ?? d)
        }
        p.targets = targets.map { t in
            var t = t
            t.period = t.period.yearBefore ?? t.period
            return t
        }
        return p
    }
}
