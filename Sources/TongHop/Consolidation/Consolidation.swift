// Consolidation: the accepted figures in use for each unit, form and period, summed from
// commune rows to the unit and from units to the province. Balances (stocks) are never
// added across periods — the latest counts; amounts (flows) add up within the year.
import Foundation

public struct Consolidation: Sendable {
    /// form → period → unit → field → total of the unit's rows.
    public private(set) var unitTotals: [String: [Period: [String: [String: Double]]]] = [:]
    let plan: Plan

    /// `totals`: each submission's numbers summed over its rows (`Ledger.totals`). A stated
    /// percentage of a one-row form is its one value, so it passes through as stated.
    public init(plan: Plan, statuses: [ReportStatus], totals: [Int64: [String: Double]]) {
        self.plan = plan
        for s in statuses where s.kind == .onTime || s.kind == .late {
            guard let id = s.submission, let form = plan.form(s.form), let values = totals[id] else { continue }
            var kept: [String: Double] = [:]
            for f in form.fields {
                let counted = f.type == .integer || f.type == .decimal || (form.rows == .single && f.type == .percent)
                if counted, let v = values[f.key] { kept[f.key] = v }
            }
            unitTotals[s.form, default: [:]][s.period, default: [:]][s.unit] = kept
        }
    }

    /// The province: the sum of the units' totals, with the units that contributed.
    public func provinceTotals(form: String, period: Period) -> (totals: [String: Double], units: Int) {
        let byUnit = unitTotals[form]?[period] ?? [:]
        var out: [String: Double] = [:]
        for (_, totals) in byUnit.sorted(by: { $0.key < $1.key }) { for (k, v) in totals { out[k, default: 0] += v } }
        return (out, byUnit.count)
    }

    /// A field over a year for one unit: flows summed over the year's periods, stocks the
    /// latest period's value. Nil when no accepted report has it.
    public func yearValue(form formId: String, field: String, unit: String, year: Int) -> Double? {
        guard let form = plan.form(formId), let f = form.field(field), let periods = unitTotals[formId] else { return nil }
        let inYear = periods.filter { $0.key.year == year }.sorted { $0.key < $1.key }
        let values = inYear.compactMap { p, byUnit in byUnit[unit]?[field] }
        guard !values.isEmpty else { return nil }
        return f.measure == .flow ? values.reduce(0, +) : values.last
    }
}
