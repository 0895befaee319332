// Rendering: the months side by side — who sent each monthly report, month by month (on
// time, late, missing, rejected, with counts and rates per district and per month, as
// DHIS2's reporting-rate summary), and each province target over the months of the year from
// the earlier months' reports (small multiples), with the same period of last year when the
// ledger has it.
import Foundation

/// The monthly reports, months × districts: each cell the worst status of the month, and
/// the counts and rates per district (`rows`), per month (`footer`) and in all (`total`).
struct MonthGrid: PageModel {
    struct Counts: PageModel {
        var onTime, late, missing, rejected, due, received, onTimeRate: String

        func child(named name: String) -> Any? {
            switch name {
            case "onTime": onTime
            case "late": late
            case "missing": missing
            case "rejected": rejected
            case "due": due
            case "received": received
            case "onTimeRate": onTimeRate
            default: nil
            }
        }
    }

    /// A month of a district: no `title` where it had no report.
    struct Cell: PageModel {
        var symbol, text, css: String
        var title: String?

        func child(named name: String) -> Any? {
            switch name {
            case "symbol": symbol
            case "text": text
            case "css": css
            case "title": title
            default: nil
            }
        }
    }

    struct Row: PageModel {
        var name: String
        var cells: [Cell]
        var counts: Counts

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "cells": cells
            default: counts.child(named: name)
            }
        }
    }

    struct Month: PageModel {
        var label: String
        func child(named name: String) -> Any? { name == "label" ? label : nil }
    }

    var months: [Month]
    var rows: [Row]
    var footer: [Counts]
    var total: Counts
    var forms: String

    func child(named name: String) -> Any? {
        switch name {
        case "months": months
        case "rows": rows
        case "footer": footer
        case "total": total
        case "forms": forms
        default: nil
        }
    }
}

/// One target's small chart over the months of the year.
struct ProgressChart: PageModel {
    struct Dot: PageModel {
        var x, y, css, symbol, labelY: String

        func child(named name: String) -> Any? {
            switch name {
            case "x": x
            case "y": y
            case "css": css
            case "symbol": symbol
            case "labelY": labelY
            default: nil
            }
        }
    }

    var name, width, height, line, mark: String
    var dots: [Dot]
    var months: [Tick]
    var axisY, labelY, left, right, hiY, hi, loY, lo, latest, lastYear: String

    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "width": width
        case "height": height
        case "line": line
        case "mark": mark
        case "hasMark": !mark.isEmpty
        case "dots": dots
        case "months": months
        case "axisY": axisY
        case "labelY": labelY
        case "left": left
        case "right": right
        case "hiY": hiY
        case "hi": hi
        case "loY": loY
        case "lo": lo
        case "latest": latest
        case "lastYear": lastYear
        default: nil
        }
    }
}

extension ReportModel {
    /// Months × districts for the monthly forms, up to the report's period.
    func monthGrid() -> MonthGrid? {
        let monthly = plan.forms.filter { $0.periodKind == .month }
        guard !monthly.isEmpty else { return nil }
        let ids = Set(monthly.map(\.id))
        let mine = input.statuses.filter { ids.contains($0.form) && $0.period.year == plan.year && $0.period <= input.period && $0.kind != .pending }
        let months = Array(Set(mine.map(\.period))).sorted()
        guard !months.isEmpty else { return nil }
        func counts(_ list: [ReportStatus]) -> MonthGrid.Counts {
            let onTime = list.filter { $0.kind == .onTime }.count, late = list.filter { $0.kind == .late }.count
            let missing = list.filter { $0.kind == .missing }.count, rejected = list.filter { $0.kind == .rejected }.count
            let due = list.filter { $0.kind != .exempt }.count
            return .init(onTime: String(onTime), late: String(late), missing: String(missing), rejected: String(rejected),
                         due: String(due),
                         received: due == 0 ? "—" : Show.number(100 * Double(onTime + late) / Double(due), digits: 0) + "%",
                         onTimeRate: due == 0 ? "—" : Show.number(100 * Double(onTime) / Double(due), digits: 0) + "%")
        }
        let byUnit = Dictionary(grouping: mine, by: \.unit)
        let rows = plan.activeUnits.map { u -> MonthGrid.Row in
            let list = byUnit[u.code] ?? []
            let cells = months.map { m -> MonthGrid.Cell in
                let here = list.filter { $0.period == m }
                guard let s = here.first else { return .init(symbol: "", text: "", css: "none") }
                let worst = here.max { rank($0.kind) < rank($1.kind) } ?? s
                let shown = Show.status(worst)
                return .init(symbol: shown.symbol, text: worst.kind == .late ? "+\(worst.daysLate ?? 0)" : "", css: shown.css, title: shown.text)
            }
            return .init(name: u.shortName, cells: cells, counts: counts(list))
        }
        let footer = months.map { m in counts(mine.filter { $0.period == m }) }
        return MonthGrid(months: months.map { .init(label: "T\($0.lastMonth)") }, rows: rows, footer: footer,
                         total: counts(mine), forms: monthly.map(\.title).joined(separator: "; "))
    }

