// Plan: reading the `targets:` of plan.yml — what each target measures, its threshold (one,
// or one per terrain) and its milestones through the year.
import Foundation
import Yams

extension PlanReader {
    func loadTargets(_ node: Node?, year: Int, forms: [FormDefinition], baselineKeys: Set<String>) -> [TargetDefinition] {
        guard let node else { return [] }
        guard let seq = node.sequence else {
            problem(node, "targets", "cần danh sách các chỉ tiêu", "expected the list of targets")
            return []
        }
        let names: [String] = forms.flatMap { f in f.fields.filter { $0.type != .text && $0.type != .enumeration && $0.type != .date }
            .map { "\(f.expressionName).\($0.key)" } } + baselineKeys.map { "baseline.\($0)" }
        let known: (String) -> (ok: Bool, candidates: [String]) = { n in (names.contains(n), names) }
        var targets: [TargetDefinition] = []
        for (i, n) in seq.enumerated() {
            let path = "targets[\(i + 1)]"
            guard let m = fields(n, path, allowed: ["id", "name", "value", "unit", "threshold", "period", "per", "milestones"]) else { continue }
            let id = string(m, "id", path) ?? ""
            let name = string(m, "name", path) ?? ""
            let value = expression(m["value"], "\(path).value")
            if m["value"] == nil { problem(n, "\(path).value", "thiếu khóa \"value\"", "missing key \"value\"") }
            if let value { checkNames(value, m["value"], "\(path).value", known: known) }
            var p = Period(kind: .year, year: year, index: 1)
            if m["period"] != nil { p = period(m["period"], "\(path).period") }
            guard let threshold = loadThreshold(m["threshold"], "\(path).threshold", known: known) else {
                if m["threshold"] == nil { problem(n, "\(path).threshold", "thiếu khóa \"threshold\"", "missing key \"threshold\"") }
                continue
            }
            if targets.contains(where: { $0.id == id }) {
                problem(m["id"], "\(path).id", "mã chỉ tiêu \"\(id)\" bị trùng", "target id \"\(id)\" is used twice")
            }
            var perCommune = false
            if let per = string(m, "per", path, required: false) {
                if per == "commune" { perCommune = true } else if per != "unit" {
                    problem(m["per"], "\(path).per", "\"\(per)\" không dùng được; dùng commune (mỗi cơ sở Hội) hoặc unit (cả huyện)",
                            "unknown per \"\(per)\"; use commune or unit")
                }
            }
            if perCommune, let value {
                let perCommuneForms = Set(forms.filter { $0.rows == .perCommune }.map(\.expressionName))
                for (name, _) in value.names where !name.hasPrefix("baseline.") {
                    let formName = String(name.split(separator: ".").first ?? "")
                    if !perCommuneForms.contains(formName) {
                        problem(m["value"], "\(path).value", "chỉ tiêu theo cơ sở Hội (per: commune) chỉ đọc được các biểu ghi theo xã; \"\(name)\" không phải",
                                "a per-commune target can read only per-commune forms; \"\(name)\" is not one")
                    }
                }
            }
            let milestones = loadMilestones(m["milestones"], "\(path).milestones", year: year)
            if let value, let p {
                targets.append(TargetDefinition(id: id, name: name, value: value, valueText: m["value"]?.string ?? "",
                                                unit: string(m, "unit", path, required: false), threshold: threshold, period: p,
                                                perCommune: perCommune, milestones: milestones))
            }
        }
        return targets
    }

    /// `{2019-06: 40, 2019-09: 60}`: the level expected by the end of those months.
    func loadMilestones(_ node: Node?, _ path: String, year: Int) -> [(month: Int, value: Double)] {
        guard let node else { return [] }
        guard let ps = pairs(node, path) else { return [] }
        var out: [(month: Int, value: Double)] = []
        for (k, v) in ps {
            guard let p = Period(k), p.kind == .month, p.year == year else {
                problem(v, "\(path).\(k)", "\"\(k)\" không phải là một tháng của năm \(year) (viết ví dụ \(year)-06)",
                        "\"\(k)\" is not a month of \(year) (write e.g. \(year)-06)")
                continue
            }
            guard let s = v.scalar?.string, let d = Double(s.replacingOccurrences(of: ",", with: ".")) else {
                problem(v, "\(path).\(k)", "\"\(v.scalar?.string ?? "")\" không phải là số", "not a number")
                continue
            }
            out.append((p.index, d))
        }
        return out.sorted { $0.month < $1.month }
    }

    /// `">= 75"`, `"== 0"`, `"> baseline.agribank_outstanding"`, or per terrain
    /// `{lowland: ">= 95", mountain: ">= 80"}`.
    func loadThreshold(_ node: Node?, _ path: String, known: (String) -> (ok: Bool, candidates: [String])) -> Threshold? {
        guard let node else { return nil }
        func one(_ n: Node, _ p: String) -> (Threshold.Comparison, Expression)? {
            guard let s = n.scalar?.string else {
                problem(n, p, "cần một ngưỡng như \">= 75\"", "expected a threshold like \">= 75\"")
                return nil
            }
            let t = s.trimmingCharacters(in: .whitespaces)
            let ops: [Threshold.Comparison] = [.atLeast, .atMost, .equal, .greater, .less]
            guard let op = ops.first(where: { t.hasPrefix($0.rawValue) }) else {
                problem(n, p, "ngưỡng \"\(s)\" phải bắt đầu bằng >=, <=, ==, > hoặc <, ví dụ \">= 75\"",
                        "threshold \"\(s)\" must start with >=, <=, ==, > or <, e.g. \">= 75\"")
                return nil
            }
            let rest = String(t.dropFirst(op.rawValue.count))
            do {
                let e = try Expression.parse(rest)
                checkNames(e, n, p, known: known)
                return (op, e)
            } catch {
                var shifted = error
                shifted.column += s.count - rest.count
                expressionProblem(n, p, shifted)
                return nil
            }
        }
        if node.scalar != nil {
            guard let (op, e) = one(node, path) else { return nil }
            return Threshold(comparison: op, bound: e, byTerrain: [:], text: node.string ?? "")
        }
        guard let m = fields(node, path, allowed: [Terrain.lowland.rawValue, Terrain.mountain.rawValue]) else { return nil }
        var by: [Terrain: Expression] = [:]
        var comparison: Threshold.Comparison?
        for (k, v) in m.sorted(by: { $0.key < $1.key }) {
            guard let (op, e) = one(v, "\(path).\(k)") else { continue }
            if let comparison, comparison != op {
                problem(v, "\(path).\(k)", "các ngưỡng theo địa bàn phải cùng một phép so sánh", "per-terrain thresholds must use the same comparison")
            }
            comparison = op
            by[Terrain(rawValue: k)!] = e
        }
        guard let comparison, let lowland = by[.lowland] else {
            problem(node, path, "cần ít nhất ngưỡng cho lowland", "a lowland threshold is required")
            return nil
        }
        let text = m.sorted(by: { $0.key < $1.key }).map { "\($0.key): \($0.value.string ?? "")" }.joined(separator: "; ")
        return Threshold(comparison: comparison, bound: lowland, byTerrain: by, text: text)
    }
}
