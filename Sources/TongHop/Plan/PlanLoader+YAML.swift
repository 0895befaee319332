// Plan: typed access to the YAML tree of a plan file. Each accessor notes a problem (file,
// line, column, key, in both languages) instead of failing, so every mistake is listed at once.
import Foundation
import Yams

extension PlanReader {
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
}
