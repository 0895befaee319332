// Rendering: what the files said and what they changed — the corrections accepted in the
// period (both pages), and the report's appendix of findings by unit.
import Foundation

/// One unit's findings in the appendix (files whose unit is unknown together).
struct QualityGroup: PageModel {
    var name: String
    var items: [FindingRow]

    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "items": items
        case "count": String(items.count)
        default: nil
        }
    }
}

extension ReportModel {
    /// The corrections accepted in the period (file, cell, old → new, effect on the unit's
    /// total), optionally of one unit.
    func corrections(unit: String? = nil) -> [CorrectionRow] {
        let changes = unit.map { correctionsByUnit[$0] ?? [] } ?? periodCorrections
        guard !changes.isEmpty else { return [] }
        let byId = submissionsById
        return changes.compactMap { c -> CorrectionRow? in
            guard let s = byId[c.submission], let form = self.form(s.form), unit == nil || s.unit == unit else { return nil }
            let field = form.field(c.field)
            let numeric = field.map { Consolidation.isCounted($0, in: form) } ?? false
            func shown(_ v: String?) -> String {
                guard let v else { return "(trống)" }
                return Double(v).map { Show.number($0, digits: 2) } ?? v
            }
            let row = input.changeRows[c.submission]?[c.rowKey] ?? input.changeRows[c.previous]?[c.rowKey]
            let commune = s.unit.flatMap { self.unit($0) }.map { TargetEvaluation.communeName(c.rowKey, unit: $0) } ?? c.rowKey
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
            return CorrectionRow(unit: s.unit.flatMap { self.unit($0)?.name } ?? "?", form: form.title,
                                 period: s.period.flatMap(Period.init)?.vietnamese ?? "", field: field?.header ?? c.field,
                                 place: place, old: shown(c.old), new: shown(c.new), file: s.file, received: s.receivedOn.vietnamese,
                                 previousFile: previous?.file ?? "", effect: effect)
        }
    }

    /// Findings of every file, by unit: errors and warnings with their cell.
    func quality() -> [QualityGroup] {
        var byUnit: [String: [FindingRow]] = [:]
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        let replaced = replacedFiles
        for file in input.files {
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            let key = units.count == 1 ? units.first! : ""
            for f in input.findings[file.id] ?? [] where f.severity != .info {
                // A rejected file already replaced by an accepted one: nothing to resend.
                let done = replaced.contains(file.id) && f.severity == .error ? " Đơn vị đã gửi lại bản sửa được chấp nhận, không cần gửi lại." : ""
                byUnit[key, default: []].append(FindingRow(file: file.name, place: [f.sheet, f.cell].compactMap { $0 }.joined(separator: "!"),
                                                           finding: f, message: f.vi + done))
            }
        }
        for d in input.derived {
            byUnit[d.unit, default: []].append(FindingRow(file: d.finding.file, place: formAndPeriod(d.form, d.period), finding: d.finding))
        }
        var out: [QualityGroup] = []
        for u in plan.activeUnits {
            if let items = byUnit[u.code] { out.append(QualityGroup(name: u.name, items: items)) }
        }
        if let rest = byUnit[""] {
            out.append(QualityGroup(name: "Tệp chưa xác định được đơn vị", items: rest))
        }
        return out
    }
}
