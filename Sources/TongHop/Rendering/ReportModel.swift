// Rendering: the view models of the reports, computed here so that the templates only lay
// out. Every value is text ready to show (Vietnamese numbers and dates); the templates
// escape everything that came from a file.
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

enum Show {
    static func number(_ d: Double?, digits: Int = 1) -> String {
        guard let d else { return "—" }
        return VietnameseFormat.number(d, maxFractionDigits: digits)
    }

    static func status(_ s: ReportStatus) -> (symbol: String, text: String, css: String) {
        switch s.kind {
        case .onTime: return ("✓", "Đúng hạn", "ontime")
        case .late: return ("!", "Muộn \(s.daysLate ?? 0) ngày", "late")
        case .missing: return ("✗", "Thiếu", "missing")
        case .rejected: return ("⊘", s.unread.map { $0.vietnamese.prefix(1).uppercased() + $0.vietnamese.dropFirst() } ?? "Bị từ chối", "rejected")
        case .pending: return ("…", "Chưa đến hạn", "pending")
        case .exempt: return ("–", "Được miễn", "exempt")
        }
    }

    static func target(_ s: TargetResult.Status) -> (symbol: String, text: String, css: String) {
        switch s {
        case .met: return ("✓", "Đạt", "met")
        case .notMet: return ("✗", "Không đạt", "notmet")
        case .noData: return ("?", "Không đánh giá được", "nodata")
        case .onTrack: return ("→", "Đang thực hiện", "ontrack")
        case .behind: return ("↘", "Chậm tiến độ", "behind")
        }
    }

    /// A value with enough digits that its verdict shows: 0,31 against ≤ 0,3, not 0,3. At
    /// least `digits`, and as many as the bound has.
    static func verdict(_ value: Double?, bound: Double?, comparison: Threshold.Comparison, digits: Int) -> String {
        guard let value else { return "—" }
        guard let bound else { return number(value, digits: digits) }
        var d = digits
        let truth = TargetEvaluation.compare(value, comparison, bound)
        while d < 4 {
            let scale = pow(10, Double(d))
            let shown = (value * scale).rounded() / scale
            let boundShown = (bound * scale).rounded() / scale
            if TargetEvaluation.compare(shown, comparison, bound) == truth && (shown != boundShown || value == bound) { break }
            d += 1
        }
        return number(value, digits: d)
    }

    static func fractionDigits(_ d: Double) -> Int {
        for n in 0..<6 where abs(d * pow(10, Double(n)) - (d * pow(10, Double(n))).rounded()) < 1e-9 { return n }
        return 6
    }

    /// A name safe as a file name: district codes from the plan, never file text.
    static func fileName(_ s: String) -> String {
        let ok = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.value < 0x80 || $0 == "-" || $0 == "_" }
        return ok && !s.isEmpty ? s : "u" + String(FileDigest.sha256(Data(s.utf8)).prefix(12))
    }
}

struct ReportModel {
    let input: ReportInput
    var plan: Plan { input.plan }
    let byKey: [ReportKey: ReportStatus]
    /// Target results by "target|unit", and the period's corrections, computed once.
    let targetIndex: [String: TargetResult]
    let periodCorrections: [Ledger.StoredChange]

