import Foundation
import Testing
@testable import TongHop

/// A report that cannot be rendered stops the run with the template's name, never as an
/// empty page written in the report's place.
@Suite struct RenderFailureTests {
    /// The sample plan with its own `report/` folder: the shared index.mustache (what makes
    /// the folder the plan's templates), and `name` as given; the others are the shared ones.
    static func plan(withTemplate name: String, _ text: String) throws -> Plan {
        let folder = temporaryFolder("plan-broken-template") + "/khanh-hoa-2019"
        try FileManager.default.copyItem(atPath: Repo.plan2019, toPath: folder)
        try FileManager.default.createDirectory(atPath: folder + "/report", withIntermediateDirectories: true)
        try shared("index").write(toFile: folder + "/report/index.mustache", atomically: true, encoding: .utf8)
        try text.write(toFile: folder + "/report/\(name).mustache", atomically: true, encoding: .utf8)
        return try PlanLoader.load(folder: folder)
    }

    static func shared(_ name: String) throws -> String {
        try String(contentsOfFile: Repo.root.appendingPathComponent("templates/report/\(name).mustache").path, encoding: .utf8)
    }

    @Test func aPartialThatIsNotThereIsAnErrorNamingIt() throws {
        let index = try Self.shared("index")
        #expect(index.contains("{{> official-heading}}"))
        let plan = try Self.plan(withTemplate: "index", index.replacingOccurrences(of: "{{> official-heading}}", with: "{{> official-heding}}"))
        let error = #expect(throws: RenderError.self) { try ReportRenderer(plan: plan) }
        #expect(error?.path.hasSuffix("report/index.mustache") == true)
        #expect(error?.detail.contains("official-heding.mustache") == true)
    }

    @Test func aTemplateThatDoesNotParseIsAnError() throws {
        let plan = try Self.plan(withTemplate: "feedback", "<p>{{#targets}}{{name}}{{/target}}</p>")
        let error = #expect(throws: RenderError.self) { try ReportRenderer(plan: plan) }
        #expect(error?.path.hasSuffix("report/feedback.mustache") == true)
    }

    /// A feedback template that renders nothing: the run fails on it and writes no page,
    /// where it used to write every district an empty file.
    @Test func aPageThatRendersNothingStopsTheRunAndWritesNoFile() throws {
        let plan = try Self.plan(withTemplate: "feedback", "")
        let work = temporaryFolder("render-failure")
        let inbox = work + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("samples/inbox").path).sorted().prefix(3) {
            try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("samples/inbox/" + name).path, toPath: inbox + "/" + name)
        }
        let options = RunOptions(inbox: inbox, out: work + "/reports", database: work + "/tonghop.sqlite", asOf: Day("2019-12-05")!)
        var failure: RenderError?
        do {
            _ = try RunJob.run(plan: plan, options: options)
        } catch let RunJobError.render(e) {
            failure = e
        } catch {
            Issue.record("expected a render error, got \(error)")
        }
        let e = try #require(failure, "the run went through with a feedback template that renders nothing")
        #expect(e.path.hasSuffix("report/feedback.mustache"))
        #expect(e.detail.contains("feedback.mustache"))
        // Nothing of the period was written: no empty feedback pages, no report beside them.
        let period = work + "/reports/2019-11"
        #expect(!FileManager.default.fileExists(atPath: period + "/phan-hoi"))
        #expect(!FileManager.default.fileExists(atPath: period + "/index.html"))
    }

    @Test func partialsAreFoundInEveryTagForm() {
        #expect(ReportRenderer.partials(in: "a {{> style}} b {{>footer}}{{ > heading }} {{name}} {{#x}}{{/x}} {{< parent}}")
                == ["style", "footer", "heading", "parent"])
        // Odd tags: a triple mustache, an unclosed tag, a partial after a non-ASCII space,
        // Vietnamese text around them.
        #expect(ReportRenderer.partials(in: "{{{raw}}} Hội {{>\u{00A0}style }} {{ >style}} {{> *dynamic}} {{>}} {{> tail")
                == ["style"])
        #expect(ReportRenderer.partials(in: "{{\u{00A0}> heading}}{{>footer}}") == ["heading", "footer"])
    }

    /// The shipped templates name the same partials as a search through Foundation finds.
    @Test func theShippedTemplatesPartialsAreFoundAsByFoundation() throws {
        func byFoundation(_ text: String) -> [String] {
            var out: [String] = []
            var rest = Substring(text)
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                guard let close = rest.range(of: "}}") else { break }
                let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if let mark = tag.first, mark == ">" || mark == "<" {
                    let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty, !name.hasPrefix("*"), !out.contains(name) { out.append(name) }
                }
                rest = rest[close.upperBound...]
            }
            return out
        }
        let folder = Repo.root.appendingPathComponent("templates/report").path
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        #expect(names.count >= 9)
        var found = 0
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(ReportRenderer.partials(in: text) == byFoundation(text), "\(name)")
            found += byFoundation(text).count
        }
        #expect(found > 0)
    }
}
