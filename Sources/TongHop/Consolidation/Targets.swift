// Consolidation: the plan's targets per unit and for the province. A ratio at province
// level is recomputed from the summed parts, never averaged; missing data (a unit, a month,
// a column) makes a target "không đánh giá được" naming what is missing, never ✓ or ✗.
// Before the year's data is complete, a year target is judged against the level expected
// to date (linear over the year unless the plan gives milestones): "đang thực hiện" or
// "chậm tiến độ", never ✗. A `per: commune` target holds for every grassroots union.
import Foundation

public struct TargetResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case met, notMet = "not-met", noData = "no-data"
        /// The year is not over; the value is at or above the level expected to date.
        case onTrack = "on-track"
        /// The year is not over; the value is below the level expected to date.
        case behind
    }

    public var target: String
    /// A unit code, or "province".
    public var unit: String
    public var value: Double?
    public var threshold: Double?
    public var comparison: Threshold.Comparison
    public var status: Status
    /// What is missing when the target cannot be evaluated: for a unit, the names it reads,
    /// `name@period` for a period without data and `commune:<name>` for a union without data;
    /// for the province, the unit codes.
    public var missing: [String]
    /// Progress before the year ends: the level expected to date, the share of the year the
    /// data covers, and the last period counted.
    public var expected: Double? = nil
    public var fraction: Double? = nil
    public var through: Period? = nil
    /// Every named value the target read (its numerator, denominator and baseline).
    public var inputs: [String: Double] = [:]
    /// A per-commune target: how many grassroots unions meet it.
    public var unions: UnionCount? = nil
    /// The province: which units its figure stands on.
    public var coverage: Coverage? = nil

    public init(target: String, unit: String, value: Double?, threshold: Double?, comparison: Threshold.Comparison,
                status: Status, missing: [String]) {
        self.target = target
        self.unit = unit
        self.value = value
        self.threshold = threshold
        self.comparison = comparison
        self.status = status
        self.missing = missing
    }

    /// Met, or on track before the year ends (what the ranking counts).
    public var isGood: Bool { status == .met || status == .onTrack }
    public var inProgress: Bool { status == .onTrack || status == .behind }
}

/// How the grassroots unions of a unit (or the province) stand on a per-commune target.
public struct UnionCount: Sendable, Equatable {
    /// Unions meeting the target (or on track).
    public var met: Int
    /// Unions evaluated.
    public var evaluated: Int
    /// Unions without data.
    public var noData: Int
    /// Names of the unions not meeting it (a unit's only).
    public var failing: [String]

    public var total: Int { evaluated + noData }
}

public enum TargetEvaluation {
    public static func evaluate(plan: Plan, consolidation: Consolidation) -> [TargetResult] {
        var out: [TargetResult] = []
        for t in plan.targets {
            var names = Set(t.value.names.map(\.0))
            for e in [t.threshold.bound] + Array(t.threshold.byTerrain.values) { names.formUnion(e.names.map(\.0)) }
            var unitResults: [TargetResult] = []
            var perUnitValues: [String: [String: Double]] = [:]
            var fractions: [Double] = []
            var through: [Period] = []
            for unit in plan.activeUnits {
                let read = values(names, unit: unit.code, plan: plan, consolidation: consolidation, year: t.period.year)
                perUnitValues[unit.code] = read.values
                fractions.append(read.fraction)
                if let p = read.through { through.append(p) }
                var r = t.perCommune
                    ? perCommune(t, unit: unit, read: read, names: names, plan: plan, consolidation: consolidation)
                    : result(t, unit: unit.code, terrain: unit.terrain, values: read.values, names: names,
                             missingPeriods: read.missing, fraction: read.fraction)
                r.through = read.through
                unitResults.append(r)
            }
            out += unitResults
            // Province: every name summed over the units; any unit without it leaves the
            // province without a value, and says which.
            let lacking = plan.activeUnits.filter { u in names.contains { perUnitValues[u.code]?[$0] == nil } }.map(\.code)
            var sums: [String: Double] = [:]
            if lacking.isEmpty {
                for name in names { sums[name] = plan.activeUnits.reduce(0) { $0 + (perUnitValues[$1.code]?[name] ?? 0) } }
            }
            let fraction = fractions.min() ?? 1
            var province = result(t, unit: "province", terrain: nil, values: sums, names: names, missingPeriods: [:], fraction: fraction)
            province.through = through.min()
            let lackingSet = Set(lacking)
            province.coverage = Coverage(contributing: plan.activeUnits.map(\.code).filter { !lackingSet.contains($0) }, missing: lacking)
            if !lacking.isEmpty {
                province.status = .noData; province.missing = lacking; province.value = nil
                province.expected = nil; province.inputs = [:]
            }
            if t.perCommune {
                let counts = unitResults.compactMap(\.unions)
                province.unions = UnionCount(met: counts.reduce(0) { $0 + $1.met }, evaluated: counts.reduce(0) { $0 + $1.evaluated },
                                             noData: counts.reduce(0) { $0 + $1.noData }, failing: [])
            }
            if (t.perCommune || !t.threshold.byTerrain.isEmpty), province.status != .noData {
                // Each unit has its own bar (or each union): the province meets the target when
                // every unit does.
                if !t.threshold.byTerrain.isEmpty { province.threshold = nil }
                if unitResults.contains(where: { $0.status == .noData }) {
                    province.status = .noData
                    province.missing = unitResults.filter { $0.status == .noData }.map(\.unit)
                } else if unitResults.contains(where: \.inProgress) {
                    province.status = unitResults.allSatisfy(\.isGood) ? .onTrack : .behind
                } else {
                    province.status = unitResults.allSatisfy { $0.status == .met } ? .met : .notMet
                }
            }
            out.append(province)
        }
        return out
    }

