// Pipeline: summary.json, the machine-readable account of where everything stands on the
// as-of day. Deterministic (sorted, no clock), so a run with nothing new rewrites nothing.
import Foundation

public enum Summary {
    struct Document: Encodable {
        var as_of: String
        var period: String
        /// "provisional" (tạm tính) or "closed" (đã chốt), and the issue: 1, or 2, 3 … for re-issues.
        var state: String
        var issue: Int
        var plan: String
        var submissions: [Report]
        var targets: [Target]
        var counts: Counts
        var files: [File]
        /// Every province figure of the tables, with the units it stands on.
        var figures: [ProvinceFigure]?
        /// The corrections accepted in the period.
        var changes: [Change]?
    }

    struct CoverageJSON: Encodable {
        var units: [String]
        var missing: [String]
    }

    struct ProvinceFigure: Encodable {
        var form: String
        var period: String
        var field: String
        var value: Double?
        var coverage: CoverageJSON

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(form, forKey: .form); try c.encode(period, forKey: .period); try c.encode(field, forKey: .field)
            try c.encode(value, forKey: .value); try c.encode(coverage, forKey: .coverage)
        }

        enum CodingKeys: String, CodingKey { case form, period, field, value, coverage }
    }

    struct Unions: Encodable {
        var met: Int
        var total: Int
        var no_data: Int
        var failing: [String]
    }

    struct Progress: Encodable {
        var through: String?
        var share_of_year: Double
        var expected_to_date: Double?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(through, forKey: .through); try c.encode(share_of_year, forKey: .share_of_year)
            try c.encode(expected_to_date, forKey: .expected_to_date)
        }

        enum CodingKeys: String, CodingKey { case through, share_of_year, expected_to_date }
    }

    struct Change: Encodable {
        var district: String?
        var form: String
        var period: String?
        var file: String
        var row: String
        var field: String
        var old: String?
        var new: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(district, forKey: .district); try c.encode(form, forKey: .form); try c.encode(period, forKey: .period)
            try c.encode(file, forKey: .file); try c.encode(row, forKey: .row); try c.encode(field, forKey: .field)
            try c.encode(old, forKey: .old); try c.encode(new, forKey: .new)
        }

        enum CodingKeys: String, CodingKey { case district, form, period, file, row, field, old, new }
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
        var inputs: [String: Double] = [:]
        var progress: Progress? = nil
        var unions: Unions? = nil
        var coverage: CoverageJSON? = nil

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(target, forKey: .target); try c.encode(district, forKey: .district)
            try c.encode(value, forKey: .value); try c.encode(threshold, forKey: .threshold)
            try c.encode(comparison, forKey: .comparison); try c.encode(status, forKey: .status); try c.encode(missing, forKey: .missing)
            try c.encode(inputs, forKey: .inputs)
            try c.encodeIfPresent(progress, forKey: .progress); try c.encodeIfPresent(unions, forKey: .unions)
            try c.encodeIfPresent(coverage, forKey: .coverage)
        }

        enum CodingKeys: String, CodingKey { case target, district, value, threshold, comparison, status, missing, inputs, progress, unions, coverage }
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

    /// The whole account of a report folder: statuses, targets with their inputs, progress
    /// and coverage, every province figure with its coverage, and the period's corrections.
    public static func json(_ input: ReportInput) throws -> Data {
        try json(input, model: ReportModel(input: input))
    }

    /// The same, with the report's model already made.
    static func json(_ input: ReportInput, model: ReportModel) throws -> Data {
        let plan = input.plan
        func rounded(_ d: Double?) -> Double? { d.map { ($0 * 1e6).rounded() / 1e6 } }
        var figures: [ProvinceFigure] = []
        for f in plan.forms {
            guard let p = model.currentPeriod(f) else { continue }
            for field in model.numericFields(f) where field.type != .percent {
                let fig = input.consolidation.provinceFigure(form: f.id, field: field.key, period: p)
                figures.append(ProvinceFigure(form: f.id, period: p.description, field: field.key, value: rounded(fig.value),
                                              coverage: CoverageJSON(units: fig.coverage.contributing, missing: fig.coverage.missing)))
            }
        }
        let byId = model.submissionsById
        let changes = model.periodCorrections.compactMap { c -> Change? in
            guard let s = byId[c.submission] else { return nil }
            return Change(district: s.unit, form: s.form, period: s.period, file: s.file, row: c.rowKey, field: c.field, old: c.old, new: c.new)
        }
        return try json(plan: plan, asOf: input.asOf, period: input.period, statuses: input.statuses, targets: input.targets,
                        files: input.files, submissions: input.submissions, figures: figures, changes: changes, state: input.state)
    }

    public static func json(plan: Plan, asOf: Day, period: Period, statuses: [ReportStatus], targets: [TargetResult],
                            files: [Ledger.StoredFile], submissions: [Ledger.StoredSubmission]) throws -> Data {
        try json(plan: plan, asOf: asOf, period: period, statuses: statuses, targets: targets, files: files, submissions: submissions,
                 figures: nil, changes: nil)
    }

    static func json(plan: Plan, asOf: Day, period: Period, statuses: [ReportStatus], targets: [TargetResult],
                     files: [Ledger.StoredFile], submissions: [Ledger.StoredSubmission],
                     figures: [ProvinceFigure]?, changes: [Change]?, state: PeriodState = .provisional) throws -> Data {
        func rounded(_ d: Double?) -> Double? { d.map { ($0 * 1e6).rounded() / 1e6 } }
        var kinds: [String: Int] = [:]
        for k in ReportStatus.Kind.allCases { kinds[k.rawValue] = 0 }
        for s in statuses { kinds[s.kind.rawValue, default: 0] += 1 }
        var fileStatus: [String: Int] = [:]
        for f in files { fileStatus[f.status.rawValue, default: 0] += 1 }
        let byFile = Dictionary(grouping: submissions, by: \.fileId)
        let document = Document(
            as_of: asOf.description, period: period.description, state: state.closed ? "closed" : "provisional",
            issue: state.issue, plan: (plan.folder as NSString).lastPathComponent,
            submissions: statuses.sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }.map { s in
                Report(district: s.unit, form: s.form, period: s.period.description, status: s.kind.rawValue, due: s.due.description,
                       received: s.received?.description, days_late: s.daysLate, file: s.file)
            },
            targets: targets.map { t in
                Target(target: t.target, district: t.unit, value: rounded(t.value), threshold: rounded(t.threshold),
                       comparison: t.comparison.rawValue, status: t.status.rawValue, missing: t.missing,
                       inputs: t.inputs.mapValues { ($0 * 1e6).rounded() / 1e6 },
                       progress: t.fraction.map { Progress(through: t.through?.description, share_of_year: rounded($0)!, expected_to_date: rounded(t.expected)) },
                       unions: t.unions.map { Unions(met: $0.met, total: $0.total, no_data: $0.noData, failing: $0.failing) },
                       coverage: t.coverage.map { CoverageJSON(units: $0.contributing, missing: $0.missing) })
            },
            counts: Counts(files: files.count, duplicates: files.reduce(0) { $0 + $1.names.count } - files.count, reports: kinds,
                           files_by_status: fileStatus, expected: statuses.filter { ![.pending, .exempt].contains($0.kind) }.count),
            files: files.map { f in
                File(file: f.name, received: f.receivedOn.description, status: f.status.rawValue, copies: f.names.filter { $0 != f.name },
                     submissions: (byFile[f.id] ?? []).map { s in
                         Part(district: s.unit, form: s.form, period: s.period, status: s.status.rawValue, version: s.version,
                              superseded: s.supersededBy != nil)
                     })
            }, figures: figures, changes: changes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}