    private func rank(_ k: ReportStatus.Kind) -> Int {
        switch k {
        case .missing: return 5
        case .rejected: return 4
        case .late: return 3
        case .onTime: return 2
        case .pending: return 1
        case .exempt: return 0
        }
    }
}

extension ReportModel {
    /// One small chart per target: the province's value in each earlier report of the year and
    /// in this one, the threshold (or the level expected to date) dashed, each point with its
    /// verdict's symbol; the same period of last year in the caption.
    func progressCharts() -> [ProgressChart] {
        let w = 220.0, h = 120.0, left = 34.0, right = 10.0, top = 16.0, bottom = 22.0
        let lastYear = input.period.year - 1
        return plan.targets.compactMap { t -> ProgressChart? in
            guard !t.perCommune else { return nil }
            var points = input.history.filter { $0.target == t.id && $0.period.year == input.period.year }
                .map { ($0.period, $0.value, $0.status, $0.expected ?? $0.threshold) }
            if let r = result(t, "province") { points.append((input.period, r.value, r.status.rawValue, r.expected ?? r.threshold)) }
            points.sort { $0.0 < $1.0 }
            guard points.count >= 2 else { return nil }
            let values = points.compactMap(\.1) + points.compactMap(\.3)
            guard let hi0 = values.max() else { return nil }
            let hi = niceCeiling(max(hi0, 1e-9)), lo = min(0, values.min() ?? 0)
            let n = Double(points.count - 1)
            func x(_ i: Int) -> Double { left + (w - left - right) * Double(i) / max(n, 1) }
            func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - (v - lo) / (hi - lo)) }
            var line = "", mark = ""
            var dots: [ProgressChart.Dot] = []
            for (i, p) in points.enumerated() {
                if let v = p.1 {
                    line += (line.isEmpty ? "M" : "L") + "\(fmt(x(i))) \(fmt(y(v)))"
                    let status = TargetResult.Status(rawValue: p.2) ?? .noData
                    let shown = Show.target(status)
                    dots.append(.init(x: fmt(x(i)), y: fmt(y(v)), css: shown.css, symbol: shown.symbol, labelY: fmt(y(v) - 5)))
                }
                if let m = p.3 { mark += (mark.isEmpty ? "M" : "L") + "\(fmt(x(i))) \(fmt(y(m)))" }
            }
            let unit = t.unit == "%" ? "%" : ""
            let lastYearPoint = input.lastYear.first { $0.target == t.id }
            let last = points.last!
            return ProgressChart(
                name: t.name, width: fmt(w), height: fmt(h), line: line, mark: mark, dots: dots,
                months: points.enumerated().map { i, p in Tick(x: fmt(x(i)), label: "T\(p.0.lastMonth)") },
                axisY: fmt(h - bottom), labelY: fmt(h - 6), left: fmt(left), right: fmt(w - right),
                hiY: fmt(y(hi) + 4), hi: Show.number(hi, digits: 2) + unit, loY: fmt(y(lo)), lo: Show.number(lo, digits: 2) + unit,
                latest: last.1.map { Show.number($0, digits: digits(t)) + unit } ?? "không đánh giá được",
                lastYear: lastYearText(lastYearPoint, t, year: lastYear))
        }
    }
}