    struct Read {
        var values: [String: Double] = [:]
        /// name → periods without data.
        var missing: [String: [Period]] = [:]
        /// The least share of the year any input from a form of shorter periods covers.
        var fraction: Double = 1
        var through: Period?
    }

    static func values(_ names: Set<String>, unit: String, plan: Plan, consolidation: Consolidation, year: Int) -> Read {
        var read = Read()
        for name in names.sorted() {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "baseline" {
                if let v = plan.baselines[unit]?[parts[1]] { read.values[name] = v }
                continue
            }
            guard let form = plan.forms.first(where: { $0.expressionName == parts[0] }) else { continue }
            let y = consolidation.yearValue(form: form.id, field: parts[1], unit: unit, year: year)
            if let v = y.value { read.values[name] = v } else if !y.missing.isEmpty { read.missing[name] = y.missing }
            if form.periodKind != .year {
                read.fraction = min(read.fraction, y.fraction)
                if let p = y.through, read.through.map({ p < $0 }) ?? true { read.through = p }
            }
        }
        return read
    }

    static func result(_ t: TargetDefinition, unit: String, terrain: Terrain?, values: [String: Double], names: Set<String>,
                       missingPeriods: [String: [Period]], fraction: Double) -> TargetResult {
        let missingNames = names.filter { values[$0] == nil }.sorted()
        let missing = missingNames.flatMap { n in (missingPeriods[n] ?? []).isEmpty ? [n] : missingPeriods[n]!.map { "\(n)@\($0)" } }
        let value = t.value.evaluate { values[$0] }.number
        let bound = t.threshold.bound(for: terrain).evaluate { values[$0] }.number
        var r = TargetResult(target: t.id, unit: unit, value: missingNames.isEmpty ? value : nil, threshold: bound,
                             comparison: t.threshold.comparison, status: .noData, missing: missing)
        r.inputs = values.filter { names.contains($0.key) }
        if let value, let bound, missingNames.isEmpty {
            judge(&r, t, value: value, bound: bound, fraction: fraction)
        }
        return r
    }

    /// Met or not at the year's end; against the level expected to date before it.
    static func judge(_ r: inout TargetResult, _ t: TargetDefinition, value: Double, bound: Double, fraction: Double) {
        if fraction >= 1 - 1e-9 {
            r.status = compare(value, t.threshold.comparison, bound) ? .met : .notMet
            return
        }
        r.fraction = fraction
        let expected = expectedToDate(t, bound: bound, fraction: fraction)
        r.expected = expected
        r.status = compare(value, t.threshold.comparison, expected) ? .onTrack : .behind
    }

