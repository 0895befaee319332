// Pipeline: summary.json, the machine-readable account of where everything stands on the
// as-of day. Deterministic (sorted, no clock), so a run with nothing new rewrites nothing.
import Foundation

public enum Summary {
    struct Document: Encodable {
        var as_of: String
        var period: String
        var plan: String
        var submissions: [Report]
        var targets: [Target]
        var counts: Counts
        var files: [File]
    }

    struct Report: Encodable {
        var district: String
        var form: String
        var period: String
        var status: String
        var due: String
        var received: String?
        var days_late: Int?
        var file: String?

        func encode(to encoder: Encoder) throws {
            // Absent values are written as null, as scripts reading the file expect every key.
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(district, forKey: .district); try c.encode(form, forKey: .form)
            try c.encode(period, forKey: .period); try c.encode(status, forKey: .status); try c.encode(due, forKey: .due)
            try c.encode(received, forKey: .received); try c.encode(days_late, forKey: .days_late); try c.encode(file, forKey: .file)
        }

        enum CodingKeys: String, CodingKey { case district, form, period, status, due, received, days_late, file }
    }

    struct Target: Encodable {
        var target: String
        var district: String
        var value: Double?
        var threshold: Double?
        var comparison: String
        var status: String
        var missing: [String]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target); try c.encode(district, forKey: .district)
            try c.encode(value, forKey: .value); try c.encode(threshold, forKey: .threshold)
            try c.encode(comparison, forKey: .comparison); try c.encode(status, forKey: .status); try c.encode(missing, forKey: .missing)
        }

        enum CodingKeys: String, CodingKey { case target, district, value, threshold, comparison, status, missing }
    }

    struct Counts: Encodable {
        var files: Int
        var duplicates: Int
        var reports: [String: Int]
        var files_by_status: [String: Int]
        var expected: Int
    }

    struct File: Encodable {
        var file: String
        var received: String
        var status: String
        var copies: [String]
        var submissions: [Part]
    }

    struct Part: Encodable {
        var district: String?
        var form: String
        var period: String?
        var status: String
        var version: Int?
        var superseded: Bool

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(district, forKey: .district); try c.encode(form, forKey: .form); try c.encode(period, forKey: .period)
            try c.encode(status, forKey: .status); try c.encode(version, forKey: .version); try c.encode(superseded, forKey: .superseded)
        }

        enum CodingKeys: String, CodingKey { case district, form, period, status, version, superseded }
    }

    public static func json(plan: Plan, asOf: Day, period: Period, statuses: [ReportStatus], targets: [TargetResult],
                            files: [Ledger.StoredFile], submissions: [Ledger.StoredSubmission]) throws -> Data {
        func rounded(_ d: Double?) -> Double? { d.map { ($0 * 1e6).rounded() / 1e6 } }
        var kinds: [String: Int] = [:]
        for k in ReportStatus.Kind.allCases { kinds[k.rawValue] = 0 }
        for s in statuses { kinds[s.kind.rawValue, default: 0] += 1 }
        var fileStatus: [String: Int] = [:]
        for f in files { fileStatus[f.status, default: 0] += 1 }
        let byFile = Dictionary(grouping: submissions, by: \.fileId)
        let document = Document(
            as_of: asOf.description, period: period.description, plan: (plan.folder as NSString).lastPathComponent,
            submissions: statuses.sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }.map { s in
                Report(district: s.unit, form: s.form, period: s.period.description, status: s.kind.rawValue, due: s.due.description,
                       received: s.received?.description, days_late: s.daysLate, file: s.file)
            },
            targets: targets.map { t in
                Target(target: t.target, district: t.unit, value: rounded(t.value), threshold: rounded(t.threshold),
                       comparison: t.comparison.rawValue, status: t.status.rawValue, missing: t.missing)
            },
            counts: Counts(files: files.count, duplicates: files.reduce(0) { $0 + $1.names.count } - files.count, reports: kinds,
                           files_by_status: fileStatus, expected: statuses.filter { ![.pending, .exempt].contains($0.kind) }.count),
            files: files.map { f in
                File(file: f.name, received: f.receivedOn.description, status: f.status, copies: f.names.filter { $0 != f.name },
                     submissions: (byFile[f.id] ?? []).map { s in
                         Part(district: s.unit, form: s.form, period: s.period, status: s.status, version: s.version,
                              superseded: s.supersededBy != nil)
                     })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}
