// Rendering: "IV. Số liệu tổng hợp theo biểu" — each form's current period, unit by unit,
// with the province's total and which units it counts — and "V. Thay đổi so với kỳ trước",
// each form's province totals against its previous period, like for like.
import Foundation

/// One form's table.
struct FormTable: PageModel {
    /// A column: the field's header, and its unit when the column needs it said.
    struct Header: PageModel {
        var name: String
        var unit: String?

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "unit": unit.orFalse
            default: nil
            }
        }
    }

    /// A unit's row; `note` (why the row is empty) only for a unit without figures.
    struct Row: PageModel {
        var name: String
        var values: [TextItem]
        var note: String?

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "values": values
            case "note": note
            default: nil
            }
        }
    }

    /// How many units a column's province total counts (`incomplete`: not all; none said for
    /// a percent column, which has no total).
    struct CoverageCell: PageModel {
        var text, title: String
        var incomplete: Bool?

        func child(named name: String) -> Any? {
            switch name {
            case "text": text
            case "title": title
            case "incomplete": incomplete
            default: nil
            }
        }
    }

    var id, title, period, heading: String
    var unitNote: String?
    var header: [Header]
    var rows: [Row]
    var wide: Bool
    var provinceValues: [TextItem]
    var provinceNote: String
    var perColumn: Bool
    var coverage: [CoverageCell]

    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "period": period
        case "heading": heading
        case "unitNote": unitNote.orFalse
        case "header": header
        case "rows": rows
        case "wide": wide
        case "provinceValues": provinceValues
        case "provinceNote": provinceNote
        case "perColumn": perColumn
        case "coverage": coverage
        default: nil
        }
    }
}

/// One form's totals, this period against the previous one.
struct PeriodChange: PageModel {
    struct Row: PageModel {
        var name, unit, before, now, delta, percent, css, units: String

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "unit": unit
            case "before": before
            case "now": now
            case "delta": delta
            case "percent": percent
            case "css": css
            case "units": units
            default: nil
            }
        }
    }

    var title, now, before: String
    var note: String?
    var rows: [Row]

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "now": now
        case "before": before
        case "note": note.orFalse
        case "rows": rows
        default: nil
        }
    }
}

extension ReportModel {
    func table(_ f: FormDefinition, _ p: Period) -> FormTable {
        let fields = numericFields(f)
        let units = Set(fields.compactMap(\.unit))
        let header = fields.map { field -> FormTable.Header in
            // The unit once: not after a header that already names it ("… (trường hợp)").
            let shown = (field.unit == "triệu đồng" || units.count > 1) && !field.header.contains("(\(field.unit ?? ""))") ? (field.unit ?? "") : ""
            return .init(name: field.header, unit: shown.isEmpty ? nil : shown)
        }
        let rows = plan.activeUnits.map { u -> FormTable.Row in
            let totals = input.consolidation.unitTotals[f.id]?[p]?[u.code]
            let s = status(u.code, f.id, p)
            // Mustache takes an empty text as true: the note is there only when it says something.
            return .init(name: u.name, values: fields.map { TextItem(text: Show.number(totals?[$0.key], digits: 2)) },
                         note: totals == nil ? s.map { Show.status($0).text } ?? "Chưa có" : nil)
        }
        let percentOnly = fields.allSatisfy { $0.type == .percent }
        let figures = fields.map { input.consolidation.provinceFigure(form: f.id, field: $0.key, period: p) }
        let summed = zip(fields, figures).filter { field, _ in !(field.type == .percent || percentOnly) }.map(\.1)
        let same = Set(summed.map(\.coverage.contributing)).count <= 1
        let unitNote = units.count == 1 ? "ĐVT: \(units.first!)"
            : units.contains("triệu đồng") ? "ĐVT: tiền tính bằng triệu đồng; các cột khác theo đơn vị ghi ở tiêu đề cột" : ""
        let first = summed.first?.coverage ?? Coverage(contributing: [], missing: input.consolidation.expectedUnits(form: f.id, period: p))
        return FormTable(
            id: f.id, title: f.title, period: p.vietnamese, heading: formAndPeriod(f.id, p), unitNote: unitNote.isEmpty ? nil : unitNote,
            header: header, rows: rows, wide: fields.count > 10,
            provinceValues: zip(fields, figures).map { field, fig in
                TextItem(text: field.type == .percent || percentOnly ? "" : Show.number(fig.value, digits: 2))
            },
            provinceNote: same ? coverageText(first) : "số đơn vị có số liệu khác nhau theo cột, xem dòng dưới",
            perColumn: !same,
            coverage: zip(fields, figures).map { field, fig in
                field.type == .percent || percentOnly ? .init(text: "", title: "") :
                    .init(text: "\(fig.coverage.contributing.count)/\(fig.coverage.expected)", title: coverageText(fig.coverage),
                          incomplete: !fig.coverage.complete)
            })
    }

    /// Province totals of each form's current period against its previous one, like for like:
    /// each field summed over the units that have it in both periods, and saying so.
    func periodChanges() -> [PeriodChange] {
        plan.forms.compactMap { f -> PeriodChange? in
            guard let p = currentPeriod(f), let q = previousPeriod(f, before: p) else { return nil }
            let c = input.consolidation
            let expected = c.expectedUnits(form: f.id, period: p)
            var left: Set<String> = []
            var bases: Set<Int> = []
            let rows = numericFields(f).filter { $0.type != .percent }.compactMap { field -> PeriodChange.Row? in
                let both = expected.filter { c.unitTotals[f.id]?[p]?[$0]?[field.key] != nil && c.unitTotals[f.id]?[q]?[$0]?[field.key] != nil }
                guard !both.isEmpty, let a = c.sum(form: f.id, field: field.key, period: q, units: both),
                      let b = c.sum(form: f.id, field: field.key, period: p, units: both) else { return nil }
                if both.count < expected.count { let inBoth = Set(both); left.formUnion(expected.filter { !inBoth.contains($0) }) }
                bases.insert(both.count)
                let pct = a == 0 ? nil : 100 * (b - a) / abs(a)
                let good = field.better == .higher ? b > a : field.better == .lower ? b < a : false
                let bad = field.better == .higher ? b < a : field.better == .lower ? b > a : false
                return .init(name: field.header, unit: field.unit ?? "", before: Show.number(a, digits: 2), now: Show.number(b, digits: 2),
                             delta: (b - a >= 0 ? "+" : "") + Show.number(b - a, digits: 2),
                             percent: pct.map { ($0 >= 0 ? "+" : "") + Show.number($0, digits: 1) + "%" } ?? "—",
                             css: good ? "good" : bad ? "bad" : "", units: "\(both.count)/\(expected.count)")
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
            return PeriodChange(title: f.title, now: p.vietnamese, before: q.vietnamese, note: note.isEmpty ? nil : note, rows: rows)
        }
    }
}