    /// The level expected after `fraction` of the year: for "at least" targets, linear from
    /// 0 to the bound, or through the plan's milestones; for the others, the bound itself.
    public static func expectedToDate(_ t: TargetDefinition, bound: Double, fraction: Double) -> Double {
        guard t.threshold.comparison == .atLeast || t.threshold.comparison == .greater else { return bound }
        let month = fraction * 12
        var points: [(Double, Double)] = [(0, 0)] + t.milestones.map { (Double($0.month), $0.value) }
        if points.last!.0 < 12 { points.append((12, bound)) }
        for (a, b) in zip(points, points.dropFirst()) where month <= b.0 {
            let span = b.0 - a.0
            return span <= 0 ? b.1 : a.1 + (b.1 - a.1) * (month - a.0) / span
        }
        return bound
    }

    static func compare(_ value: Double, _ c: Threshold.Comparison, _ bound: Double) -> Bool {
        let comparison = Expression.binary(op(c), .number(value), .number(bound))
        return comparison.evaluate { _ in nil } == .bool(true)
    }

    /// A per-commune target for one unit: each commune row is one grassroots union; the unit
    /// meets the target only when every union does.
    static func perCommune(_ t: TargetDefinition, unit: ReportingUnit, read: Read, names: Set<String>, plan: Plan,
                           consolidation: Consolidation) -> TargetResult {
        // The district's own figure (its average), for reference only.
        var r = result(t, unit: unit.code, terrain: unit.terrain, values: read.values, names: names,
                       missingPeriods: read.missing, fraction: read.fraction)
        r.status = .noData
        r.expected = nil
        r.fraction = nil
        guard read.missing.isEmpty else { return r }
        var rowValues: [String: [String: Double?]] = [:]
        var keys = Set<String>()
        for name in names where !name.hasPrefix("baseline.") {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let form = plan.forms.first(where: { $0.expressionName == parts[0] }) else { continue }
            let rows = consolidation.rowYearValues(form: form.id, field: parts[1], unit: unit.code, year: t.period.year)
            if !rows.missing.isEmpty {
                r.missing = rows.missing.map { "\(name)@\($0)" }
                return r
            }
            rowValues[name] = rows.rows
            keys.formUnion(rows.rows.keys)
        }
        guard !keys.isEmpty else {
            if r.missing.isEmpty { r.missing = names.filter { !$0.hasPrefix("baseline.") }.sorted() }
            return r
        }
        var met = 0, evaluated = 0
        var failing: [String] = [], lacking: [String] = []
        let bound = r.threshold
        for key in keys.sorted() {
            var values: [String: Double] = read.values.filter { $0.key.hasPrefix("baseline.") }
            var complete = true
            for name in names where !name.hasPrefix("baseline.") {
                if let v = rowValues[name]?[key] ?? nil { values[name] = v } else { complete = false }
            }
            guard complete, let v = t.value.evaluate({ values[$0] }).number, let bound else {
                lacking.append(communeName(key, unit: unit)); continue
            }
            evaluated += 1
            var one = TargetResult(target: t.id, unit: unit.code, value: v, threshold: bound, comparison: t.threshold.comparison,
                                   status: .noData, missing: [])
            judge(&one, t, value: v, bound: bound, fraction: read.fraction)
            if one.isGood { met += 1 } else { failing.append(communeName(key, unit: unit)) }
        }
        r.unions = UnionCount(met: met, evaluated: evaluated, noData: lacking.count, failing: failing)
        if !lacking.isEmpty {
            r.missing = lacking.map { "commune:\($0)" }
            return r
        }
        r.missing = []
        let inProgress = read.fraction < 1 - 1e-9
        if inProgress {
            r.fraction = read.fraction
            r.expected = bound.map { expectedToDate(t, bound: $0, fraction: read.fraction) }
            r.status = failing.isEmpty ? .onTrack : .behind
        } else {
            r.status = failing.isEmpty ? .met : .notMet
        }
        return r
    }

    /// The commune's name in the plan for a row key, else the key as read.
    static func communeName(_ key: String, unit: ReportingUnit) -> String {
        unit.communes.first { ReportingUnit.communeKey($0) == key } ?? key
    }

    static func op(_ c: Threshold.Comparison) -> Expression.BinaryOperator {
        switch c {
        case .atLeast: return .greaterEqual
        case .atMost: return .lessEqual
        case .equal: return .equal
        case .greater: return .greater
        case .less: return .less
        }
    }
}
