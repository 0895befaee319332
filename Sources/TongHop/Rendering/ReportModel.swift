// Rendering: the model behind every page of a period's report — the lookups (a report's
// status, a target's result) and the sentences the pages, the CSV and the workbook share (a
// target's basis, progress, threshold, coverage). The pages themselves are typed models built
// from it, one file each (IndexPage, FeedbackPage, Chart …): every value is text ready to show
// (Vietnamese numbers and dates); the templates only lay out, and escape everything that came
// from a file.
import Foundation

struct ReportModel: Sendable {
    let input: ReportInput
    var plan: Plan { input.plan }
    let byKey: [ReportKey: ReportStatus]
    /// Target results by "target|unit", and the period's corrections, computed once.
    let targetIndex: [String: TargetResult]
    let periodCorrections: [Ledger.StoredChange]
    /// What the ~700 district pages look up, gathered once per report rather than searched
    /// for on every page: each unit's statuses (in the order of `input.statuses`), each file's
    /// submissions, the files placed with a unit by their name alone, the files of each unit
    /// (those it sent and those placed with it, as positions in `input.files`, in its order),
    /// each unit's derived findings, and the reports in use (unit|form|period).
    let statusesByUnit: [String: [ReportStatus]]
    let submissionsByFile: [Int64: [Ledger.StoredSubmission]]
    let unplacedByUnit: [String: [Completeness.UnplacedFile]]
    let filesByUnit: [String: [Int]]
    let derivedByUnit: [String: [DerivedFinding]]
    let inUseKeys: Set<InUseKey>
    let unitsByCode: [String: ReportingUnit]
    /// Every submission by id, and the period's corrections by the unit of their submission.
    let submissionsById: [Int64: Ledger.StoredSubmission]
    let correctionsByUnit: [String: [Ledger.StoredChange]]
    let formsById: [String: FormDefinition]

