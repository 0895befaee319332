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

        let (cutoff, holidays) = loadCalendar(top["calendar"])

        let units = loadUnits(top["units"])
        let formIds = Set(forms.map(\.id))
        let unitCodes = Set(units.map(\.code))

        let deadlines = loadDeadlines(top["deadlines"], formIds: formIds)
        let exceptions = loadExceptions(top["exceptions"], formIds: formIds, unitCodes: unitCodes)
        let baselines = loadBaselines(top["baselines"], unitCodes: unitCodes)
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

    /// `calendar:`: how periods are cut (Decree 09/2019 by default) and the public holidays
    /// that working-day deadlines skip.
    func loadCalendar(_ node: Node?) -> (CutoffRule, Set<Day>) {
        var cutoff = CutoffRule.decree09
        var holidays = Set<Day>()
        if let cal = fields(node, "calendar", allowed: ["cutoff", "holidays"]) {
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
        return (cutoff, holidays)
    }

    /// `deadlines:`: one due rule per form, and a problem for a form without one.
    func loadDeadlines(_ node: Node?, formIds: Set<String>) -> [String: DueRule] {
        var deadlines: [String: DueRule] = [:]
        if let ps = pairs(node, "deadlines") {
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
            problem(node, "deadlines", "biểu \"\(id)\" chưa có hạn nộp", "form \"\(id)\" has no due rule")
        }
        return deadlines
    }

    /// `exceptions:`: a later due date (or an exemption) for one unit, form and period.
    func loadExceptions(_ node: Node?, formIds: Set<String>, unitCodes: Set<String>) -> [DeadlineException] {
        var exceptions: [DeadlineException] = []
        if let seq = node?.sequence {
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
        return exceptions
    }

    /// `baselines:`: each unit's starting figures, which targets may compare with.
    func loadBaselines(_ node: Node?, unitCodes: Set<String>) -> [String: [String: Double]] {
        var baselines: [String: [String: Double]] = [:]
        if let ps = pairs(node, "baselines") {
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
        return baselines
    }
}
