// Plan: reading a form file of `forms/` — its identification words, row layout, fields
// (type, unit, bounds, which way is better, what a blank means) and rules.
import Foundation
import Yams

extension PlanReader {
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
            // per-district: the same layout one level up (a province's rows are its districts).
            if let v = RowLayout(rawValue: r) ?? (r == "per-district" ? .perCommune : nil) { rows = v } else {
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
