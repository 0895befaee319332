// Rendering: the board's report (`index.html` of a period) — its sections in order: the
// conclusions, who sent what (the matrix, the months, what needs chasing), the targets with
// their charts and the ranking, the tables by form, the changes since the previous period and
// the corrections, the appendix of findings. The sections' own models are beside it
// (IndexPage+Targets, IndexPage+Tables, Chart, ReportModel+Months, ReportModel+Conclusions …).
import Foundation

struct IndexPage: PageModel {
    struct FormColumn: PageModel {
        var title, period: String
        func child(named name: String) -> Any? {
            switch name {
            case "title": title
            case "period": period
            default: nil
            }
        }
    }

    /// One report of the matrix: nil `detail` for a report not asked of the unit.
    struct StatusCell: PageModel {
        var symbol, text, css: String
        var detail: String?

        func child(named name: String) -> Any? {
            switch name {
            case "symbol": symbol
            case "text": text
            case "css": css
            case "detail": detail
            default: nil
            }
        }
    }

    /// A unit's row of the matrix; `feedback` is its page (none for an exempt unit).
    struct MatrixRow: PageModel {
        var code, name: String
        var feedback: String?
        var cells: [StatusCell]
        var received, onTime, expected: String

        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "name": self.name
            case "feedback": feedback.orFalse
            case "cells": cells
            case "received": received
            case "onTime": onTime
            case "expected": expected
            default: nil
            }
        }
    }

    struct ProvinceRates: PageModel {
        var received, onTime, expected, receivedCount, onTimeCount: String

        func child(named name: String) -> Any? {
            switch name {
            case "received": received
            case "onTime": onTime
            case "expected": expected
            case "receivedCount": receivedCount
            case "onTimeCount": onTimeCount
            default: nil
            }
        }
    }

    struct KindCount: PageModel {
        var symbol, text, css, count: String

        func child(named name: String) -> Any? {
            switch name {
            case "symbol": symbol
            case "text": text
            case "css": css
            case "count": count
            default: nil
            }
        }
    }

    /// A report missing, late or rejected.
    struct AttentionRow: PageModel {
        var unit, form, period, due, status, css, symbol, file: String

        func child(named name: String) -> Any? {
            switch name {
            case "unit": unit
            case "form": form
            case "period": period
            case "due": due
            case "status": status
            case "css": css
            case "symbol": symbol
            case "file": file
            default: nil
            }
        }
    }

    struct UnitColumn: PageModel {
        var code, name: String
        func child(named name: String) -> Any? {
            switch name {
            case "code": code
            case "name": self.name
            default: nil
            }
        }
    }

    struct RankRow: PageModel {
        var rank, name, met, evaluated, onTime: String

        func child(named name: String) -> Any? {
            switch name {
            case "rank": rank
            case "name": self.name
            case "met": met
            case "evaluated": evaluated
            case "onTime": onTime
            default: nil
            }
        }
    }

    var common: PageCommon
    var formColumns: [FormColumn]
    var matrix: [MatrixRow]
    var provinceRates: ProvinceRates
    var kindCounts: [KindCount]
    var attention: [AttentionRow]
    var unitColumns: [UnitColumn]
    var targets: [TargetRow]
    var charts: [Chart]
    var ranking: [RankRow]
    var tables: [FormTable]
    var changes: [PeriodChange]
    var corrections: [CorrectionRow]
    var quality: [QualityGroup]
    var conclusions: Conclusions
    var monthGrid: MonthGrid?
    var progress: [ProgressChart]

    func child(named name: String) -> Any? {
        switch name {
        case "formColumns": formColumns
        case "matrix": matrix
        case "provinceRates": provinceRates
        case "kindCounts": kindCounts
        case "attention": attention
        case "hasAttention": !attention.isEmpty
        case "unitColumns": unitColumns
        case "targets": targets
        case "charts": charts
        case "ranking": ranking
        case "tables": tables
        case "changes": changes
        case "corrections": corrections
        case "hasCorrections": !corrections.isEmpty
        case "quality": quality
        case "conclusions": conclusions
        case "monthGrid": monthGrid
        case "progress": progress
        case "hasProgress": !progress.isEmpty
        default: common.child(named: name)
        }
    }
}

