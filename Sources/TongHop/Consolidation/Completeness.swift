// Consolidation: where each expected report stands on the as-of day — on time, late by n
// days, missing, rejected, pending or exempt — and the reporting rates DHIS2-style.
import Foundation

public struct ReportStatus: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case onTime = "on-time", late, missing, rejected, pending, exempt
    }

    public var unit: String
    public var form: String
    public var period: Period
    public var due: Day
    public var kind: Kind
    /// When the first accepted version arrived (timeliness is judged on it).
    public var received: Day?
    public var daysLate: Int?
    /// The file of the accepted version in use, or of the latest rejected one.
    public var file: String?
    public var submission: Int64?
}

public struct Rate: Sendable, Equatable {
    public var expected = 0
    public var received = 0
    public var onTime = 0

    public var receivedRate: Double? { expected == 0 ? nil : 100 * Double(received) / Double(expected) }
    public var onTimeRate: Double? { expected == 0 ? nil : 100 * Double(onTime) / Double(expected) }
}

public enum Completeness {
    /// The status of every report due by `asOf`, and of those whose period has begun.
    public static func statuses(plan: Plan, submissions: [Ledger.StoredSubmission], asOf: Day) -> [ReportStatus] {
        let known = submissions.filter { $0.receivedOn <= asOf && $0.unit != nil && $0.period != nil }
        let byKey = Dictionary(grouping: known) { "\($0.unit!)|\($0.form)|\($0.period!)" }
        var out: [ReportStatus] = []
        for form in plan.forms.sorted(by: { $0.id < $1.id }) {
            for period in plan.periods(of: form) {
                for unit in plan.activeUnits {
                    guard let due = plan.due(form: form.id, period: period, unit: unit.code) else { continue }
                    let group = (byKey["\(unit.code)|\(form.id)|\(period)"] ?? []).sorted { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
                    let started = plan.cutoff.start(of: period) <= asOf
                    guard started || due <= asOf || !group.isEmpty else { continue }
                    var s = ReportStatus(unit: unit.code, form: form.id, period: period, due: due, kind: .pending)
                    let accepted = group.filter { $0.status == "accepted" }
                    if plan.exceptions.contains(where: { $0.unit == unit.code && $0.form == form.id && $0.period == period && $0.exempt }) {
                        s.kind = .exempt
                    } else if let first = accepted.first, let current = accepted.last {
                        s.received = first.receivedOn
                        s.file = current.file
                        s.submission = current.id
                        if first.receivedOn <= due {
                            s.kind = .onTime
                        } else {
                            s.kind = .late
                            s.daysLate = first.receivedOn - due
                        }
                    } else if let rejected = group.last {
                        s.kind = .rejected
                        s.received = rejected.receivedOn
                        s.file = rejected.file
                        s.submission = rejected.id
                    } else if asOf > due {
                        s.kind = .missing
                    }
                    out.append(s)
                }
            }
        }
        return out
    }

    /// Expected, received and on-time counts, where expected means due by the as-of day.
    public static func rates(_ statuses: [ReportStatus], by key: (ReportStatus) -> String) -> [String: Rate] {
        var out: [String: Rate] = [:]
        for s in statuses where s.kind != .pending && s.kind != .exempt {
            var r = out[key(s)] ?? Rate()
            r.expected += 1
            if s.kind == .onTime || s.kind == .late { r.received += 1 }
            if s.kind == .onTime { r.onTime += 1 }
            out[key(s)] = r
        }
        return out
    }
}
