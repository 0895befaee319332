// Rendering: "III. Kết quả thực hiện chỉ tiêu" — each target against each unit and the
// province, every cell with what it is computed from (its title), and the province's notes.
import Foundation

struct TargetRow: PageModel {
    /// One unit's (or the province's) result; no `title` where there is none.
    struct Cell: PageModel {
        var text, css, symbol: String
        var title: String?

        func child(named name: String) -> Any? {
            switch name {
            case "text": text
            case "css": css
            case "symbol": symbol
            case "title": title
            default: nil
            }
        }
    }

    var name, threshold, unit: String
    var cells: [Cell]
    var notes: [TextItem]

    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "threshold": threshold
        case "unit": unit
        case "cells": cells
        case "notes": notes
        default: nil
        }
    }
}

extension ReportModel {
    func targetRows() -> [TargetRow] {
        plan.targets.map { t in
            let cells = (plan.activeUnits.map(\.code) + ["province"]).map { code -> TargetRow.Cell in
                guard let r = result(t, code) else { return .init(text: "—", css: "nodata", symbol: "?") }
                let shown = Show.target(r.status)
                return .init(text: shownValue(t, r), css: shown.css, symbol: shown.symbol, title: explain(t, r))
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
            return TargetRow(name: t.name, threshold: thresholdText(t), unit: t.unit ?? "", cells: cells, notes: notes.map(TextItem.init))
        }
    }
}
