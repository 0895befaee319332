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
        // A plan's own folder may hold only some templates; the others are the shared ones.
        library = try Self.compile(Self.templates, from: [folder] + candidates)
    }

    static let templates = ["index", "feedback", "periods", "guide", "style", "heading", "footer",
                             "official-heading", "official-signature"]

    /// The official heading (bodies, quốc hiệu, number, place and date) and the closing
    /// (Nơi nhận, signature) of a signed document, as HTML: the partials the báo cáo uses,
    /// for any other document of the province (a reminder công văn) to carry the same.
    public func official(_ blocks: OfficialBlocks) throws(RenderError) -> (heading: String, signature: String) {
        let page = OfficialPage(official: OfficialSection(blocks))
        return (try render(page, with: "official-heading"), try render(page, with: "official-signature"))
    }

    /// Every file of the period's folder, by path inside it. A page that does not render is a
    /// `RenderError`, never an empty file.
    /// Every workbook is made in memory, never staged in a folder.
    public func render(_ input: ReportInput) throws(RenderError) -> [String: Data] {
        do { return try Parallel.files(pieces(ReportModel(input: input))) } catch let e as RenderError {
            throw e
        } catch {
            throw RenderError(path: folder, detail: "\(error)")
        }
    }

    /// The same files as pieces that can be made side by side: the board's page, the
    /// workbook, the CSVs, then one piece per district page, in plan order.
    func pieces(_ model: ReportModel) -> [Parallel.Piece] {
        let input = model.input
        // Text from the districts' files cannot reorder or hide what the pages show.
        var out: [Parallel.Piece] = [
            { [("index.html", TextSafety.neutralised(Data(try render(model.index(), with: "index").utf8)))] },
            // The workbook is binary: its text from files is neutralised cell by cell.
            { model.workbook().map { [("tong-hop-\(input.period).xlsx", $0)] } ?? [] },
            { csv(model).sorted { $0.key < $1.key }.map { ("csv/" + $0.key, TextSafety.neutralised($0.value)) } },
        ]
        for u in input.plan.activeUnits {
            out.append {
                [("phan-hoi/\(Show.fileName(u.code)).html", TextSafety.neutralised(Data(try render(model.feedback(u), with: "feedback").utf8)))]
            }
        }
        return out
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
    public func periodsIndex(plan: Plan, entries: [PeriodEntry], asOf: Day) throws(RenderError) -> Data {
        Data(try render(PeriodsPage(plan: plan, entries: entries, asOf: asOf), with: "periods").utf8)
    }

    /// The secretariat's guide as a page beside the reports (its text is the project's own),
    /// from `huong-dan-su-dung.md` beside the templates or in the project's `docs/`.
    public func guide(plan: Plan) throws(RenderError) -> Data? {
        let candidates = [(folder as NSString).appendingPathComponent("huong-dan-su-dung.md"),
                          (((folder as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent as NSString)
                              .appendingPathComponent("docs/huong-dan-su-dung.md")]
        guard let text = candidates.lazy.compactMap({ FileManager.default.contents(atPath: $0) }).first else { return nil }
        let page = GuidePage(heading: plan.heading, body: MarkdownLite.html(String(decoding: text, as: UTF8.self)))
        return Data(try render(page, with: "guide").utf8)
    }

    /// One page through its template. The library hands back nil for a template it does not
    /// have; a page with no text at all is as much a failure (a file written empty would pass
    /// for a report).
    func render(_ page: some PageModel, with template: String) throws(RenderError) -> String {
        try Self.render(page, with: template, library: library, folder: folder)
    }

    static func render(_ page: some PageModel, with template: String, library: MustacheLibrary, folder: String) throws(RenderError) -> String {
        let path = (folder as NSString).appendingPathComponent(template + ".mustache")
        guard let text = library.render(page, withTemplate: template) else {
            throw RenderError(path: path, detail: "thiếu mẫu \(template).mustache")
        }
        guard !text.isEmpty else {
            throw RenderError(path: path, detail: "mẫu \(template).mustache không cho ra nội dung nào (tệp mẫu trống?)")
        }
        return text
    }

    /// The named templates, each from the first folder that has it, compiled once; every
    /// partial a template includes (`{{> name}}`) must be one of them — Mustache itself would
    /// leave it out of the page without a word.
    static func compile(_ names: [String], from folders: [String]) throws(RenderError) -> MustacheLibrary {
        let fm = FileManager.default
        var library = MustacheLibrary()
        var texts: [(name: String, path: String, text: String)] = []
        for name in names {
            let path = folders.map { ($0 as NSString).appendingPathComponent(name + ".mustache") }.first { fm.fileExists(atPath: $0) }
                ?? (folders[0] as NSString).appendingPathComponent(name + ".mustache")
            guard let text = fm.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw RenderError(path: path, detail: "thiếu mẫu \(name).mustache")
            }
            // The pages are HTML escaped as Mustache escapes them, by the faster equal
            // (`HTMLText`); the pragma's own line is standalone, so it leaves no trace.
            do { try library.register(HTMLText.pragma + text, named: name) } catch {
                throw RenderError(path: path, detail: "mẫu Mustache sai: \(error)")
            }
            texts.append((name, path, text))
        }
        for t in texts {
            for partial in partials(in: t.text) where !names.contains(partial) {
                throw RenderError(path: t.path, detail: "mẫu \(t.name).mustache gọi mẫu con \(partial).mustache, nhưng không có mẫu đó "
                                  + "(các mẫu có: \(names.joined(separator: ", ")))")
            }
        }
        return library
    }

    /// The partials a template includes: `{{> name}}` (and a parent, `{{< name}}`).
    static func partials(in text: String) -> [String] {
        var out: [String] = []
        let bytes = Array(text.utf8)
        let brace = UInt8(ascii: "{"), closing = UInt8(ascii: "}")
        /// The index of the next pair of `b` at or after `from`.
        func pair(_ b: UInt8, from: Int) -> Int? {
            var i = from
            while i + 1 < bytes.count {
                if bytes[i] == b && bytes[i + 1] == b { return i }
                i += 1
            }
            return nil
        }
        var at = 0
        while let open = pair(brace, from: at) {
            guard let close = pair(closing, from: open + 2) else { break }
            let inside = bytes[(open + 2)..<close]
            at = close + 2
            // Most tags are variables: only a tag whose first letter may be `>` or `<` is
            // read as text (with anything beyond ASCII, as Foundation trims it).
            let first = inside.first { $0 != 0x20 && $0 != 0x09 }
            guard first == UInt8(ascii: ">") || first == UInt8(ascii: "<") || inside.contains(where: { $0 >= 0x80 }) else { continue }
            let tag = String(decoding: inside, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if let mark = tag.first, mark == ">" || mark == "<" {
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !name.hasPrefix("*"), !out.contains(name) { out.append(name) }
            }
        }
        return out
    }

    func csv(_ model: ReportModel) -> [String: Data] {
        CSVExport.files(model, header: model.plan.csvHeader)
    }
}

/// HTML escaping exactly as swift-mustache's own (`<`, `>`, `&`, `"`, `'`, each compared as a
/// whole Character), without walking the Characters of a text that holds none of them (most
/// text of a page): that walk was a sixth of the time of rendering a national report.
struct HTMLText: MustacheContentType {
    static let name = "TONGHOP_HTML"

    /// The line put before every report template.
    static let pragma: String = {
        MustacheContentTypes.register(HTMLText(), named: name)
        return "{{% CONTENT_TYPE: \(name)}}\n"
    }()

    private static let escaped: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]

    func escapeText(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            if let replacement = Self.escaped[c] { out += replacement } else { out.append(c) }
        }
        return out
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
