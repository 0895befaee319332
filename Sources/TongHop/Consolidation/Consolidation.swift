// Consolidation: the accepted figures in use for each unit, form and period, summed from
// commune rows to the unit and from units to the province. Balances (stocks) are never
// added across periods — the latest counts; amounts (flows) add up within the year.
//
// The contract: a field absent from a unit's totals is *no data* for that unit, never 0.
// No data is never summed: every consolidated figure carries its coverage (which units
// contributed, which are missing), and a year value with a missing period has no value.
import Foundation

/// Which units a consolidated figure stands on.
public struct Coverage: Sendable, Equatable {
    /// Units whose data is in the figure, in plan order.
    public var contributing: [String]
    /// Units expected for the period whose data is not (missing, rejected, not yet sent, or
    /// the column left blank or deleted), in plan order.
    public var missing: [String]

    public init(contributing: [String], missing: [String]) {
        self.contributing = contributing
        self.missing = missing
    }

    public var expected: Int { contributing.count + missing.count }
    public var complete: Bool { missing.isEmpty }
}

/// A province figure: the sum over the units that have it, and which those are. Nil when no
/// unit has it.
public struct Figure: Sendable, Equatable {
    public var value: Double?
    public var coverage: Coverage
}

/// A unit's value of a field over the plan's year.
public struct YearValue: Sendable, Equatable {
    /// Nil when any period it needs has no data.
    public var value: Double?
    /// The periods due (or received) that have no data for the field.
    public var missing: [Period]
    /// The share of the year's periods the value covers (1 for a year form or a complete
    /// year); below 1 the year is still running.
    public var fraction: Double
    /// The last period counted.
    public var through: Period?
}

public struct Consolidation: Sendable {
    /// form → period → unit → field → total of the unit's rows.
    public private(set) var unitTotals: [String: [Period: [String: [String: Double]]]] = [:]
    /// form → period → unit → row key (the commune) → field → value, for the forms that
    /// per-commune targets read (`loadRows`).
    public private(set) var unitRows: [String: [Period: [String: [String: [String: Double]]]]] = [:]
    /// form → period → the units expected to report it (every active unit not exempt).
    public private(set) var expected: [String: [Period: [String]]] = [:]
    /// form → unit → the periods that count for the year: due by the as-of day, or received.
    public private(set) var counted: [String: [String: Set<Period>]] = [:]
    /// The submission in use for each (form, period, unit).
    var inUse: [Int64: (form: String, period: Period, unit: String)] = [:]
    let plan: Plan

    /// `totals`: each submission's numbers summed over its rows (`Ledger.totals`): only the
    /// fields with data in every row. A stated percentage of a one-row form is its one
    /// value, so it passes through as stated.
    public init(plan: Plan, statuses: [ReportStatus], totals: [Int64: [String: Double]]) {
        self.plan = plan
        let order = Dictionary(uniqueKeysWithValues: plan.activeUnits.enumerated().map { ($0.element.code, $0.offset) })
        for s in statuses where s.kind != .exempt {
            expected[s.form, default: [:]][s.period, default: []].append(s.unit)
            if s.kind != .pending { counted[s.form, default: [:]][s.unit, default: []].insert(s.period) }
        }
        // Each unit's place looked up once, not at every comparison of the sort.
        for (f, byPeriod) in expected {
            for (p, units) in byPeriod {
                expected[f]![p] = units.map { (order[$0] ?? .max, $0) }.sorted { $0 < $1 }.map(\.1)
            }
        }
        for s in statuses where s.kind == .onTime || s.kind == .late {
            guard let id = s.submission, let form = plan.form(s.form) else { continue }
            counted[s.form, default: [:]][s.unit, default: []].insert(s.period)
            inUse[id] = (s.form, s.period, s.unit)
            var kept: [String: Double] = [:]
            for f in form.fields where Self.isCounted(f, in: form) {
                if let v = totals[id]?[f.key] { kept[f.key] = v }
            }
            unitTotals[s.form, default: [:]][s.period, default: [:]][s.unit] = kept
        }
    }

    static func isCounted(_ f: FieldDefinition, in form: FormDefinition) -> Bool {
        f.type == .integer || f.type == .decimal || (form.rows == .single && f.type == .percent)
    }

    /// The forms whose rows per-commune targets read.
    public static func rowForms(_ plan: Plan) -> Set<String> {
        var out = Set<String>()
        for t in plan.targets where t.perCommune {
            for (name, _) in t.value.names {
                let formName = String(name.split(separator: ".").first ?? "")
                if let f = plan.forms.first(where: { $0.expressionName == formName }) { out.insert(f.id) }
            }
        }
        return out
    }

    /// Reads the rows of the submissions in use of the forms per-commune targets need
    /// (`Ledger.values(submissions:)`: submission → row key → field → number; an absent field
    /// is no data).
    public mutating func loadRows(_ fetch: ([Int64]) throws -> [Int64: [String: [String: Double]]]) rethrows {
        let forms = Self.rowForms(plan)
        let wanted = inUse.filter { forms.contains($0.value.form) }
        guard !wanted.isEmpty else { return }
        let rows = try fetch(wanted.keys.sorted())
        for (id, key) in wanted {
            unitRows[key.form, default: [:]][key.period, default: [:]][key.unit] = rows[id] ?? [:]
        }
    }