    init(input: ReportInput) {
        self.input = input
        var byKey: [ReportKey: ReportStatus] = [:]
        for s in input.statuses { byKey[ReportKey(s)] = s }
        self.byKey = byKey
        var targetIndex: [String: TargetResult] = [:]
        for r in input.targets where targetIndex["\(r.target)|\(r.unit)"] == nil { targetIndex["\(r.target)|\(r.unit)"] = r }
        self.targetIndex = targetIndex
        periodCorrections = input.correctionsInPeriod
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
        String(format: "%@, ngày %02d tháng %02d năm %04d", plan.province, input.asOf.day, input.asOf.month, input.asOf.year)
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
            return "thiếu số liệu của " + list(r.missing.map { plan.unit($0)?.name ?? describeOne($0) }, noun: "đơn vị")
        }
        return "thiếu " + r.missing.map(describeOne).joined(separator: "; ")
    }

    /// Coverage in words: "8/8 đơn vị" or "7/8 đơn vị — thiếu Huyện Diên Khánh".
    func coverageText(_ c: Coverage) -> String {
        if c.contributing.isEmpty { return "0/\(c.expected) đơn vị — chưa đơn vị nào có số liệu" }
        return "\(c.contributing.count)/\(c.expected) đơn vị" + (c.missing.isEmpty ? "" : " — thiếu " + list(c.missing.map { plan.unit($0)?.name ?? $0 }, noun: "đơn vị"))
    }

    /// Names for a reader: all of them up to ten, else the first eight and how many more
    /// (summary.json keeps every one).
    func list(_ names: [String], noun: String) -> String {
        guard names.count > 10 else { return names.joined(separator: ", ") }
        return names.prefix(8).joined(separator: ", ") + " và \(names.count - 8) \(noun) khác"
    }

    var common: [String: Any] {
        ["heading": plan.heading, "organisation": plan.organisation, "province": plan.province,
         "dateLine": dateLine, "periodTitle": input.period.vietnamese, "asOf": input.asOf.vietnamese,
         "year": String(plan.year), "official": OfficialBlocks(plan: plan, kind: .report, date: input.asOf).mustache,
         "periodRange": periodRange, "periodTitleLower": input.period.vietnamese.prefix(1).lowercased() + input.period.vietnamese.dropFirst(),
         "runningHeader": runningHeader, "state": stateModel]
    }

    // MARK: - The board's report

    func index() -> [String: Any] {
        var m = common
        let forms = plan.forms
        let current = forms.map { ($0, currentPeriod($0)) }
        m["formColumns"] = current.map { f, p in ["title": f.title, "period": p?.vietnamese ?? "—"] }
        let rates = Completeness.rates(input.statuses) { $0.unit }
        m["matrix"] = plan.units.map { u -> [String: Any] in
            let cells: [[String: Any]] = current.map { f, p in
                guard let p, let s = status(u.code, f.id, p) else { return ["symbol": "", "text": "—", "css": "none"] }
                let shown = Show.status(s)
                return ["symbol": shown.symbol, "text": shown.text, "css": shown.css,
                        "detail": s.received.map { "nhận \($0.vietnamese)" } ?? "hạn \(s.due.vietnamese)"]
            }
            let r = rates[u.code] ?? Rate()
            // A unit that does not report (exempt) has no feedback page.
            return ["code": u.code, "name": u.name, "feedback": u.active ? "phan-hoi/\(Show.fileName(u.code)).html" as Any : false, "cells": cells,
                    "received": Show.number(r.receivedRate, digits: 0), "onTime": Show.number(r.onTimeRate, digits: 0),
                    "expected": String(r.expected)]
        }
        let all = Completeness.rates(input.statuses) { _ in "all" }["all"] ?? Rate()
        m["provinceRates"] = ["received": Show.number(all.receivedRate, digits: 1), "onTime": Show.number(all.onTimeRate, digits: 1),
                              "expected": String(all.expected), "receivedCount": String(all.received), "onTimeCount": String(all.onTime)]
        var kindCounts: [[String: Any]] = []
        for k in ReportStatus.Kind.allCases {
            let n = input.statuses.filter { $0.kind == k }.count
            let shown = Show.status(ReportStatus(unit: "", form: "", period: input.period, due: input.asOf, kind: k, daysLate: 0))
            kindCounts.append(["symbol": shown.symbol, "text": k == .late ? "Muộn" : shown.text, "css": shown.css, "count": String(n)])
        }
        m["kindCounts"] = kindCounts
        m["attention"] = input.statuses.filter { [.missing, .late, .rejected].contains($0.kind) }
            .sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }
            .map { s -> [String: Any] in
                let shown = Show.status(s)
                return ["unit": plan.unit(s.unit)?.name ?? s.unit, "form": plan.form(s.form)?.title ?? s.form,
                        "period": s.period.vietnamese, "due": s.due.vietnamese, "status": shown.text, "css": shown.css,
                        "symbol": shown.symbol, "file": s.file ?? ""]
            }
        m["hasAttention"] = !(m["attention"] as! [[String: Any]]).isEmpty
        m["unitColumns"] = unitColumns
        m["targets"] = targetRows()
        m["charts"] = charts()
        m["ranking"] = ranking()
        m["tables"] = forms.compactMap { f in currentPeriod(f).map { table(f, $0) } }
        m["changes"] = periodChanges()
        m["corrections"] = corrections()
        m["hasCorrections"] = !(m["corrections"] as! [[String: Any]]).isEmpty
        m["quality"] = quality()
        m["conclusions"] = conclusions()
        if let grid = monthGrid() { m["monthGrid"] = grid }
        m["progress"] = progressCharts()
        m["hasProgress"] = !(m["progress"] as! [[String: Any]]).isEmpty
        return m
    }

    var unitColumns: [[String: Any]] {
        plan.activeUnits.map { ["code": $0.code, "name": FormLayout.shortName($0)] }
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

    func targetRows() -> [[String: Any]] {
        plan.targets.map { t -> [String: Any] in
            let cells: [[String: Any]] = (plan.activeUnits.map(\.code) + ["province"]).map { code in
                guard let r = result(t, code) else { return ["text": "—", "css": "nodata", "symbol": "?"] }
                let shown = Show.target(r.status)
                return ["text": shownValue(t, r), "css": shown.css, "symbol": shown.symbol, "title": explain(t, r)]
            }
            var notes: [String] = []
            if let p = result(t, "province") {
                if t.perCommune, let u = p.unions, u.total > 0 {
                    notes.append("\(u.met)/\(u.total) cơ sở Hội đạt; huyện đạt khi mọi cơ sở Hội của huyện đạt")
                }
                let b = basis(t, p)
                if !b.isEmpty, !t.perCommune { notes.append("Toàn tỉnh — " + b) }
                let pr = progressText(t, p)
                if !pr.isEmpty { notes.append(pr.prefix(1).uppercased() + pr.dropFirst()) }
                if p.status == .noData, !p.missing.isEmpty { notes.append("Toàn tỉnh: " + describeMissing(p)) }
            }
            return ["name": t.name, "threshold": thresholdText(t), "unit": t.unit ?? "", "cells": cells, "notes": notes.map { ["text": $0] }]
        }
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

    /// Thi đua: units ranked by targets met (or on track before the year ends), then by the
    /// share of reports on time.
    func ranking() -> [[String: Any]] {
        let rates = Completeness.rates(input.statuses) { $0.unit }
        let rows = plan.activeUnits.map { u -> (ReportingUnit, Int, Int, Double) in
            let mine = plan.targets.compactMap { result($0, u.code) }
            return (u, mine.filter(\.isGood).count, mine.filter { $0.status != .noData }.count, rates[u.code]?.onTimeRate ?? 0)
        }.sorted { ($0.1, $0.3, $1.0.code) > ($1.1, $1.3, $0.0.code) }
        // Units with as many targets met of as many evaluated share a rank (1, 2, 2, 4).
        var ranks: [Int] = []
        for (i, r) in rows.enumerated() {
            ranks.append(i > 0 && rows[i - 1].1 == r.1 && rows[i - 1].2 == r.2 ? ranks[i - 1] : i + 1)
        }
        return rows.enumerated().map { i, r in
            ["rank": String(ranks[i]), "name": r.0.name, "met": String(r.1), "evaluated": String(r.2), "onTime": Show.number(r.3, digits: 0)]
        }
    }

    func numericFields(_ f: FormDefinition) -> [FieldDefinition] {
        f.fields.filter { $0.type == .integer || $0.type == .decimal || (f.rows == .single && $0.type == .percent) }
    }

    func table(_ f: FormDefinition, _ p: Period) -> [String: Any] {
        let fields = numericFields(f)
        let units = Set(fields.compactMap(\.unit))
        let header = fields.map { field -> [String: Any] in
            // The unit once: not after a header that already names it ("… (trường hợp)").
            let shown = (field.unit == "triệu đồng" || units.count > 1) && !field.header.contains("(\(field.unit ?? ""))") ? (field.unit ?? "") : ""
            return ["name": field.header, "unit": shown.isEmpty ? false : shown] as [String: Any]
        }
        var rows: [[String: Any]] = []
        for u in plan.activeUnits {
            let totals = input.consolidation.unitTotals[f.id]?[p]?[u.code]
            let s = status(u.code, f.id, p)
            var row: [String: Any] = ["name": u.name, "values": fields.map { ["text": Show.number(totals?[$0.key], digits: 2)] }]
            // Mustache takes an empty text as true: the note is there only when it says something.
            if totals == nil { row["note"] = s.map { Show.status($0).text } ?? "Chưa có" }
            rows.append(row)
        }
        let percentOnly = fields.allSatisfy { $0.type == .percent }
        let figures = fields.map { input.consolidation.provinceFigure(form: f.id, field: $0.key, period: p) }
        let summed = zip(fields, figures).filter { field, _ in !(field.type == .percent || percentOnly) }.map(\.1)
        let same = Set(summed.map(\.coverage.contributing)).count <= 1
        let unitNote = units.count == 1 ? "ĐVT: \(units.first!)"
            : units.contains("triệu đồng") ? "ĐVT: tiền tính bằng triệu đồng; các cột khác theo đơn vị ghi ở tiêu đề cột" : ""
        let first = summed.first?.coverage ?? Coverage(contributing: [], missing: input.consolidation.expectedUnits(form: f.id, period: p))
        return ["id": f.id, "title": f.title, "period": p.vietnamese, "heading": formAndPeriod(f.id, p), "unitNote": unitNote.isEmpty ? false : unitNote,
                "header": header, "rows": rows, "wide": fields.count > 10,
                "provinceValues": zip(fields, figures).map { field, fig -> [String: Any] in
                    ["text": field.type == .percent || percentOnly ? "" : Show.number(fig.value, digits: 2)]
                },
                "provinceNote": same ? coverageText(first) : "số đơn vị có số liệu khác nhau theo cột, xem dòng dưới",
                "perColumn": !same,
                "coverage": zip(fields, figures).map { field, fig -> [String: Any] in
                    field.type == .percent || percentOnly ? ["text": "", "title": ""] :
                        ["text": "\(fig.coverage.contributing.count)/\(fig.coverage.expected)", "title": coverageText(fig.coverage),
                         "incomplete": !fig.coverage.complete]
                }]
    }

    /// Province totals of each form's current period against its previous one, like for like:
    /// each field summed over the units that have it in both periods, and saying so.
    func periodChanges() -> [[String: Any]] {
        plan.forms.compactMap { f -> [String: Any]? in
            guard let p = currentPeriod(f), let q = previousPeriod(f, before: p) else { return nil }
            let c = input.consolidation
            let expected = c.expectedUnits(form: f.id, period: p)
            var left: Set<String> = []
            var bases: Set<Int> = []
            let rows: [[String: Any]] = numericFields(f).filter { $0.type != .percent }.compactMap { field in
                let both = expected.filter { c.unitTotals[f.id]?[p]?[$0]?[field.key] != nil && c.unitTotals[f.id]?[q]?[$0]?[field.key] != nil }
                guard !both.isEmpty, let a = c.sum(form: f.id, field: field.key, period: q, units: both),
                      let b = c.sum(form: f.id, field: field.key, period: p, units: both) else { return nil }
                if both.count < expected.count { let inBoth = Set(both); left.formUnion(expected.filter { !inBoth.contains($0) }) }
                bases.insert(both.count)
                let pct = a == 0 ? nil : 100 * (b - a) / abs(a)
                let good = field.better == .higher ? b > a : field.better == .lower ? b < a : false
                let bad = field.better == .higher ? b < a : field.better == .lower ? b > a : false
                return ["name": field.header, "unit": field.unit ?? "", "before": Show.number(a, digits: 2), "now": Show.number(b, digits: 2),
                        "delta": (b - a >= 0 ? "+" : "") + Show.number(b - a, digits: 2),
                        "percent": pct.map { ($0 >= 0 ? "+" : "") + Show.number($0, digits: 1) + "%" } ?? "—",
                        "css": good ? "good" : bad ? "bad" : "", "units": "\(both.count)/\(expected.count)"]
            }
            guard !rows.isEmpty else { return nil }
            let names = expected.filter { left.contains($0) }.map { plan.unit($0)?.name ?? $0 }
            var note = ""
            if bases.count == 1, let n = bases.first {
                note = n == expected.count ? "So sánh trên cả \(n) đơn vị có số liệu cả hai kỳ."
                    : "So sánh trên \(n) đơn vị có số liệu cả hai kỳ (không tính \(list(names, noun: "đơn vị")))."
            } else if !names.isEmpty {
                note = "Mỗi dòng so sánh trên các đơn vị có số liệu cột đó cả hai kỳ (cột \"Số đơn vị\"); có lúc không tính: \(list(names, noun: "đơn vị"))."
            }
            return ["title": f.title, "now": p.vietnamese, "before": q.vietnamese, "note": note.isEmpty ? false : note, "rows": rows]
        }
    }

    /// The corrections accepted in the period (file, cell, old → new, effect on the unit's
    /// total), optionally of one unit.
    func corrections(unit: String? = nil) -> [[String: Any]] {
        let byId = Dictionary(uniqueKeysWithValues: input.submissions.map { ($0.id, $0) })
        guard !periodCorrections.isEmpty else { return [] }
        return periodCorrections.compactMap { c -> [String: Any]? in
            guard let s = byId[c.submission], let form = plan.form(s.form), unit == nil || s.unit == unit else { return nil }
            let field = form.field(c.field)
            let numeric = field.map { Consolidation.isCounted($0, in: form) } ?? false
            func shown(_ v: String?) -> String {
                guard let v else { return "(trống)" }
                return Double(v).map { Show.number($0, digits: 2) } ?? v
            }
            let row = input.changeRows[c.submission]?[c.rowKey] ?? input.changeRows[c.previous]?[c.rowKey]
            let commune = s.unit.flatMap { plan.unit($0) }.map { TargetEvaluation.communeName(c.rowKey, unit: $0) } ?? c.rowKey
            var place = s.sheet
            if let row { place += "!hàng \(row)" }
            if !c.rowKey.isEmpty { place += " (xã \(commune))" }
            var effect = ""
            if numeric {
                let before = input.changeTotals[c.previous]?[c.field], after = input.changeTotals[c.submission]?[c.field]
                effect = "tổng của đơn vị: \(Show.number(before, digits: 2)) → \(Show.number(after, digits: 2))"
                if let before, let after { effect += " (\(after - before >= 0 ? "+" : "")\(Show.number(after - before, digits: 2)))" }
            }
            let previous = byId[c.previous]
            return ["unit": s.unit.flatMap { plan.unit($0)?.name } ?? "?", "form": form.title,
                    "period": s.period.flatMap(Period.init)?.vietnamese ?? "", "field": field?.header ?? c.field,
                    "place": place, "old": shown(c.old), "new": shown(c.new), "file": s.file, "received": s.receivedOn.vietnamese,
                    "previousFile": previous?.file ?? "", "effect": effect]
        }
    }


    /// Findings of every file, by unit: errors and warnings with their cell.
    func quality() -> [[String: Any]] {
        var byUnit: [String: [[String: Any]]] = [:]
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        let replaced = replacedFiles
        for file in input.files {
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            let key = units.count == 1 ? units.first! : ""
            for f in input.findings[file.id] ?? [] where f.severity != .info {
                // A rejected file already replaced by an accepted one: nothing to resend.
                let done = replaced.contains(file.id) && f.severity == .error ? " Đơn vị đã gửi lại bản sửa được chấp nhận, không cần gửi lại." : ""
                byUnit[key, default: []].append(["file": file.name, "place": [f.sheet, f.cell].compactMap { $0 }.joined(separator: "!"),
                                                 "severity": f.severity.vietnamese, "css": f.severity.rawValue,
                                                 "code": f.code.rawValue, "message": f.vi + done])
            }
        }
        for d in input.derived {
            byUnit[d.unit, default: []].append(["file": d.finding.file, "place": formAndPeriod(d.form, d.period),
                                                "severity": d.finding.severity.vietnamese, "css": d.finding.severity.rawValue,
                                                "code": d.finding.code.rawValue, "message": d.finding.vi])
        }
        var out: [[String: Any]] = []
        for u in plan.activeUnits where byUnit[u.code] != nil {
            out.append(["name": u.name, "items": byUnit[u.code]!, "count": String(byUnit[u.code]!.count)])
        }
        if let rest = byUnit[""] {
            out.append(["name": "Tệp chưa xác định được đơn vị", "items": rest, "count": String(rest.count)])
        }
        return out
    }

    // MARK: - Feedback to one district

    func feedback(_ u: ReportingUnit) -> [String: Any] {
        var m = common
        var blocks = OfficialBlocks(plan: plan, kind: .report, date: input.asOf)
        blocks.number = ""   // a page of feedback, not a numbered document
        m["official"] = blocks.mustache
        m["unitName"] = u.name
        m["unionName"] = FormLayout.unionName(u)
        let mine = input.statuses.filter { $0.unit == u.code }.sorted { ($0.due, $0.form) < ($1.due, $1.form) }
        m["reports"] = mine.map { s -> [String: Any] in
            let shown = Show.status(s)
            return ["form": plan.form(s.form)?.title ?? s.form, "period": periodAfter(s.form, s.period), "due": s.due.vietnamese,
                    "received": s.received.map { $0.vietnamese as Any } ?? false, "status": shown.text, "symbol": shown.symbol, "css": shown.css,
                    "file": s.file.map { $0 as Any } ?? false]
        }
        m["stillDue"] = mine.filter { [.missing, .rejected, .pending].contains($0.kind) }.map { s -> [String: Any] in
            ["form": plan.form(s.form)?.title ?? s.form, "period": periodAfter(s.form, s.period), "due": s.due.vietnamese,
             "overdue": s.kind != .pending, "status": s.kind == .pending ? "Chưa đến hạn" : Show.status(s).text,
             "css": Show.status(s).css, "symbol": Show.status(s).symbol]
        }
        m["hasStillDue"] = !(m["stillDue"] as! [[String: Any]]).isEmpty
        let unplaced = Completeness.unplaced(plan: plan, files: input.files, submissions: input.submissions, asOf: input.asOf)
            .filter { $0.unit == u.code }
        let fileIds = Set(input.submissions.filter { $0.unit == u.code }.map(\.fileId)).union(unplaced.map(\.fileId))
        let files: [[String: Any]] = input.files.filter { fileIds.contains($0.id) }.sorted { ($0.receivedOn, $0.name) < ($1.receivedOn, $1.name) }
            .map { f -> [String: Any] in
                let findings = (input.findings[f.id] ?? []).filter { $0.severity != .info }
                let subs = input.submissions.filter { $0.fileId == f.id }
                let rejected = subs.filter { $0.status == .rejected }
                // A rejected file whose report has since come in accepted needs nothing more.
                let replaced = !rejected.isEmpty && rejected.allSatisfy { r in
                    input.statuses.contains { $0.unit == r.unit && $0.form == r.form && $0.period.description == r.period
                        && ($0.kind == .onTime || $0.kind == .late) }
                }
                let status = unplaced.first { $0.fileId == f.id }.map { $0.text(.vi) }
                    ?? (rejected.isEmpty ? (findings.isEmpty ? "Được chấp nhận" : "Được chấp nhận, có lưu ý")
                    : replaced ? "Bị từ chối, đã được thay bằng bản gửi lại" : "Bị từ chối, cần sửa và gửi lại")
                return ["name": f.name, "received": f.receivedOn.vietnamese, "status": status,
                        "css": subs.contains { $0.status == .rejected } || subs.isEmpty ? "rejected" : "ontime",
                        "what": subs.isEmpty ? "chưa xác định được biểu và kỳ"
                            : subs.map { s in formAndPeriod(s.form, s.period.flatMap(Period.init)) }.joined(separator: "; "),
                        "findings": findings.map { ["place": [$0.sheet, $0.cell].compactMap { $0 }.joined(separator: "!"),
                                                    "severity": $0.severity.vietnamese, "css": $0.severity.rawValue,
                                                    "code": $0.code.rawValue, "message": $0.vi] },
                        "clean": findings.isEmpty, "hasFindings": !findings.isEmpty,
                        "annotated": f.name.lowercased().hasSuffix(".xlsx") || f.name.lowercased().hasSuffix(".xlsm")
                            ? "\(Show.fileName(u.code))/" + (FeedbackWorkbooks.outputName(f.name, among: input.files.filter { fileIds.contains($0.id) }.map(\.name)).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "") as Any
                            : false]
            }
        m["problemFiles"] = files.filter { !($0["clean"] as! Bool) }
        m["cleanFiles"] = files.filter { $0["clean"] as! Bool }
        m["hasProblemFiles"] = !(m["problemFiles"] as! [[String: Any]]).isEmpty
        m["hasCleanFiles"] = !(m["cleanFiles"] as! [[String: Any]]).isEmpty
        m["notes"] = input.derived.filter { $0.unit == u.code }.map { d -> [String: Any] in
            ["severity": d.finding.severity.vietnamese, "css": d.finding.severity.rawValue, "code": d.finding.code.rawValue,
             "message": d.finding.vi]
        }
        m["hasNotes"] = !(m["notes"] as! [[String: Any]]).isEmpty
        m["targets"] = plan.targets.compactMap { t -> [String: Any]? in
            guard let r = result(t, u.code) else { return nil }
            let shown = Show.target(r.status)
            var details: [String] = []
            if let u = r.unions, t.perCommune {
                details.append("\(u.met)/\(u.total) cơ sở Hội đạt; huyện đạt khi mọi cơ sở Hội đạt" + (u.failing.isEmpty ? "" : " — chưa đạt: " + u.failing.joined(separator: ", ")))
            }
            let b = basis(t, r)
            if !b.isEmpty, !t.perCommune { details.append(b) }
            let p = progressText(t, r)
            if !p.isEmpty { details.append(p.prefix(1).uppercased() + p.dropFirst()) }
            if r.status == .noData, !r.missing.isEmpty { details.append(describeMissing(r)) }
            return ["name": t.name, "value": shownValue(t, r), "threshold": thresholdText(t), "status": shown.text,
                    "css": shown.css, "symbol": shown.symbol, "details": details.map { ["text": $0] }]
        }
        m["corrections"] = corrections(unit: u.code)
        m["hasCorrections"] = !(m["corrections"] as! [[String: Any]]).isEmpty
        return m
    }
}
