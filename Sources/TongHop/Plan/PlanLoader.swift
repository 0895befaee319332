// Plan: reading and checking a plan folder. Every mistake is collected with its file, line
// and key; a plan with any mistake is not used.
import Foundation
import Yams

public enum PlanLoader {
    public static func load(folder: String) throws(PlanError) -> Plan {
        let reader = PlanReader(folder: folder)
        let plan = reader.load()
        if !reader.problems.isEmpty || plan == nil {
            throw PlanError(folder: folder, problems: reader.problems)
        }
        return plan!
    }
}

/// Walks the YAML trees, noting every problem instead of stopping at the first.
final class PlanReader {
    let folder: String
    var problems: [PlanProblem] = []
    var file = "plan.yml"

    init(folder: String) {
        self.folder = folder
    }

    // MARK: - Problems

    func problem(_ node: Node?, _ key: String, _ vi: String, _ en: String, column: Int? = nil) {
        problems.append(PlanProblem(file: file, line: node?.mark?.line, column: column ?? node?.mark?.column,
                                    key: key, vi: vi, en: en))
    }

    func expressionProblem(_ node: Node?, _ key: String, _ e: ExpressionError) {
        // The expression's column counts inside the scalar; add where the scalar starts
        // (plain scalars only: a quoted one starts one column later).
        var column: Int?
        if let mark = node?.mark {
            let quoted = node?.scalar?.style == .doubleQuoted || node?.scalar?.style == .singleQuoted
            column = mark.column + e.column - 1 + (quoted ? 1 : 0)
        }
        problem(node, key, e.vi, e.en, column: column)
    }

    // MARK: - YAML access

    func parse(_ relative: String) -> Node? {
        file = relative
        let path = (folder as NSString).appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(PlanProblem(file: relative, line: nil, column: nil, key: "(tệp)",
                                        vi: "không đọc được tệp \(path)", en: "cannot read \(path)"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(PlanProblem(file: relative, line: nil, column: nil, key: "(tệp)",
                                        vi: "tệp không phải văn bản UTF-8; hãy lưu lại với mã UTF-8",
                                        en: "the file is not UTF-8 text; save it as UTF-8"))
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                problems.append(PlanProblem(file: relative, line: nil, column: nil, key: "(tệp)",
                                            vi: "tệp trống", en: "the file is empty"))
                return nil
            }
            return node
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            problems.append(PlanProblem(file: relative, line: mark.line, column: mark.column, key: "(cú pháp YAML)",
                                        vi: "sai cú pháp YAML: \(problem) (kiểm tra thụt đầu dòng và dấu hai chấm)",
                                        en: "YAML syntax error: \(problem)"))
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            // Named by key and line, not by a dump of the whole file.
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            problems.append(PlanProblem(file: relative, line: context.mark.line, column: context.mark.column, key: "(cú pháp YAML)",
                                        vi: "khóa \(keys) được ghi hai lần trong cùng một mục; giữ một dòng, xóa dòng kia",
                                        en: "the key \(keys) is written twice in one mapping; keep one line, delete the other"))
        } catch {
            problems.append(PlanProblem(file: relative, line: nil, column: nil, key: "(cú pháp YAML)",
                                        vi: "sai cú pháp YAML: \(error)", en: "YAML syntax error: \(error)"))
        }
        return nil
    }

