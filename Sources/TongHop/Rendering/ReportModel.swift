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
        case .rejected: return ("⊘", "Bị từ chối", "rejected")
        case .pending: return ("…", "Chưa đến hạn", "pending")
        case .exempt: return ("–", "Được miễn", "exempt")
        }
    }

    static func target(_ s: TargetResult.Status) -> (symbol: String, text: String, css: String) {
        switch s {
        case .met: return ("✓", "Đạt", "met")
        case .notMet: return ("✗", "Không đạt", "notmet")
        case .noData: return ("?", "Không đánh giá được", "nodata")
        }
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
    let byKey: [String: ReportStatus]

    init(input: ReportInput) {
        self.input = input
        var byKey: [String: ReportStatus] = [:]
        for s in input.statuses { byKey["\(s.unit)|\(s.form)|\(s.period)"] = s }
        self.byKey = byKey
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
        byKey["\(unit)|\(form)|\(period)"]
    }

    var dateLine: String {
        String(format: "%@, ngày %02d tháng %02d năm %04d", plan.province, input.asOf.day, input.asOf.month, input.asOf.year)
    }

    /// What a target's missing name stands for, in words: "Báo cáo …: Số tổ viên".
    func describe(_ name: String) -> String {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name }
        if parts[0] == "baseline" { return "số liệu tại 31/12/\(plan.year - 1) (\(parts[1]))" }
        guard let f = plan.forms.first(where: { $0.expressionName == parts[0] }) else { return name }
        return "\(f.title): \(f.field(parts[1])?.header ?? parts[1])"
    }

    func describeMissing(_ r: TargetResult) -> String {
        if r.unit == "province" {
            return "thiếu số liệu của " + r.missing.map { plan.unit($0)?.name ?? describe($0) }.joined(separator: ", ")
        }
        return "thiếu " + r.missing.map(describe).joined(separator: "; ")
    }

    var common: [String: Any] {
        ["heading": plan.heading, "organisation": plan.organisation, "province": plan.province,
         "dateLine": dateLine, "periodTitle": input.period.vietnamese, "asOf": input.asOf.vietnamese,
         "year": String(plan.year)]
    }

    // MARK: - The board's report

    func index() -> [String: Any] {
        var m = common
        let forms = plan.forms
        let current = forms.map { ($0, currentPeriod($0)) }
        m["formColumns"] = current.map { f, p in ["title": f.title, "period": p?.vietnamese ?? "—"] }
        let rates = Completeness.rates(input.statuses) { $0.unit }
        m["matrix"] = plan.activeUnits.map { u -> [String: Any] in
            let cells: [[String: Any]] = current.map { f, p in
                guard let p, let s = status(u.code, f.id, p) else { return ["symbol": "", "text": "—", "css": "none"] }
                let shown = Show.status(s)
                return ["symbol": shown.symbol, "text": shown.text, "css": shown.css,
                        "detail": s.received.map { "nhận \($0.vietnamese)" } ?? "hạn \(s.due.vietnamese)"]
            }
            let r = rates[u.code] ?? Rate()
            return ["code": u.code, "name": u.name, "feedback": "phan-hoi/\(Show.fileName(u.code)).html", "cells": cells,
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
        return m
    }

    var unitColumns: [[String: Any]] {
        plan.activeUnits.map { ["code": $0.code, "name": FormLayout.shortName($0)] }
    }

    func targetRows() -> [[String: Any]] {
        plan.targets.map { t -> [String: Any] in
            let cells: [[String: Any]] = (plan.activeUnits.map(\.code) + ["province"]).map { code in
                guard let r = input.targets.first(where: { $0.target == t.id && $0.unit == code }) else { return ["text": "—", "css": "nodata", "symbol": "?"] }
                let shown = Show.target(r.status)
                var title = shown.text
                if r.status == .noData, !r.missing.isEmpty { title += ": " + describeMissing(r) }
                return ["text": Show.number(r.value, digits: t.unit == "%" ? 1 : 2), "css": shown.css, "symbol": shown.symbol,
                        "title": title]
            }
            return ["name": t.name, "threshold": thresholdText(t), "unit": t.unit ?? "", "cells": cells]
        } + []
    }

    func thresholdText(_ t: TargetDefinition) -> String {
        func one(_ e: Expression) -> String {
            if case .number(let d) = e { return Show.number(d, digits: 2) + (t.unit == "%" ? "%" : "") }
            if case .name(let n, _) = e, n.hasPrefix("baseline.") { return "mức 31/12/\(plan.year - 1)" }
            return "…"
        }
        let op = ["≥": Threshold.Comparison.atLeast, "≤": .atMost, "=": .equal, ">": .greater, "<": .less]
            .first { $0.value == t.threshold.comparison }!.key
        if t.threshold.byTerrain.isEmpty { return "\(op) \(one(t.threshold.bound))" }
        return t.threshold.byTerrain.sorted { $0.key.rawValue < $1.key.rawValue }.map { terrain, e in
            "\(terrain == .mountain ? "miền núi" : "đồng bằng") \(op) \(one(e))"
        }.joined(separator: "; ")
    }

    /// One bar chart per target: each unit's value against its threshold.
    func charts() -> [[String: Any]] {
        let width = 460.0, barArea = 270.0, rowHeight = 22.0, left = 100.0
        return plan.targets.map { t -> [String: Any] in
            let results = plan.activeUnits.compactMap { u in input.targets.first { $0.target == t.id && $0.unit == u.code }.map { (u, $0) } }
            let maxValue = max(results.compactMap { $0.1.value }.max() ?? 0, results.compactMap { $0.1.threshold }.max() ?? 0, 1e-9) * 1.1
            let bars: [[String: Any]] = results.enumerated().map { i, pair in
                let (u, r) = pair
                let v = r.value ?? 0
                let y = Double(i) * rowHeight + 8
                let w = barArea * max(0, v) / maxValue
                let tx = r.threshold.map { left + barArea * max(0, $0) / maxValue } ?? -1
                return ["label": FormLayout.shortName(u), "x": fmt(left), "y": fmt(y), "width": fmt(w), "height": fmt(rowHeight - 8),
                        "textY": fmt(y + rowHeight - 11), "valueX": fmt(left + w + 4), "value": r.value == nil ? "không đánh giá được" : Show.number(r.value, digits: 2),
                        "css": Show.target(r.status).css, "thresholdX": fmt(tx), "hasThreshold": tx >= 0, "thresholdY1": fmt(y - 3), "thresholdY2": fmt(y + rowHeight - 5)]
            }
            return ["name": t.name, "threshold": thresholdText(t), "width": fmt(width), "height": fmt(Double(results.count) * rowHeight + 16),
                    "bars": bars]
        }
    }

    func fmt(_ d: Double) -> String { String(format: "%.1f", d) }

    /// Thi đua: units ranked by targets met, then by the share of reports on time.
    func ranking() -> [[String: Any]] {
        let rates = Completeness.rates(input.statuses) { $0.unit }
        let rows = plan.activeUnits.map { u -> (ReportingUnit, Int, Int, Double) in
            let mine = input.targets.filter { $0.unit == u.code }
            return (u, mine.filter { $0.status == .met }.count, mine.filter { $0.status != .noData }.count, rates[u.code]?.onTimeRate ?? 0)
        }.sorted { ($0.1, $0.3, $1.0.code) > ($1.1, $1.3, $0.0.code) }
        return rows.enumerated().map { i, r in
            ["rank": String(i + 1), "name": r.0.name, "met": String(r.1), "evaluated": String(r.2), "onTime": Show.number(r.3, digits: 0)]
        }
    }

    func numericFields(_ f: FormDefinition) -> [FieldDefinition] {
        f.fields.filter { $0.type == .integer || $0.type == .decimal || (f.rows == .single && $0.type == .percent) }
    }

    func table(_ f: FormDefinition, _ p: Period) -> [String: Any] {
        let fields = numericFields(f)
        let units = Set(fields.compactMap(\.unit))
        let header = fields.map { field -> [String: Any] in
            ["name": field.header, "unit": field.unit == "triệu đồng" || units.count > 1 ? (field.unit ?? "") : ""]
        }
        var rows: [[String: Any]] = []
        for u in plan.activeUnits {
            let totals = input.consolidation.unitTotals[f.id]?[p]?[u.code]
            let s = status(u.code, f.id, p)
            rows.append(["name": u.name, "values": fields.map { ["text": Show.number(totals?[$0.key], digits: 2)] },
                         "note": totals == nil ? (s.map { Show.status($0).text } ?? "Chưa có") : ""])
        }
        let province = input.consolidation.provinceTotals(form: f.id, period: p)
        let percentOnly = fields.allSatisfy { $0.type == .percent }
        let unitNote = units.count == 1 ? "ĐVT: \(units.first!)"
            : units.contains("triệu đồng") ? "ĐVT: tiền tính bằng triệu đồng; các cột khác theo đơn vị ghi ở tiêu đề cột" : ""
        return ["id": f.id, "title": f.title, "period": p.vietnamese, "unitNote": unitNote,
                "header": header, "rows": rows, "wide": fields.count > 10,
                "provinceValues": fields.map { field in ["text": field.type == .percent || percentOnly ? "" : Show.number(province.totals[field.key], digits: 2)] },
                "provinceNote": "\(province.units)/\(plan.activeUnits.count) đơn vị có số liệu"]
    }

    /// Province totals of each form's current period against its previous one.
    func periodChanges() -> [[String: Any]] {
        plan.forms.compactMap { f -> [String: Any]? in
            guard let p = currentPeriod(f), let q = previousPeriod(f, before: p) else { return nil }
            let now = input.consolidation.provinceTotals(form: f.id, period: p)
            let before = input.consolidation.provinceTotals(form: f.id, period: q)
            guard now.units > 0, before.units > 0 else { return nil }
            let rows: [[String: Any]] = numericFields(f).filter { $0.type != .percent }.compactMap { field in
                guard let a = before.totals[field.key], let b = now.totals[field.key] else { return nil }
                let pct = a == 0 ? nil : 100 * (b - a) / abs(a)
                return ["name": field.header, "unit": field.unit ?? "", "before": Show.number(a, digits: 2), "now": Show.number(b, digits: 2),
                        "delta": (b - a >= 0 ? "+" : "") + Show.number(b - a, digits: 2),
                        "percent": pct.map { ($0 >= 0 ? "+" : "") + Show.number($0, digits: 1) + "%" } ?? "—",
                        "css": b > a ? "up" : b < a ? "down" : ""]
            }
            return ["title": f.title, "now": p.vietnamese, "before": q.vietnamese,
                    "note": now.units != before.units ? "Số đơn vị có số liệu: \(before.units) kỳ trước, \(now.units) kỳ này." : "",
                    "rows": rows]
        }
    }

    /// What districts changed when they sent a corrected file.
    func corrections() -> [[String: Any]] {
        let byId = Dictionary(uniqueKeysWithValues: input.submissions.map { ($0.id, $0) })
        return input.changes.prefix(200).compactMap { c -> [String: Any]? in
            guard let s = byId[c.submission], let form = plan.form(s.form) else { return nil }
            return ["unit": s.unit.flatMap { plan.unit($0)?.name } ?? "?", "form": form.title, "period": s.period.flatMap(Period.init)?.vietnamese ?? "",
                    "row": c.rowKey, "field": form.field(c.field)?.header ?? c.field,
                    "old": c.old.flatMap(Double.init).map { Show.number($0, digits: 2) } ?? c.old ?? "—",
                    "new": c.new.flatMap(Double.init).map { Show.number($0, digits: 2) } ?? c.new ?? "—", "file": s.file]
        }
    }

    /// Findings of every file, by unit: errors and warnings with their cell.
    func quality() -> [[String: Any]] {
        var byUnit: [String: [[String: Any]]] = [:]
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        for file in input.files {
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            let key = units.count == 1 ? units.first! : ""
            for f in input.findings[file.id] ?? [] where f.severity != .info {
                byUnit[key, default: []].append(["file": file.name, "place": [f.sheet, f.cell].compactMap { $0 }.joined(separator: "!"),
                                                 "severity": f.severity.vietnamese, "css": f.severity.rawValue,
                                                 "code": f.code.rawValue, "message": f.vi])
            }
        }
        for d in input.derived {
            byUnit[d.unit, default: []].append(["file": d.finding.file, "place": "\(plan.form(d.form)?.title ?? d.form) — \(d.period.vietnamese)",
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
        m["unitName"] = u.name
        m["unionName"] = FormLayout.unionName(u)
        let mine = input.statuses.filter { $0.unit == u.code }.sorted { ($0.due, $0.form) < ($1.due, $1.form) }
        m["reports"] = mine.map { s -> [String: Any] in
            let shown = Show.status(s)
            return ["form": plan.form(s.form)?.title ?? s.form, "period": s.period.vietnamese, "due": s.due.vietnamese,
                    "received": s.received?.vietnamese ?? "", "status": shown.text, "symbol": shown.symbol, "css": shown.css,
                    "file": s.file ?? ""]
        }
        m["stillDue"] = mine.filter { [.missing, .rejected, .pending].contains($0.kind) }.map { s -> [String: Any] in
            ["form": plan.form(s.form)?.title ?? s.form, "period": s.period.vietnamese, "due": s.due.vietnamese,
             "overdue": s.kind != .pending, "status": Show.status(s).text]
        }
        m["hasStillDue"] = !(m["stillDue"] as! [[String: Any]]).isEmpty
        let fileIds = Set(input.submissions.filter { $0.unit == u.code }.map(\.fileId))
        let files: [[String: Any]] = input.files.filter { fileIds.contains($0.id) }.sorted { ($0.receivedOn, $0.name) < ($1.receivedOn, $1.name) }
            .map { f -> [String: Any] in
                let findings = (input.findings[f.id] ?? []).filter { $0.severity != .info }
                let subs = input.submissions.filter { $0.fileId == f.id }
                let rejected = subs.filter { $0.status == "rejected" }
                // A rejected file whose report has since come in accepted needs nothing more.
                let replaced = !rejected.isEmpty && rejected.allSatisfy { r in
                    input.statuses.contains { $0.unit == r.unit && $0.form == r.form && $0.period.description == r.period
                        && ($0.kind == .onTime || $0.kind == .late) }
                }
                let status = rejected.isEmpty ? (findings.isEmpty ? "Được chấp nhận" : "Được chấp nhận, có lưu ý")
                    : replaced ? "Bị từ chối, đã được thay bằng bản gửi lại" : "Bị từ chối, cần sửa và gửi lại"
                return ["name": f.name, "received": f.receivedOn.vietnamese, "status": status,
                        "css": subs.contains { $0.status == "rejected" } ? "rejected" : "ontime",
                        "what": subs.map { s in "\(plan.form(s.form)?.title ?? s.form) — \(s.period.flatMap(Period.init)?.vietnamese ?? "?")" }.joined(separator: "; "),
                        "findings": findings.map { ["place": [$0.sheet, $0.cell].compactMap { $0 }.joined(separator: "!"),
                                                    "severity": $0.severity.vietnamese, "css": $0.severity.rawValue,
                                                    "code": $0.code.rawValue, "message": $0.vi] },
                        "clean": findings.isEmpty, "hasFindings": !findings.isEmpty,
                        "annotated": f.name.lowercased().hasSuffix(".xlsx") || f.name.lowercased().hasSuffix(".xlsm")
                            ? "\(Show.fileName(u.code))/" + (FeedbackWorkbooks.outputName(f.name).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
                            : ""]
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
        let mineTargets = input.targets.filter { $0.unit == u.code }
        m["targets"] = plan.targets.compactMap { t -> [String: Any]? in
            guard let r = mineTargets.first(where: { $0.target == t.id }) else { return nil }
            let shown = Show.target(r.status)
            return ["name": t.name, "value": Show.number(r.value, digits: 2), "threshold": thresholdText(t), "status": shown.text,
                    "css": shown.css, "symbol": shown.symbol,
                    "missing": r.missing.isEmpty ? "" : describeMissing(r)]
        }
        return m
    }
}
