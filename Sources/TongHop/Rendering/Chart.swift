// Rendering: one bar chart per target, readable on a monochrome printer and a phone. Each
// verdict has its own fill as well as its colour (solid, light, vertical stripes, dashed
// outline, none) and its symbol before the value; the values stand in their own column
// right of the bars, so no label crosses a bar or the threshold; the threshold (or the level
// expected to date) is one line across the chart, labelled at its top; an axis with the
// unit runs along the bottom. Values are shown as in the tables (`shownValue`).
import Foundation

/// One target's bar chart: a bar per unit, the threshold line(s), the axis.
struct Chart: PageModel {
    /// A unit's bar (none drawn without a value) and its value right of the bars.
    struct Bar: PageModel {
        var label, labelX, x, y, width, height, textY, valueX, value, css, stripes: String
        var hasBar: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "label": label
            case "labelX": labelX
            case "x": x
            case "y": y
            case "width": width
            case "height": height
            case "textY": textY
            case "valueX": valueX
            case "value": value
            case "css": css
            case "stripes": stripes
            case "hasStripes": !stripes.isEmpty
            case "hasBar": hasBar
            default: nil
            }
        }
    }

    /// The threshold across the chart (labelled at its top), or one unit's own mark.
    struct Mark: PageModel {
        /// Where the label of a line across the chart stands, and what it says.
        struct Label {
            var text, x, y: String
        }

        var x, y1, y2: String
        var label: Label?

        func child(named name: String) -> Any? {
            switch name {
            case "x": x
            case "y1": y1
            case "y2": y2
            case "label": label?.text
            case "labelX": label?.x
            case "labelY": label?.y
            case "hasLabel": label != nil
            default: nil
            }
        }
    }

    var name, threshold, mark, width, height: String
    var bars: [Bar]
    var lines: [Mark]
    var axisY, tickEnd, axisX1, axisX2: String
    var ticks: [Tick]
    var tickY, unitLabel, unitX, unitY: String

    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "threshold": threshold
        case "mark": mark
        case "width": width
        case "height": height
        case "bars": bars
        case "lines": lines
        case "axisY": axisY
        case "tickEnd": tickEnd
        case "axisX1": axisX1
        case "axisX2": axisX2
        case "ticks": ticks
        case "tickY": tickY
        case "unitLabel": unitLabel
        case "unitX": unitX
        case "unitY": unitY
        default: nil
        }
    }
}

extension ReportModel {
    /// The chart's geometry, in the SVG's own units (drawn at most 420 wide, 14-unit text:
    /// about 12 px on a 390 px phone).
    enum ChartLayout {
        static let width = 420.0, left = 96.0, valueColumn = 104.0, rowHeight = 26.0, top = 22.0, axis = 30.0
        static var barArea: Double { width - left - valueColumn }
    }

    func charts() -> [Chart] { plan.targets.map(chart) }

    /// What a chart plots of a unit's result: its value (for a per-commune target, the share
    /// of its unions meeting it) and its mark (the threshold, or the level expected to date).
    func plotted(_ t: TargetDefinition, _ r: TargetResult) -> (value: Double?, mark: Double?) {
        if t.perCommune { return (r.unions.flatMap { $0.total == 0 || r.status == .noData ? nil : 100 * Double($0.met) / Double($0.total) }, 100) }
        return (r.value, r.expected ?? r.threshold)
    }

    func chart(_ t: TargetDefinition) -> Chart {
        typealias L = ChartLayout
        let results = plan.activeUnits.compactMap { u in result(t, u.code).map { (u, $0) } }
        let values = results.compactMap { plotted(t, $0.1).value }
        let marks = results.compactMap { plotted(t, $0.1).mark }
        let high = niceCeiling(max(values.max() ?? 0, marks.max() ?? 0, 1e-9))
        let low = min(0, values.min() ?? 0)
        let span = high - low
        let x = { (v: Double) in L.left + L.barArea * (v - low) / span }
        let unit = t.perCommune ? "%" : (t.unit ?? "")
        let bars = results.enumerated().map { i, pair in bar(t, pair.0, pair.1, row: i, x: x, unit: unit) }
        let chartBottom = L.top + Double(results.count) * L.rowHeight
        // One threshold line when every unit has the same one; else each unit's own mark.
        let distinct = Set(marks)
        let inProgress = results.contains { $0.1.inProgress }
        let markName = inProgress ? "mức cần đạt đến nay" : t.perCommune ? "mọi cơ sở Hội đạt" : "ngưỡng"
        var lines: [Chart.Mark] = []
        if distinct.count == 1, let m = distinct.first {
            lines.append(.init(x: fmt(x(m)), y1: fmt(L.top - 4), y2: fmt(chartBottom),
                               label: .init(text: "\(markName) \(Show.number(m, digits: 2))\(unit == "%" ? "%" : "")",
                                            x: fmt(min(max(x(m), L.left + 40), L.width - L.valueColumn - 4)), y: fmt(L.top - 8))))
        } else {
            for (i, pair) in results.enumerated() {
                guard let m = plotted(t, pair.1).mark else { continue }
                let y = L.top + Double(i) * L.rowHeight + 4
                lines.append(.init(x: fmt(x(m)), y1: fmt(y - 3), y2: fmt(y + L.rowHeight - 7)))
            }
        }
        let ticks = [low, low + span / 2, high].map { v in
            Tick(x: fmt(x(v)), label: Show.number(v, digits: span < 3 ? 2 : span < 30 ? 1 : 0))
        }
        return Chart(name: t.name, threshold: thresholdText(t),
                     mark: distinct.count == 1 ? "vạch đứt: \(markName)" : "vạch đứt: \(markName) của từng đơn vị (theo địa bàn)",
                     width: fmt(L.width), height: fmt(chartBottom + L.axis), bars: bars, lines: lines,
                     axisY: fmt(chartBottom + 2), tickEnd: fmt(chartBottom + 6), axisX1: fmt(L.left), axisX2: fmt(L.left + L.barArea), ticks: ticks,
                     tickY: fmt(chartBottom + 16), unitLabel: unit.isEmpty ? "" : "ĐVT: \(t.perCommune ? "% cơ sở Hội" : unit)",
                     unitX: fmt(L.width - 2), unitY: fmt(chartBottom + 16))
    }

    /// A unit's bar in row `i` (none drawn without a value), with its value right of the bars.
    func bar(_ t: TargetDefinition, _ u: ReportingUnit, _ r: TargetResult, row i: Int, x: (Double) -> Double, unit: String) -> Chart.Bar {
        typealias L = ChartLayout
        let value = plotted(t, r).value
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
        return .init(label: u.shortName, labelX: fmt(L.left - 6), x: fmt(x0), y: fmt(y), width: fmt(w), height: fmt(h),
                     textY: fmt(y + h - 3), valueX: fmt(L.width - L.valueColumn + 8), value: shown.symbol + " " + text,
                     css: shown.css, stripes: stripes, hasBar: value != nil)
    }

    /// A round number at or above `v` for the axis's end: 1, 2, 2,5 or 5 times a power of ten.
    func niceCeiling(_ v: Double) -> Double {
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= v - 1e-9 { return m * p }
        return 10 * p
    }
}