    func pairs(_ node: Node?, _ key: String) -> [(String, Node)]? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            problem(node, key, "cần một bảng khóa: giá trị", "expected a mapping of keys to values")
            return nil
        }
        return mapping.map { ($0.key.string ?? "", $0.value) }
    }

    /// The mapping's entries, with a problem for every key not in `allowed`.
    func fields(_ node: Node?, _ key: String, allowed: [String]) -> [String: Node]? {
        guard let ps = pairs(node, key) else { return nil }
        var out: [String: Node] = [:]
        for (k, v) in ps {
            if !allowed.contains(k) {
                let hint = Folding.suggestion(for: k, among: allowed).map { " (có phải là \"\($0)\"?)" } ?? ""
                let hintEn = Folding.suggestion(for: k, among: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
                problem(v, "\(key).\(k)", "khóa \"\(k)\" không dùng được ở đây\(hint); các khóa: \(allowed.joined(separator: ", "))",
                        "unknown key \"\(k)\"\(hintEn); keys: \(allowed.joined(separator: ", "))")
                continue
            }
            if out[k] != nil {
                problem(v, "\(key).\(k)", "khóa \"\(k)\" được ghi hai lần", "key \"\(k)\" appears twice")
            }
            out[k] = v
        }
        return out
    }

    func string(_ map: [String: Node], _ k: String, _ path: String, required: Bool = true) -> String? {
        guard let node = map[k] else {
            if required { problem(nil, "\(path).\(k)", "thiếu khóa \"\(k)\"", "missing key \"\(k)\"") }
            return nil
        }
        guard let s = node.scalar?.string, !s.isEmpty else {
            problem(node, "\(path).\(k)", "cần một giá trị chữ", "expected a text value")
            return nil
        }
        return s
    }

    func list(_ map: [String: Node], _ k: String, _ path: String) -> [String] {
        guard let node = map[k] else { return [] }
        if let s = node.scalar?.string { return [s] }
        guard let seq = node.sequence else {
            problem(node, "\(path).\(k)", "cần một danh sách", "expected a list")
            return []
        }
        return seq.enumerated().compactMap { i, n in
            guard let s = n.scalar?.string else {
                problem(n, "\(path).\(k)[\(i + 1)]", "cần một giá trị chữ", "expected a text value")
                return nil
            }
            return s
        }
    }

    func number(_ map: [String: Node], _ k: String, _ path: String) -> Double? {
        guard let node = map[k] else { return nil }
        guard let s = node.scalar?.string, let d = Double(s.replacingOccurrences(of: ",", with: ".")) else {
            problem(node, "\(path).\(k)", "\"\(node.scalar?.string ?? "")\" không phải là số (viết ví dụ 95 hoặc 0.3)",
                    "\"\(node.scalar?.string ?? "")\" is not a number")
            return nil
        }
        return d
    }

    func bool(_ map: [String: Node], _ k: String, _ path: String, default value: Bool) -> Bool {
        guard let node = map[k] else { return value }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "co", "có": return true
        case "false", "no", "khong", "không": return false
        default:
            problem(node, "\(path).\(k)", "cần true hoặc false", "expected true or false")
            return value
        }
    }

    func day(_ node: Node?, _ path: String) -> Day? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let d = Day(s) else {
            problem(node, path, "\"\(node.scalar?.string ?? "")\" không phải là ngày hợp lệ (viết 2019-11-30 hoặc 30/11/2019)",
                    "\"\(node.scalar?.string ?? "")\" is not a valid date (write 2019-11-30 or 30/11/2019)")
            return nil
        }
        return d
    }

    func period(_ node: Node?, _ path: String) -> Period? {
        guard let node else { return nil }
        guard let s = node.scalar?.string, let p = Period(s) else {
            problem(node, path, "\"\(node.scalar?.string ?? "")\" không phải là kỳ báo cáo (viết 2019-03, 2019-Q1, 2019-H1 hoặc 2019)",
                    "\"\(node.scalar?.string ?? "")\" is not a period (write 2019-03, 2019-Q1, 2019-H1 or 2019)")
            return nil
        }
        return p
    }

    func expression(_ node: Node?, _ path: String) -> Expression? {
        guard let node else { return nil }
        guard let s = node.scalar?.string else {
            problem(node, path, "cần một biểu thức", "expected an expression")
            return nil
        }
        do {
            return try Expression.parse(s)
        } catch {
            expressionProblem(node, path, error)
            return nil
        }
    }

    /// Reports every name of `e` that `known` does not accept.
    func checkNames(_ e: Expression, _ node: Node?, _ path: String, known: (String) -> (ok: Bool, candidates: [String])) {
        for (name, column) in e.names {
            let (ok, candidates) = known(name)
            guard !ok else { continue }
            let s = Folding.suggestion(for: name, among: candidates)
            expressionProblem(node, path, ExpressionError(
                column: column,
                vi: "không có trường \"\(name)\"" + (s.map { " (có phải là \"\($0)\"?)" } ?? ""),
                en: "no field \"\(name)\"" + (s.map { " (did you mean \"\($0)\"?)" } ?? "")))
        }
    }

    // MARK: - The plan

    func load() -> Plan? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            problems.append(PlanProblem(file: folder, line: nil, column: nil, key: "(thư mục)",
                                        vi: "không có thư mục kế hoạch \(folder)", en: "no plan folder \(folder)"))
            return nil
        }
        let forms = loadForms()
        file = "plan.yml"
        guard let root = parse("plan.yml"),
              let top = fields(root, "plan", allowed: ["organisation", "heading", "province", "year", "calendar", "units",
                                                        "deadlines", "exceptions", "baselines", "targets", "official"]) else { return nil }
        let organisation = string(top, "organisation", "plan") ?? ""
        let heading = string(top, "heading", "plan", required: false) ?? organisation.uppercased()
        let province = string(top, "province", "plan") ?? ""
        var year = 0
        if let y = string(top, "year", "plan") {
            if let v = Int(y), (2000...2100).contains(v) { year = v } else {
                problem(top["year"], "plan.year", "năm \"\(y)\" không hợp lệ", "invalid year \"\(y)\"")
            }
        }

        var cutoff = CutoffRule.decree09
        var holidays = Set<Day>()
        if let cal = fields(top["calendar"], "calendar", allowed: ["cutoff", "holidays"]) {
            if let c = string(cal, "cutoff", "calendar", required: false) {
                if let rule = CutoffRule(rawValue: c) { cutoff = rule } else {
                    problem(cal["cutoff"], "calendar.cutoff", "cách tính kỳ \"\(c)\" không có; dùng decree-09-2019 hoặc calendar-month",
                            "unknown cutoff \"\(c)\"; use decree-09-2019 or calendar-month")
                }
            }
            if let seq = cal["holidays"]?.sequence {
                for (i, n) in seq.enumerated() {
                    if let d = day(n, "calendar.holidays[\(i + 1)]") { holidays.insert(d) }
                }
            }
        }

        let units = loadUnits(top["units"])
        let formIds = Set(forms.map(\.id))
        let unitCodes = Set(units.map(\.code))

        var deadlines: [String: DueRule] = [:]
        if let ps = pairs(top["deadlines"], "deadlines") {
            for (formId, node) in ps {
                let path = "deadlines.\(formId)"
                if !formIds.contains(formId) {
                    let s = Folding.suggestion(for: formId, among: Array(formIds))
                    problem(node, path, "không có biểu \"\(formId)\" trong thư mục forms/" + (s.map { " (có phải là \"\($0)\"?)" } ?? ""),
                            "no form \"\(formId)\" in forms/" + (s.map { " (did you mean \"\($0)\"?)" } ?? ""))
                }
                guard let m = fields(node, path, allowed: ["date", "days-after-period", "working-days-after-period", "day-of-following-month"]),
                      m.count == 1, let (k, v) = m.first else {
                    problem(node, path, "ghi đúng một cách tính hạn: date, days-after-period, working-days-after-period hoặc day-of-following-month",
                            "give exactly one due rule: date, days-after-period, working-days-after-period or day-of-following-month")
                    continue
                }
                switch k {
                case "date":
                    if let d = day(v, "\(path).date") { deadlines[formId] = .date(d) }
                default:
                    guard let n = v.scalar.flatMap({ Int($0.string) }), n >= 0, n <= 366 else {
                        problem(v, "\(path).\(k)", "cần một số ngày (số nguyên)", "expected a whole number of days")
                        continue
                    }
                    if k == "day-of-following-month" {
                        if n < 1 || n > 31 { problem(v, "\(path).\(k)", "ngày trong tháng phải từ 1 đến 31", "day of month must be 1–31") }
                        deadlines[formId] = .dayOfFollowingMonth(n)
                    } else {
                        deadlines[formId] = .afterPeriodEnd(days: n, workingDays: k == "working-days-after-period")
                    }
                }
            }
        }
        for id in formIds.sorted() where deadlines[id] == nil && !problems.contains(where: { $0.key.hasPrefix("deadlines.\(id)") }) {
            problem(top["deadlines"], "deadlines", "biểu \"\(id)\" chưa có hạn nộp", "form \"\(id)\" has no due rule")
        }

        var exceptions: [DeadlineException] = []
        if let seq = top["exceptions"]?.sequence {
            for (i, n) in seq.enumerated() {
                let path = "exceptions[\(i + 1)]"
                guard let m = fields(n, path, allowed: ["unit", "form", "period", "due", "reason", "exempt"]) else { continue }
                let unit = string(m, "unit", path)
                let form = string(m, "form", path)
                if let unit, !unitCodes.contains(unit) {
                    problem(m["unit"], "\(path).unit", "không có đơn vị mã \"\(unit)\"", "no unit with code \"\(unit)\"")
                }
                if let form, !formIds.contains(form) {
                    problem(m["form"], "\(path).form", "không có biểu \"\(form)\"", "no form \"\(form)\"")
                }
                if m["period"] == nil { problem(n, "\(path).period", "thiếu khóa \"period\"", "missing key \"period\"") }
                let exempt = bool(m, "exempt", path, default: false)
                if m["due"] == nil && !exempt {
                    problem(n, "\(path).due", "thiếu khóa \"due\" (hoặc exempt: true nếu được miễn báo cáo)", "missing key \"due\" (or exempt: true)")
                }
                let due = exempt && m["due"] == nil ? Day(year: 2000, month: 1, day: 1) : day(m["due"], "\(path).due")
                if let unit, let form, let p = period(m["period"], "\(path).period"), let d = due {
                    exceptions.append(DeadlineException(unit: unit, form: form, period: p, due: d,
                                                        reason: string(m, "reason", path, required: false), exempt: exempt))
                }
            }
        }

        var baselines: [String: [String: Double]] = [:]
        if let ps = pairs(top["baselines"], "baselines") {
            for (code, node) in ps {
                if !unitCodes.contains(code) {
                    problem(node, "baselines.\(code)", "không có đơn vị mã \"\(code)\"", "no unit with code \"\(code)\"")
                }
                guard let values = pairs(node, "baselines.\(code)") else { continue }
                var row: [String: Double] = [:]
                for (k, v) in values {
                    guard let s = v.scalar?.string, let d = Double(s) else {
                        problem(v, "baselines.\(code).\(k)", "\"\(v.scalar?.string ?? "")\" không phải là số", "not a number")
                        continue
                    }
                    row[k] = d
                }
                baselines[code] = row
            }
        }
        let baselineKeys = Set(baselines.values.flatMap(\.keys))
        let targets = loadTargets(top["targets"], year: year, forms: forms, baselineKeys: baselineKeys)

        var plan = Plan(folder: folder, organisation: organisation, heading: heading, province: province, year: year,
                        units: units, cutoff: cutoff, holidays: holidays, forms: forms, deadlines: deadlines,
                        exceptions: exceptions, baselines: baselines, targets: targets)
        plan._unitNameIndex = plan.unitNameIndex
        plan.official = loadOfficial(top["official"], heading: heading, province: province, units: units)
        return plan
    }

    func loadUnits(_ node: Node?) -> [ReportingUnit] {
        guard let seq = node?.sequence else {
            problem(node, "units", "cần danh sách các đơn vị báo cáo", "expected the list of reporting units")
            return []
        }
        var units: [ReportingUnit] = []
        for (i, n) in seq.enumerated() {
            let path = "units[\(i + 1)]"
            guard let m = fields(n, path, allowed: ["code", "name", "kind", "terrain", "communes", "aliases", "active"]) else { continue }
            guard let code = string(m, "code", path), let name = string(m, "name", path) else { continue }
            var terrain = Terrain.lowland
            if let t = string(m, "terrain", path) {
                if let v = Terrain(rawValue: t) { terrain = v } else {
                    problem(m["terrain"], "\(path).terrain", "địa bàn \"\(t)\" không có; dùng lowland (đồng bằng) hoặc mountain (miền núi)",
                            "unknown terrain \"\(t)\"; use lowland or mountain")
                }
            }
            if units.contains(where: { $0.code == code }) {
                problem(m["code"], "\(path).code", "mã đơn vị \"\(code)\" bị trùng", "unit code \"\(code)\" is used twice")
            }
            units.append(ReportingUnit(code: code, name: name, kind: string(m, "kind", path, required: false) ?? "",
                                       terrain: terrain, communes: list(m, "communes", path),
                                       aliases: list(m, "aliases", path), active: bool(m, "active", path, default: true)))
        }
        return units
    }

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

    // MARK: - Forms

    func loadForms() -> [FormDefinition] {
        let dir = (folder as NSString).appendingPathComponent("forms")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            problems.append(PlanProblem(file: "forms/", line: nil, column: nil, key: "(thư mục)",
                                        vi: "không có thư mục forms/ chứa các biểu mẫu", en: "no forms/ folder"))
            return []
        }
        var forms: [FormDefinition] = []
        for name in names.sorted() where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            if let f = loadForm("forms/" + name) { forms.append(f) }
        }
        if forms.isEmpty && problems.isEmpty {
            problems.append(PlanProblem(file: "forms/", line: nil, column: nil, key: "(thư mục)",
                                        vi: "thư mục forms/ không có biểu mẫu nào (*.yml)", en: "forms/ holds no form (*.yml)"))
        }
        return forms
    }

    func loadForm(_ relative: String) -> FormDefinition? {
        guard let root = parse(relative),
              let m = fields(root, "form", allowed: ["id", "title", "period", "periods", "rows", "identify", "fields", "rules", "print"]) else { return nil }
        let expectedId = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
        let id = string(m, "id", "form") ?? expectedId
        if id != expectedId {
            problem(m["id"], "form.id", "mã biểu \"\(id)\" phải trùng tên tệp (\(expectedId))", "form id \"\(id)\" must match the file name (\(expectedId))")
        }
        let title = string(m, "title", "form") ?? id
        var kind = PeriodKind.month
        if let k = string(m, "period", "form") {
            if let v = PeriodKind(rawValue: k) { kind = v } else {
                problem(m["period"], "form.period", "loại kỳ \"\(k)\" không có; dùng month, quarter, half-year hoặc year",
                        "unknown period kind \"\(k)\"; use month, quarter, half-year or year")
            }
        }
        var periods: [Period]?
        if let seq = m["periods"]?.sequence {
            periods = seq.enumerated().compactMap { i, n in period(n, "form.periods[\(i + 1)]") }
            for p in periods! where p.kind != kind {
                problem(m["periods"], "form.periods", "kỳ \(p) không phải loại \(kind.rawValue)", "period \(p) is not a \(kind.rawValue)")
            }
        }
        var rows = RowLayout.single
        if let r = string(m, "rows", "form", required: false) {
            if let v = RowLayout(rawValue: r) { rows = v } else {
                problem(m["rows"], "form.rows", "cách ghi hàng \"\(r)\" không có; dùng per-commune hoặc single",
                        "unknown rows \"\(r)\"; use per-commune or single")
            }
        }
        var titleWords: [String] = [], fileWords: [String] = []
        if let ident = fields(m["identify"], "identify", allowed: ["title", "file-name"]) {
            titleWords = list(ident, "title", "identify")
            fileWords = list(ident, "file-name", "identify")
        } else if m["identify"] == nil {
            problem(root, "identify", "thiếu khóa \"identify\" (các từ nhận biết biểu trong tiêu đề và tên tệp)",
                    "missing key \"identify\" (words that identify the form in titles and file names)")
        }
        let fieldList = loadFields(m["fields"], rows: rows)
        let numeric = fieldList.filter { [.integer, .decimal, .percent].contains($0.type) }.map(\.key)
        var rules: [RuleDefinition] = []
        if let seq = m["rules"]?.sequence {
            for (i, n) in seq.enumerated() {
                let path = "rules[\(i + 1)]"
                guard let r = fields(n, path, allowed: ["id", "check", "severity", "message", "message-en", "scope"]) else { continue }
                let rid = string(r, "id", path) ?? "rule-\(i + 1)"
                guard let text = string(r, "check", path), let e = expression(r["check"], "\(path).check") else { continue }
                checkNames(e, r["check"], "\(path).check") { (numeric.contains($0), numeric) }
                var severity = Severity.error
                if let s = string(r, "severity", path, required: false) {
                    if let v = Severity(rawValue: s) { severity = v } else {
                        problem(r["severity"], "\(path).severity", "mức \"\(s)\" không có; dùng error, warning hoặc info",
                                "unknown severity \"\(s)\"; use error, warning or info")
                    }
                }
                var scope = RuleDefinition.Scope.row
                if let s = string(r, "scope", path, required: false) {
                    if let v = RuleDefinition.Scope(rawValue: s) { scope = v } else {
                        problem(r["scope"], "\(path).scope", "phạm vi \"\(s)\" không có; dùng row hoặc total", "unknown scope \"\(s)\"; use row or total")
                    }
                }
                rules.append(RuleDefinition(id: rid, text: text, expression: e, severity: severity,
                                            vi: string(r, "message", path) ?? text,
                                            en: string(r, "message-en", path, required: false), scope: scope))
            }
        }
        var form = FormDefinition(id: id, title: title, periodKind: kind, periods: periods, rows: rows, titleWords: titleWords,
                                  fileNameWords: fileWords, fields: fieldList, rules: rules, file: relative)
        form.print = loadPrint(m["print"])
        return form
    }

    /// `better: higher|lower|none`, required of every numeric field: the report colours a
    /// change by it (a rising overdue debt is bad news, not good).
    func loadBetter(_ m: [String: Node], key: String, type: FieldType, node: Node, path: String) -> Better {
        guard let s = string(m, "better", path, required: false) else {
            if [.integer, .decimal, .percent].contains(type) {
                problem(node, "\(path).better", "trường số \"\(key)\" cần ghi better: higher (tăng là tốt), lower (giảm là tốt) hoặc none (không đánh giá)",
                        "numeric field \"\(key)\" needs better: higher (up is good), lower (down is good) or none")
            }
            return .none
        }
        guard let v = Better(rawValue: s) else {
            let hint = Folding.suggestion(for: s, among: ["higher", "lower", "none"]).map { " (có phải là \"\($0)\"?)" } ?? ""
            problem(m["better"], "\(path).better", "\"\(s)\" không dùng được\(hint); dùng higher (tăng là tốt), lower (giảm là tốt) hoặc none",
                    "unknown better \"\(s)\"; use higher, lower or none")
            return .none
        }
        return v
    }

    func loadFields(_ node: Node?, rows: RowLayout) -> [FieldDefinition] {
        guard let seq = node?.sequence else {
            problem(node, "fields", "cần danh sách các cột (fields)", "expected the list of fields")
            return []
        }
        var out: [FieldDefinition] = []
        for (i, n) in seq.enumerated() {
            let path = "fields[\(i + 1)]"
            guard let m = fields(n, path, allowed: ["key", "header", "aliases", "type", "unit", "required", "min", "max",
                                                    "measure", "values", "help", "row-key", "better", "blank"]) else { continue }
            guard let key = string(m, "key", path), let header = string(m, "header", path) else { continue }
            if key.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) || key.first?.isNumber == true {
                problem(m["key"], "\(path).key", "mã trường \"\(key)\" chỉ được gồm chữ không dấu, số và dấu _",
                        "field key \"\(key)\" may hold only letters, digits and _")
            }
            if out.contains(where: { $0.key == key }) {
                problem(m["key"], "\(path).key", "mã trường \"\(key)\" bị trùng", "field key \"\(key)\" is used twice")
            }
            var type = FieldType.integer
            if let t = string(m, "type", path) {
                if let v = FieldType(rawValue: t) { type = v } else {
                    problem(m["type"], "\(path).type", "kiểu \"\(t)\" không có; dùng integer, decimal, percent, date, text hoặc enum",
                            "unknown type \"\(t)\"; use integer, decimal, percent, date, text or enum")
                }
            }
            var measure = Measure.none
            if let s = string(m, "measure", path, required: false) {
                if let v = Measure(rawValue: s) { measure = v } else {
                    problem(m["measure"], "\(path).measure", "\"\(s)\" không có; dùng stock (số dư) hoặc flow (phát sinh)",
                            "unknown measure \"\(s)\"; use stock or flow")
                }
            } else if [.integer, .decimal].contains(type) {
                problem(n, "\(path).measure", "trường số \"\(key)\" cần ghi measure: stock (số dư tại một ngày) hoặc flow (phát sinh trong kỳ)",
                        "numeric field \"\(key)\" needs measure: stock or flow")
            }
            let minV = number(m, "min", path), maxV = number(m, "max", path)
            if let a = minV, let b = maxV, a > b {
                problem(m["max"], "\(path).max", "max nhỏ hơn min", "max is below min")
            }
            let values = list(m, "values", path)
            if type == .enumeration && values.isEmpty {
                problem(n, "\(path).values", "trường kiểu enum cần danh sách values", "an enum field needs its values")
            }
            let better = loadBetter(m, key: key, type: type, node: n, path: path)
            var field = FieldDefinition(key: key, header: header, aliases: list(m, "aliases", path), type: type,
                                        unit: string(m, "unit", path, required: false), required: bool(m, "required", path, default: false),
                                        min: minV, max: maxV, measure: measure, values: values,
                                        help: string(m, "help", path, required: false),
                                        isRowKey: bool(m, "row-key", path, default: false), better: better)
            field.blank = blankMeaning(m, path, type: type, key: key)
            out.append(field)
        }
        let keys = out.filter(\.isRowKey)
        if rows == .perCommune && keys.count != 1 {
            problem(node, "fields", "biểu ghi theo xã (per-commune) cần đúng một trường row-key: true (tên xã)",
                    "a per-commune form needs exactly one field with row-key: true")
        }
        return out
    }

    /// `blank:` of a field: `no-data` (the default), `zero` for a number field whose blank the
    /// Union's form really means as 0, `empty` for a text field whose blank is nothing to note.
    func blankMeaning(_ m: [String: Node], _ path: String, type: FieldType, key: String) -> BlankMeaning {
        guard let s = string(m, "blank", path, required: false) else { return .noData }
        guard let v = BlankMeaning(rawValue: s) else {
            problem(m["blank"], "\(path).blank", "\"\(s)\" không có; dùng no-data (ô trống là chưa có số liệu), zero (ô trống là 0) hoặc empty (cột chữ, ô trống là không có ghi chú)",
                    "unknown blank \"\(s)\"; use no-data, zero or empty")
            return .noData
        }
        if v == .zero, ![.integer, .decimal, .percent].contains(type) {
            problem(m["blank"], "\(path).blank", "blank: zero chỉ dùng cho trường số; \"\(key)\" là trường \(type.rawValue)",
                    "blank: zero is for number fields only; \"\(key)\" is \(type.rawValue)")
        }
        if v == .empty, ![.text, .enumeration].contains(type) {
            problem(m["blank"], "\(path).blank", "blank: empty chỉ dùng cho trường chữ; trường số \"\(key)\" để trống là chưa có số liệu (no-data) hoặc 0 (zero)",
                    "blank: empty is for text fields only; a blank in number field \"\(key)\" is no-data or zero")
        }
        return v
    }
}
