// Rendering: one bar chart per target, readable on a monochrome printer and a phone. Each
// verdict has its own fill as well as its colour (solid, light, vertical stripes, dashed
// outline, none) and its symbol before the value; the values stand in their own column
// right of the bars, so no label crosses a bar or the threshold; the threshold (or the level
// expected to date) is one line across the chart, labelled at its top; an axis with the
// unit runs along the bottom. Values are shown as in the tables (`shownValue`).
import Foundation

extension ReportModel {
    /// The chart's geometry, in the SVG's own units (drawn at most 420 wide, 14-unit text:
    /// about 12 px on a 390 px phone).
    enum ChartLayout {
        static let width = 420.0, left = 96.0, valueColumn = 104.0, rowHeight = 26.0, top = 22.0, axis = 30.0
        static var barArea: Double { width - left - valueColumn }
    }

    func charts() -> [[String: Any]] {
        typealias L = ChartLayout
        return plan.targets.map { t -> [String: Any] in
            let results = plan.activeUnits.compactMap { u in result(t, u.code).map { (u, $0) } }
            func plotted(_ r: TargetResult) -> (value: Double?, mark: Double?) {
                if t.perCommune { return (r.unions.flatMap { $0.total == 0 || r.status == .noData ? nil : 100 * Double($0.met) / Double($0.total) }, 100) }
                return (r.value, r.expected ?? r.threshold)
            }
            let values = results.compactMap { plotted($0.1).value }
            let marks = results.compactMap { plotted($0.1).mark }
            let high = niceCeiling(max(values.max() ?? 0, marks.max() ?? 0, 1e-9))
            let low = min(0, values.min() ?? 0)
            let span = high - low
            func x(_ v: Double) -> Double { L.left + L.barArea * (v - low) / span }
            let unit = t.perCommune ? "%" : (t.unit ?? "")
            let bars: [[String: Any]] = results.enumerated().map { i, pair in
                let (u, r) = pair
                let (value, _) = plotted(r)
                let y = L.top + Double(i) * L.rowHeight + 4
                let h = L.rowHeight - 10
                let shown = Show.target(r.status)
                let x0 = x(min(0, value ?? 0)), x1 = x(max(0, value ?? 0))
                let w = value == nil ? 0 : max(x1 - x0, 1)
                let text = value == nil ? "thiếu số liệu" : t.perCommune ? shownValue(t, r) + " cơ sở" : shownValue(t, r) + (unit == "%" ? "%" : "")
                // Vertical stripes for "not met": visible without colour.
                var stripes = ""
                if value != nil, r.status == .notMet {
                    var sx = x0 + 3
                    while sx < x0 + w - 1 { stripes += "M\(fmt(sx)) \(fmt(y))v\(fmt(h))"; sx += 4 }
                }
                return ["label": FormLayout.shortName(u), "labelX": fmt(L.left - 6), "x": fmt(x0), "y": fmt(y), "width": fmt(w), "height": fmt(h),
                        "textY": fmt(y + h - 3), "valueX": fmt(L.width - L.valueColumn + 8), "value": shown.symbol + " " + text,
                        "css": shown.css, "stripes": stripes, "hasStripes": !stripes.isEmpty, "hasBar": value != nil]
            }
            let chartBottom = L.top + Double(results.count) * L.rowHeight
            // One threshold line when every unit has the same one; else each unit's own mark.
            let distinct = Set(results.compactMap { plotted($0.1).mark })
            let inProgress = results.contains { $0.1.inProgress }
            let markName = inProgress ? "mức cần đạt đến nay" : t.perCommune ? "mọi cơ sở Hội đạt" : "ngưỡng"
            var lines: [[String: Any]] = []
            if distinct.count == 1, let m = distinct.first {
                lines.append(["x": fmt(x(m)), "y1": fmt(L.top - 4), "y2": fmt(chartBottom), "label": "\(markName) \(Show.number(m, digits: 2))\(unit == "%" ? "%" : "")",
                              "labelX": fmt(min(max(x(m), L.left + 40), L.width - L.valueColumn - 4)), "labelY": fmt(L.top - 8), "hasLabel": true])
            } else {
                for (i, pair) in results.enumerated() {
                    guard let m = plotted(pair.1).mark else { continue }
                    let y = L.top + Double(i) * L.rowHeight + 4
                    lines.append(["x": fmt(x(m)), "y1": fmt(y - 3), "y2": fmt(y + L.rowHeight - 7), "hasLabel": false])
                }
            }
            let ticks = [low, low + span / 2, high].map { v -> [String: Any] in
                ["x": fmt(x(v)), "label": Show.number(v, digits: span < 3 ? 2 : span < 30 ? 1 : 0)]
            }
            return ["name": t.name, "threshold": thresholdText(t),
                    "mark": distinct.count == 1 ? "vạch đứt: \(markName)" : "vạch đứt: \(markName) của từng đơn vị (theo địa bàn)",
                    "width": fmt(L.width), "height": fmt(chartBottom + L.axis), "bars": bars, "lines": lines,
                    "axisY": fmt(chartBottom + 2), "tickEnd": fmt(chartBottom + 6), "axisX1": fmt(L.left), "axisX2": fmt(L.left + L.barArea), "ticks": ticks,
                    "tickY": fmt(chartBottom + 16), "unitLabel": unit.isEmpty ? "" : "ĐVT: \(t.perCommune ? "% cơ sở Hội" : unit)",
                    "unitX": fmt(L.width - 2), "unitY": fmt(chartBottom + 16)]
        }
    }

    /// A round number at or above `v` for the axis's end: 1, 2, 2,5 or 5 times a power of ten.
    func niceCeiling(_ v: Double) -> Double {
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= v - 1e-9 { return m * p }
        return 10 * p
    }
}