    /// Sets one unit's rows directly (tests, and callers that already hold them).
    public mutating func setRows(form: String, period: Period, unit: String, rows: [String: [String: Double]]) {
        unitRows[form, default: [:]][period, default: [:]][unit] = rows
    }

    /// The units expected for a form's period: those with a status, else every active unit.
    public func expectedUnits(form: String, period: Period) -> [String] {
        expected[form]?[period] ?? plan.activeUnits.map(\.code)
    }

    /// One field of the province: summed over the units that have it, never counting a unit
    /// without it as 0, with the coverage.
    public func provinceFigure(form: String, field: String, period: Period) -> Figure {
        let byUnit = unitTotals[form]?[period] ?? [:]
        var contributing: [String] = [], missing: [String] = []
        var sum = 0.0
        for u in expectedUnits(form: form, period: period) {
            if let v = byUnit[u]?[field] { contributing.append(u); sum += v } else { missing.append(u) }
        }
        // Units that reported without being expected (none in a consistent ledger) still count.
        if byUnit.count > contributing.count {
            let seen = Set(contributing + missing)
            for (u, totals) in byUnit.sorted(by: { $0.key < $1.key }) where !seen.contains(u) {
                if let v = totals[field] { contributing.append(u); sum += v }
            }
        }
        return Figure(value: contributing.isEmpty ? nil : sum, coverage: Coverage(contributing: contributing, missing: missing))
    }

    /// A field summed over a chosen set of units (like-for-like comparisons); nil when any of
    /// them has no data.
    public func sum(form: String, field: String, period: Period, units: [String]) -> Double? {
        var sum = 0.0
        for u in units {
            guard let v = unitTotals[form]?[period]?[u]?[field] else { return nil }
            sum += v
        }
        return sum
    }

    /// The province: the sum of the units' totals over the units that have each field, with
    /// the number of units that sent the form.
    public func provinceTotals(form: String, period: Period) -> (totals: [String: Double], units: Int) {
        let byUnit = unitTotals[form]?[period] ?? [:]
        var out: [String: Double] = [:]
        for (_, totals) in byUnit.sorted(by: { $0.key < $1.key }) { for (k, v) in totals { out[k, default: 0] += v } }
        return (out, byUnit.count)
    }

    /// The periods of the year that count for a unit's year value, in order.
    func countedPeriods(form: FormDefinition, unit: String, year: Int) -> (counted: [Period], all: Int) {
        let all = plan.periods(of: form).filter { $0.year == year }
        let mine = counted[form.id]?[unit] ?? []
        return (all.filter { mine.contains($0) }, max(all.count, 1))
    }

    /// A field over a year for one unit: flows summed over the year's periods that are due,
    /// stocks the latest due period's value. No value when any of those periods lacks it.
    public func yearValue(form formId: String, field: String, unit: String, year: Int) -> YearValue {
        guard let form = plan.form(formId), let f = form.field(field) else {
            return YearValue(value: nil, missing: [], fraction: 1, through: nil)
        }
        let (periods, all) = countedPeriods(form: form, unit: unit, year: year)
        let fraction = form.periodKind == .year ? 1 : Double(periods.count) / Double(all)
        guard !periods.isEmpty else {
            // Nothing due yet: the first period of the year is what is missing.
            let first = plan.periods(of: form).filter { $0.year == year }.min()
            return YearValue(value: nil, missing: first.map { [$0] } ?? [], fraction: 0, through: nil)
        }
        let byPeriod = unitTotals[formId] ?? [:]
        if f.measure == .flow {
            let missing = periods.filter { byPeriod[$0]?[unit]?[field] == nil }
            let value = missing.isEmpty ? periods.reduce(0) { $0 + byPeriod[$1]![unit]![field]! } : nil
            return YearValue(value: value, missing: missing, fraction: fraction, through: periods.last)
        }
        let last = periods.last!
        let v = byPeriod[last]?[unit]?[field]
        return YearValue(value: v, missing: v == nil ? [last] : [], fraction: fraction, through: last)
    }

    /// A field over a year for each row (commune) of one unit, like `yearValue`: nil for a
    /// row that any counted period lacks.
    public func rowYearValues(form formId: String, field: String, unit: String, year: Int) -> (rows: [String: Double?], missing: [Period]) {
        guard let form = plan.form(formId), let f = form.field(field) else { return ([:], []) }
        let (periods, _) = countedPeriods(form: form, unit: unit, year: year)
        let byPeriod = unitRows[formId] ?? [:]
        let missing = periods.filter { byPeriod[$0]?[unit] == nil }
        guard !periods.isEmpty, missing.isEmpty else { return ([:], periods.isEmpty ? [] : missing) }
        let used = f.measure == .flow ? periods : [periods.last!]
        var keys = Set<String>()
        for p in used { keys.formUnion(byPeriod[p]![unit]!.keys) }
        var out: [String: Double?] = [:]
        for k in keys {
            var sum: Double? = 0
            for p in used {
                if let v = byPeriod[p]![unit]![k]?[field], let s = sum { sum = s + v } else { sum = nil }
            }
            out[k] = sum
        }
        return (out, [])
    }
}