extension ReportModel {
    func index() -> IndexPage {
        let current = plan.forms.map { ($0, currentPeriod($0)) }
        let all = Completeness.rates(input.statuses) { _ in "all" }["all"] ?? Rate()
        return IndexPage(
            common: common,
            formColumns: current.map { f, p in .init(title: f.title, period: p?.vietnamese ?? "—") },
            matrix: matrix(current),
            provinceRates: .init(received: Show.number(all.receivedRate, digits: 1), onTime: Show.number(all.onTimeRate, digits: 1),
                                 expected: String(all.expected), receivedCount: String(all.received), onTimeCount: String(all.onTime)),
            kindCounts: ReportStatus.Kind.allCases.map { k in
                var n = 0
                for s in input.statuses where s.kind == k { n += 1 }
                let shown = Show.status(ReportStatus(unit: "", form: "", period: input.period, due: input.asOf, kind: k, daysLate: 0))
                return .init(symbol: shown.symbol, text: k == .late ? "Muộn" : shown.text, css: shown.css, count: String(n))
            },
            attention: attention(),
            unitColumns: plan.activeUnits.map { .init(code: $0.code, name: $0.shortName) },
            targets: targetRows(),
            charts: charts(),
            ranking: ranking(),
            tables: plan.forms.compactMap { f in currentPeriod(f).map { table(f, $0) } },
            changes: periodChanges(),
            corrections: corrections(),
            quality: quality(),
            conclusions: conclusions(),
            monthGrid: monthGrid(),
            progress: progressCharts())
    }

    /// Every unit (exempt ones too) against each form's current period, with its rates.
    func matrix(_ current: [(FormDefinition, Period?)]) -> [IndexPage.MatrixRow] {
        let rates = Completeness.rates(input.statuses) { $0.unit }
        return plan.units.map { u in
            let cells = current.map { f, p -> IndexPage.StatusCell in
                guard let p, let s = status(u.code, f.id, p) else { return .init(symbol: "", text: "—", css: "none") }
                let shown = Show.status(s)
                return .init(symbol: shown.symbol, text: shown.text, css: shown.css,
                             detail: s.received.map { "nhận \($0.vietnamese)" } ?? "hạn \(s.due.vietnamese)")
            }
            let r = rates[u.code] ?? Rate()
            // A unit that does not report (exempt) has no feedback page.
            return .init(code: u.code, name: u.name, feedback: u.active ? "phan-hoi/\(Show.fileName(u.code)).html" : nil, cells: cells,
                         received: Show.number(r.receivedRate, digits: 0), onTime: Show.number(r.onTimeRate, digits: 0),
                         expected: String(r.expected))
        }
    }

    /// The reports missing, late or rejected, by unit, form and period.
    func attention() -> [IndexPage.AttentionRow] {
        input.statuses.filter { [.missing, .late, .rejected].contains($0.kind) }
            .sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }
            .map { s in
                let shown = Show.status(s)
                return .init(unit: self.unit(s.unit)?.name ?? s.unit, form: self.form(s.form)?.title ?? s.form,
                             period: s.period.vietnamese, due: s.due.vietnamese, status: shown.text, css: shown.css,
                             symbol: shown.symbol, file: s.file ?? "")
            }
    }

    /// Thi đua: units ranked by targets met (or on track before the year ends), then by the
    /// share of reports on time.
    func ranking() -> [IndexPage.RankRow] {
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
            .init(rank: String(ranks[i]), name: r.0.name, met: String(r.1), evaluated: String(r.2), onTime: Show.number(r.3, digits: 0))
        }
    }
}