    init(input: ReportInput) {
        self.input = input
        var byKey: [ReportKey: ReportStatus] = [:]
        for s in input.statuses { byKey[ReportKey(s)] = s }
        self.byKey = byKey
        var targetIndex: [String: TargetResult] = [:]
        for r in input.targets where targetIndex["\(r.target)|\(r.unit)"] == nil { targetIndex["\(r.target)|\(r.unit)"] = r }
        self.targetIndex = targetIndex
        periodCorrections = input.correctionsInPeriod
        statusesByUnit = Dictionary(grouping: input.statuses, by: \.unit)
        submissionsByFile = Dictionary(grouping: input.submissions, by: \.fileId)
        let unplaced = Completeness.unplaced(plan: input.plan, files: input.files, submissions: input.submissions, asOf: input.asOf)
        unplacedByUnit = Dictionary(grouping: unplaced, by: \.unit)
        var unitsOfFile: [Int64: Set<String>] = [:]
        for s in input.submissions { if let u = s.unit { unitsOfFile[s.fileId, default: []].insert(u) } }
        for p in unplaced { unitsOfFile[p.fileId, default: []].insert(p.unit) }
        var filesByUnit: [String: [Int]] = [:]
        for (i, f) in input.files.enumerated() {
            for u in unitsOfFile[f.id] ?? [] { filesByUnit[u, default: []].append(i) }
        }
        self.filesByUnit = filesByUnit
        derivedByUnit = Dictionary(grouping: input.derived, by: \.unit)
        inUseKeys = Set(input.statuses.filter { $0.kind == .onTime || $0.kind == .late }
            .map { InUseKey(unit: $0.unit, form: $0.form, period: $0.period.description) })
        let byId = Dictionary(input.submissions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        submissionsById = byId
        var byUnit: [String: [Ledger.StoredChange]] = [:]
        for c in periodCorrections { if let u = byId[c.submission]?.unit { byUnit[u, default: []].append(c) } }
        correctionsByUnit = byUnit
        unitsByCode = Dictionary(input.plan.units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        formsById = Dictionary(input.plan.forms.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The plan's unit of a code (the first of that code, as `Plan.unit` finds it).
    func unit(_ code: String) -> ReportingUnit? { unitsByCode[code] }

    /// The plan's form of an id (the first of that id, as `Plan.form` finds it).
    func form(_ id: String) -> FormDefinition? { formsById[id] }

    /// Whether a report (unit, form, period as in a submission) has an accepted version in use.
    func inUse(unit: String?, form: String, period: String?) -> Bool {
        guard let unit, let period else { return false }
        return inUseKeys.contains(InUseKey(unit: unit, form: form, period: period))
    }

    struct InUseKey: Hashable, Sendable {
        var unit, form, period: String
    }

    /// For each form, the period the report shows: the latest due by the as-of day (the
    /// report's own period for forms of its kind), else the first not yet due.
    func currentPeriod(_ form: FormDefinition) -> Period? {
        let periods = plan.periods(of: form)
        if form.periodKind == input.period.kind, periods.contains(input.period) { return input.period }
        let unit = plan.activeUnits.first?.code ?? ""
        let due = periods.filter { (plan.due(form: form.id, period: $0, unit: unit) ?? input.asOf) <= input.asOf }
        return due.max() ?? periods.min()
    }

    func previousPeriod(_ form: FormDefinition, before p: Period) -> Period? {
        plan.periods(of: form).filter { $0 < p }.max()
    }

    func status(_ unit: String, _ form: String, _ period: Period) -> ReportStatus? {
        byKey[ReportKey(unit: unit, form: form, period: period)]
    }

    var dateLine: String {
        "\(plan.province), ngày \(Day.padded(input.asOf.day, 2)) tháng \(Day.padded(input.asOf.month, 2)) năm \(Day.padded(input.asOf.year, 4))"
    }

    /// What a target's name stands for, in words: "Báo cáo …: Số tổ viên".
    func describe(_ name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name }
        if parts[0] == "baseline" { return "số liệu tại 31/12/\(plan.year - 1) (\(baselineHeader(parts[1])))" }
        guard let f = plan.forms.first(where: { $0.expressionName == parts[0] }) else { return name }
        return "\(f.title): \(f.field(parts[1])?.header ?? parts[1])"
    }

    /// A name's short label: the column's header, or the baseline's with its date.
    func label(_ name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name }
        if parts[0] == "baseline" { return "\(baselineHeader(parts[1])) tại 31/12/\(plan.year - 1)" }
        return plan.forms.first { $0.expressionName == parts[0] }?.field(parts[1])?.header ?? name
    }

    func baselineHeader(_ key: String) -> String {
        plan.forms.lazy.compactMap { $0.field(key)?.header }.first ?? key
    }

    /// One missing item of a target: a name, `name@period` or `commune:<name>`.
    func describeOne(_ item: String) -> String {
        if item.hasPrefix("commune:") { return "cơ sở Hội xã \(item.dropFirst("commune:".count)) chưa có số liệu" }
        if let at = item.firstIndex(of: "@") {
            let name = String(item[..<at]), period = Period(String(item[item.index(after: at)...]))
            return "\(period?.vietnamese ?? String(item[item.index(after: at)...])) (\(describe(name)))"
        }
        return describe(item)
    }

    func describeMissing(_ r: TargetResult) -> String {
        if r.unit == "province" {
            return "thiếu số liệu của " + list(r.missing.map { unit($0)?.name ?? describeOne($0) }, noun: "đơn vị")
        }
        return "thiếu " + r.missing.map(describeOne).joined(separator: "; ")
    }

    /// Coverage in words: "8/8 đơn vị" or "7/8 đơn vị — thiếu Huyện Diên Khánh".
    func coverageText(_ c: Coverage) -> String {
        if c.contributing.isEmpty { return "0/\(c.expected) đơn vị — chưa đơn vị nào có số liệu" }
        return "\(c.contributing.count)/\(c.expected) đơn vị" + (c.missing.isEmpty ? "" : " — thiếu " + list(c.missing.map { unit($0)?.name ?? $0 }, noun: "đơn vị"))
    }

    /// Names for a reader: all of them up to ten, else the first eight and how many more
    /// (summary.json keeps every one).
    func list(_ names: [String], noun: String) -> String {
        guard names.count > 10 else { return names.joined(separator: ", ") }
        return names.prefix(8).joined(separator: ", ") + " và \(names.count - 8) \(noun) khác"
    }

    func result(_ t: TargetDefinition, _ unit: String) -> TargetResult? {
        targetIndex["\(t.id)|\(unit)"]
    }

    func digits(_ t: TargetDefinition) -> Int { t.unit == "%" ? 1 : 2 }

    /// The value as shown in a target cell: unions meeting a per-commune target, else the
    /// value with the digits its verdict needs.
    func shownValue(_ t: TargetDefinition, _ r: TargetResult) -> String {
        if let u = r.unions, t.perCommune { return r.status == .noData && u.total == 0 ? "—" : "\(u.met)/\(u.total)" }
        return Show.verdict(r.value, bound: r.expected ?? r.threshold, comparison: t.threshold.comparison,
                            digits: max(digits(t), r.threshold.map { min(Show.fractionDigits($0), 2) + 1 } ?? 0))
    }

    /// What a target is computed from: its numerator and denominator (or its inputs), with
    /// the values read — "Số hộ phụ nữ nghèo thoát nghèo = 657 / Số hộ đăng ký giúp năm 2019 = 858".
    func basis(_ t: TargetDefinition, _ r: TargetResult) -> String {
        guard !r.inputs.isEmpty else { return "" }
        func hundred(_ e: Expression) -> Expression? {
            if case .binary(.multiply, .number(100), let x) = e { return x }
            if case .binary(.multiply, let x, .number(100)) = e { return x }
            return nil
        }
        var e = hundred(t.value) ?? t.value
        if case .binary(.divide, let a, let b) = e, let x = hundred(a) { e = .binary(.divide, x, b) }
        func amount(_ x: Expression) -> String { Show.number(x.evaluate { r.inputs[$0] }.number, digits: 2) }
        if case .binary(.divide, let a, let b) = e {
            return "tử số: \(render(a)) = \(amount(a)); mẫu số: \(render(b)) = \(amount(b))"
        }
        var names: [String] = []
        for (n, _) in t.value.names + t.threshold.bound.names where !names.contains(n) { names.append(n) }
        return names.map { "\(label($0)) = \(Show.number(r.inputs[$0], digits: 2))" }.joined(separator: "; ")
    }

    /// An expression in words, names as their column headers.
    func render(_ e: Expression) -> String {
        switch e {
        case .number(let d): return Show.number(d, digits: 2)
        case .name(let n, _), .sum(let n, _): return label(n)
        case .negate(let x): return "−" + render(x)
        case .not(let x): return "không " + render(x)
        case .binary(let op, let a, let b):
            func side(_ x: Expression) -> String { if case .binary = x { return "(" + render(x) + ")" }; return render(x) }
            let sign = ["+": "+", "-": "−", "*": "×", "/": "/"][op.rawValue] ?? op.rawValue
            return "\(side(a)) \(sign) \(side(b))"
        case .call(let f, let args): return "\(f.rawValue)(\(args.map(render).joined(separator: ", ")))"
        }
    }

    /// Progress in words: "số liệu đến Tháng 11/2019 (11/12 tháng); mức cần đạt đến nay ≥ 68,8%".
    func progressText(_ t: TargetDefinition, _ r: TargetResult) -> String {
        guard r.inProgress, let fraction = r.fraction else { return "" }
        let op = comparisonSymbol(t.threshold.comparison)
        let through = r.through.map { "số liệu đến hết \($0.vietnamese)" } ?? "số liệu đến nay"
        let share = "\(Show.number(fraction * 12, digits: 1))/12 tháng"
        let level = t.perCommune ? "mỗi cơ sở Hội cần đạt đến nay \(op) \(Show.number(r.expected, digits: 2))"
            : "mức cần đạt đến nay \(op) \(Show.number(r.expected, digits: digits(t) + 1))\(t.unit == "%" ? "%" : "")"
        return "\(through) (\(share)); \(level)"
    }

    func comparisonSymbol(_ c: Threshold.Comparison) -> String {
        ["≥": Threshold.Comparison.atLeast, "≤": .atMost, "=": .equal, ">": .greater, "<": .less].first { $0.value == c }!.key
    }

    /// Everything a cell's reader needs: the verdict, what it is computed from, how far the
    /// year has gone, and what is missing.
    func explain(_ t: TargetDefinition, _ r: TargetResult) -> String {
        var parts = [Show.target(r.status).text]
        if r.status == .noData, !r.missing.isEmpty { parts.append(describeMissing(r)) }
        if let u = r.unions, t.perCommune {
            parts.append("\(u.met)/\(u.total) cơ sở Hội đạt" + (u.failing.isEmpty ? "" : "; chưa đạt: " + u.failing.joined(separator: ", ")))
        }
        let b = basis(t, r)
        if !b.isEmpty { parts.append(b) }
        let p = progressText(t, r)
        if !p.isEmpty { parts.append(p) }
        if let c = r.coverage, r.unit == "province" { parts.append("toàn tỉnh trên " + coverageText(c)) }
        return parts.joined(separator: ". ")
    }

    func thresholdText(_ t: TargetDefinition) -> String {
        func one(_ e: Expression) -> String {
            if case .number(let d) = e { return Show.number(d, digits: 2) + (t.unit == "%" ? "%" : "") }
            if case .name(let n, _) = e, n.hasPrefix("baseline.") { return "mức 31/12/\(plan.year - 1)" }
            return "…"
        }
        let op = comparisonSymbol(t.threshold.comparison)
        let each = t.perCommune ? "mỗi cơ sở Hội " : ""
        if t.threshold.byTerrain.isEmpty { return "\(each)\(op) \(one(t.threshold.bound))" }
        return t.threshold.byTerrain.sorted { $0.key.rawValue < $1.key.rawValue }.map { terrain, e in
            "\(terrain == .mountain ? "miền núi" : "đồng bằng") \(op) \(one(e))"
        }.joined(separator: "; ")
    }

    func fmt(_ d: Double) -> String { String(format: "%.1f", d) }

    func numericFields(_ f: FormDefinition) -> [FieldDefinition] {
        f.fields.filter { $0.type == .integer || $0.type == .decimal || (f.rows == .single && $0.type == .percent) }
    }
}
