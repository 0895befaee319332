// Pipeline: summary.json, the machine-readable account of where everything stands on the
// as-of day. Deterministic (sorted, no clock), so a run with nothing new rewrites nothing.
import Foundation

public enum Summary {
    public static func json(plan: Plan, asOf: Day, period: Period, statuses: [ReportStatus], targets: [TargetResult],
                            files: [Ledger.StoredFile], submissions: [Ledger.StoredSubmission]) throws -> Data {
        func number(_ d: Double?) -> Any { d.map { ($0 * 1e6).rounded() / 1e6 } ?? NSNull() }
        let subs: [[String: Any]] = statuses.sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }.map { s in
            ["district": s.unit, "form": s.form, "period": s.period.description, "status": s.kind.rawValue,
             "due": s.due.description, "received": s.received?.description ?? NSNull(), "days_late": s.daysLate ?? NSNull(),
             "file": s.file ?? NSNull()]
        }
        let tgs: [[String: Any]] = targets.map { t in
            ["target": t.target, "district": t.unit, "value": number(t.value), "threshold": number(t.threshold),
             "comparison": t.comparison.rawValue, "status": t.status.rawValue, "missing": t.missing]
        }
        var kinds: [String: Int] = [:]
        for k in ReportStatus.Kind.allCases { kinds[k.rawValue] = statuses.filter { $0.kind == k }.count }
        var fileStatus: [String: Int] = [:]
        for f in files { fileStatus[f.status, default: 0] += 1 }
        let names = files.reduce(0) { $0 + $1.names.count }
        let byFile = Dictionary(grouping: submissions, by: \.fileId)
        let fileList: [[String: Any]] = files.map { f in
            let mine = byFile[f.id] ?? []
            return ["file": f.name, "received": f.receivedOn.description, "status": f.status,
                    "copies": Array(f.names.filter { $0 != f.name }),
                    "submissions": mine.map { ["district": $0.unit ?? NSNull(), "form": $0.form, "period": $0.period ?? NSNull(),
                                               "status": $0.status, "version": $0.version ?? NSNull(),
                                               "superseded": $0.supersededBy != nil] as [String: Any] }]
        }
        let counts: [String: Any] = [
            "files": files.count, "duplicates": names - files.count, "reports": kinds,
            "files_by_status": fileStatus,
            "expected": statuses.filter { ![.pending, .exempt].contains($0.kind) }.count,
        ]
        let object: [String: Any] = ["as_of": asOf.description, "period": period.description, "plan": (plan.folder as NSString).lastPathComponent,
                                     "submissions": subs, "targets": tgs, "counts": counts, "files": fileList]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
