// Rendering: the board's report, the districts' feedback pages and the CSV exports of one
// period, through Mustache templates (`report/` in the plan folder overrides the shared
// `templates/report/`). Templates are compiled once per run.
import Foundation
import Mustache

public struct RenderError: Error, Sendable {
    public var path: String
    public var detail: String
}

public struct ReportRenderer: Sendable {
    let library: MustacheLibrary
    public let folder: String

    /// The report templates for a plan: its own `report/` folder, else `report/` beside it,
    /// else `./templates/report`, else the install's (`PlanLocation.reportFolders`).
    public init(plan: Plan) throws(RenderError) {
        let candidates = PlanLocation.reportFolders(plan: plan.folder)
        let fm = FileManager.default
        guard let folder = candidates.first(where: { fm.fileExists(atPath: ($0 as NSString).appendingPathComponent("index.mustache")) }) else {
            throw RenderError(path: candidates[1], detail: "không có mẫu báo cáo (index.mustache) trong \(candidates.joined(separator: ", "))")
        }
        self.folder = folder
        var library = MustacheLibrary()
        for name in Self.templates {
            // A plan's own folder may hold only some templates; the others are the shared ones.
            let path = ([folder] + candidates).map { ($0 as NSString).appendingPathComponent(name + ".mustache") }
                .first { fm.fileExists(atPath: $0) } ?? (folder as NSString).appendingPathComponent(name + ".mustache")
            guard let text = fm.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw RenderError(path: path, detail: "thiếu mẫu \(name).mustache")
            }
            do { try library.register(text, named: name) } catch {
                throw RenderError(path: path, detail: "mẫu Mustache sai: \(error)")
            }
        }
        self.library = library
    }

    static let templates = ["index", "feedback", "periods", "guide", "style", "heading", "footer",
                             "official-heading", "official-signature"]

    /// The official heading (bodies, quốc hiệu, number, place and date) and the closing
    /// (Nơi nhận, signature) of a signed document, as HTML: the partials the báo cáo uses,
    /// for any other document of the province (a reminder công văn) to carry the same.
    public func official(_ blocks: OfficialBlocks) -> (heading: String, signature: String) {
        let m: [String: Any] = ["official": blocks.mustache]
        return (library.render(m, withTemplate: "official-heading") ?? "", library.render(m, withTemplate: "official-signature") ?? "")
    }

    /// Every file of the period's folder, by path inside it.
    /// The workbook is staged in `scratch` (the output folder), never in the system's
    /// temporary folder: district data stays where the reports are.
    public func render(_ input: ReportInput, scratch: String? = nil) -> [String: Data] {
        let model = ReportModel(input: input)
        var files: [String: Data] = [:]
        files["index.html"] = Data((library.render(model.index(), withTemplate: "index") ?? "").utf8)
        for u in input.plan.activeUnits {
            files["phan-hoi/\(Show.fileName(u.code)).html"] = Data((library.render(model.feedback(u), withTemplate: "feedback") ?? "").utf8)
        }
        for (name, data) in csv(model) { files["csv/" + name] = data }
        // Text from the districts' files cannot reorder or hide what the pages show.
        files = files.mapValues(TextSafety.neutralised)
        // The workbook is binary: its text from files is neutralised cell by cell.
        if let book = model.workbook(scratch: scratch) { files["tong-hop-\(input.period).xlsx"] = book }
        return files
    }

    /// One period of the index: its issues (one while it is open) and what each folder holds.
    public struct PeriodEntry: Sendable {
        public struct Issue: Sendable {
            public var issue: Int
            public var folder: String
            public var asOf: Day?
            public var pdf: String?
            public var xlsx: String?
        }

        public var period: Period
        public var closedOn: Day?
        public var issues: [Issue]
    }

    /// `reports/index.html`: every period, newest first, with its as-of day, tạm tính or đã
    /// chốt, and links to the page, PDF, workbook and CSV of each issue.
    public func periodsIndex(plan: Plan, entries: [PeriodEntry], asOf: Day) -> Data {
        let items = entries.sorted { $0.period > $1.period }.map { e -> [String: Any] in
            ["title": e.period.vietnamese, "code": e.period.description,
             "state": e.closedOn.map { "đã chốt ngày \($0.vietnamese)" } ?? "tạm tính", "closed": e.closedOn != nil,
             "issues": e.issues.map { i -> [String: Any] in
                 var m: [String: Any] = ["href": "\(i.folder)/index.html", "csv": "\(i.folder)/csv/",
                                         "label": e.issues.count > 1 || i.issue > 1 ? "Lần \(i.issue)" : "Báo cáo",
                                         "asOf": i.asOf?.vietnamese ?? "—", "hasPDF": i.pdf != nil, "hasXLSX": i.xlsx != nil]
                 if let p = i.pdf { m["pdf"] = "\(i.folder)/\(p)" }
                 if let x = i.xlsx { m["xlsx"] = "\(i.folder)/\(x)" }
                 return m
             }]
        }
        let model: [String: Any] = ["heading": plan.heading, "organisation": plan.organisation, "periods": items,
                                    "asOf": asOf.vietnamese]
        return Data((library.render(model, withTemplate: "periods") ?? "").utf8)
    }

    /// The secretariat's guide as a page beside the reports (its text is the project's own),
    /// from `huong-dan-su-dung.md` beside the templates or in the project's `docs/`.
    public func guide(plan: Plan) -> Data? {
        let candidates = [(folder as NSString).appendingPathComponent("huong-dan-su-dung.md"),
                          (((folder as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent as NSString)
                              .appendingPathComponent("docs/huong-dan-su-dung.md")]
        guard let text = candidates.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first else { return nil }
        let model: [String: Any] = ["heading": plan.heading, "body": MarkdownLite.html(String(decoding: text, as: UTF8.self))]
        return Data((library.render(model, withTemplate: "guide") ?? "").utf8)
    }

    func csv(_ model: ReportModel) -> [String: Data] {
        CSVExport.files(model, header: model.plan.csvHeader)
    }
}

/// The few Markdown forms the guide uses: headings, paragraphs, lists, `code`, **bold**.
enum MarkdownLite {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func inline(_ s: String) -> String {
        var t = escape(s)
        for (mark, tag) in [("**", "strong"), ("`", "code")] {
            let parts = t.components(separatedBy: mark)
            guard parts.count >= 3 else { continue }
            t = parts.enumerated().map { i, p in i == 0 ? p : (i % 2 == 1 ? "<\(tag)>" : "</\(tag)>") + p }.joined()
            if parts.count % 2 == 0 { t += "</\(tag)>" }
        }
        return t
    }

    static func html(_ markdown: String) -> String {
        var out = ""
        var paragraph: [String] = []
        var list: String?
        var inCode = false
        func flush() {
            if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"; paragraph = [] }
            if let l = list { out += "</\(l)>\n"; list = nil }
        }
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                flush()
                out += inCode ? "</pre>\n" : "<pre>"
                inCode.toggle()
                continue
            }
            if inCode { out += escape(line) + "\n"; continue }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { flush(); continue }
            if let level = ["### ": 3, "## ": 2, "# ": 1].first(where: { t.hasPrefix($0.key) }) {
                flush()
                out += "<h\(level.value)>\(inline(String(t.dropFirst(level.key.count))))</h\(level.value)>\n"
            } else if t.hasPrefix("- ") || t.first?.isNumber == true && t.contains(". ") && t.prefix(while: \.isNumber).count > 0 && t.dropFirst(t.prefix(while: \.isNumber).count).hasPrefix(". ") {
                let ordered = !t.hasPrefix("- ")
                let tag = ordered ? "ol" : "ul"
                if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"; paragraph = [] }
                if list != tag { if let l = list { out += "</\(l)>\n" }; out += "<\(tag)>\n"; list = tag }
                let text = ordered ? String(t.drop(while: \.isNumber).dropFirst(2)) : String(t.dropFirst(2))
                out += "<li>\(inline(text))</li>\n"
            } else {
                if list != nil, line.hasPrefix("  ") { out = String(out.dropLast(6)) + " " + inline(t) + "</li>\n"; continue }
                if let l = list { out += "</\(l)>\n"; list = nil }
                paragraph.append(t)
            }
        }
        flush()
        return out
    }
}
