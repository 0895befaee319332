// Consolidation: the plan's targets per unit and for the province. A ratio at province
// level is recomputed from the summed parts, never averaged; missing data makes a target
// "không đánh giá được", never zero.
import Foundation

public struct TargetResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case met, notMet = "not-met", noData = "no-data"
    }

    public var target: String
    /// A unit code, or "province".
    public var unit: String
    public var value: Double?
    public var threshold: Double?
    public var comparison: Threshold.Comparison
    public var status: Status
    /// What is missing when the target cannot be evaluated (names, or units).
    public var missing: [String]
}

public enum TargetEvaluation {
    public static func evaluate(plan: Plan, consolidation: Consolidation) -> [TargetResult] {
        var out: [TargetResult] = []
        for t in plan.targets {
            var unitResults: [TargetResult] = []
            var names = Set(t.value.names.map(\.0))
            for e in [t.threshold.bound] + Array(t.threshold.byTerrain.values) { names.formUnion(e.names.map(\.0)) }
            var perUnitValues: [String: [String: Double]] = [:]
            for unit in plan.activeUnits {
                var values: [String: Double] = [:]
                for name in names {
                    if let v = value(name, unit: unit.code, plan: plan, consolidation: consolidation, year: t.period.year) { values[name] = v }
                }
                perUnitValues[unit.code] = values
                let r = result(t, unit: unit.code, terrain: unit.terrain, values: values, names: names)
                unitResults.append(r)
            }
            out += unitResults
            // Province: every name summed over the units; any unit without it leaves the
            // province without a value.
            let lacking = plan.activeUnits.filter { u in names.contains { perUnitValues[u.code]?[$0] == nil } }.map(\.code)
            var sums: [String: Double] = [:]
            if lacking.isEmpty {
                for name in names { sums[name] = plan.activeUnits.reduce(0) { $0 + (perUnitValues[$1.code]?[name] ?? 0) } }
            }
            var province = result(t, unit: "province", terrain: nil, values: sums, names: names)
            if !lacking.isEmpty { province.status = .noData; province.missing = lacking; province.value = nil }
            if !t.threshold.byTerrain.isEmpty, province.status != .noData {
                // Each unit has its own bar: the province meets the target when every unit does.
                province.threshold = nil
                province.status = unitResults.allSatisfy { $0.status == .met } ? .met : .notMet
            }
            out.append(province)
        }
        return out
    }

    static func value(_ name: String, unit: String, plan: Plan, consolidation: Consolidation, year: Int) -> Double? {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[0] == "baseline" { return plan.baselines[unit]?[parts[1]] }
        guard let form = plan.forms.first(where: { $0.expressionName == parts[0] }) else { return nil }
        return consolidation.yearValue(form: form.id, field: parts[1], unit: unit, year: year)
    }

    static func result(_ t: TargetDefinition, unit: String, terrain: Terrain?, values: [String: Double], names: Set<String>) -> TargetResult {
        let missing = names.filter { values[$0] == nil }.sorted()
        let value = t.value.evaluate { values[$0] }.number
        let bound = t.threshold.bound(for: terrain).evaluate { values[$0] }.number
        var status = TargetResult.Status.noData
        if let value, let bound, missing.isEmpty {
            let comparison = Expression.binary(op(t.threshold.comparison), .number(value), .number(bound))
            status = comparison.evaluate { _ in nil } == .bool(true) ? .met : .notMet
        }
        return TargetResult(target: t.id, unit: unit, value: missing.isEmpty ? value : nil, threshold: bound,
                            comparison: t.threshold.comparison, status: status, missing: missing)
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
