// Pipeline: the reports of every period, not only the run's own. After a run writes its
// period, earlier periods still open (tạm tính) are written again when the ledger changed
// (a late November file received on 20 December updates November's report); a closed period
// (đã chốt, `tonghop close`) is never rewritten: files for it that arrive later go into a
// numbered re-issue beside it, `2019-11-lan-2`, listing them. Then the period index.
import Foundation

public enum PeriodReports {
    /// The marker a closed folder holds: ReportFolder never replaces a folder that has it.
    public static let closedMarker = "da-chot.txt"

    /// The report of `period` as the ledger holds it on `asOf`.
    public static func input(plan: Plan, ledger: Ledger, period: Period, asOf: Day, state: PeriodState = .provisional,
                             out: String) throws -> ReportInput {
        let submissions = try ledger.submissions()
        return try input(plan: plan, ledger: ledger, period: period, asOf: asOf, state: state, out: out, submissions: submissions,
                         statuses: Completeness.statuses(plan: plan, submissions: submissions, asOf: asOf))
    }

    /// The same, from the submissions and statuses the run has already judged.
    static func input(plan: Plan, ledger: Ledger, period: Period, asOf: Day, state: PeriodState = .provisional, out: String,
                      submissions: [Ledger.StoredSubmission], statuses: [ReportStatus]) throws -> ReportInput {
        let consolidation = try ledger.consolidation(plan: plan, statuses: statuses)
        let targets = TargetEvaluation.evaluate(plan: plan, consolidation: consolidation)
        var input = ReportInput(plan: plan, asOf: asOf, period: period, statuses: statuses, targets: targets,
                                consolidation: consolidation, files: try ledger.files(), submissions: submissions,
                                findings: try ledger.findingsByFile(), changes: try ledger.changes(),
                                derived: DerivedFindings.compute(plan: plan, statuses: statuses, consolidation: consolidation))
        input.state = state
        try input.loadChangeDetails(ledger)
        input.history = history(out: out, period: period)
        try input.loadLastYear(ledger)
        return input
    }

    /// Every file of the period's folder.
    public static func files(_ input: ReportInput, renderer: ReportRenderer, inbox: String) throws -> [String: Data] {
        var output = try renderer.render(input)
        output["summary.json"] = try Summary.json(input)
        for (path, data) in FeedbackWorkbooks.make(input, inbox: inbox) { output[path] = data }
        if input.state.closed {
            let s = input.state
            output[closedMarker] = Data(("Báo cáo \(input.period.vietnamese)\(s.issueSuffix) đã chốt"
                + (s.closedOn.map { " ngày \($0.vietnamese)" } ?? "") + ", số liệu đến ngày \(input.asOf.vietnamese).\n"
                + "Chương trình không ghi lại thư mục này. Các tệp của kỳ nhận sau đó có trong báo cáo lần sau "
                + "(thư mục \(input.period)-lan-2, \(input.period)-lan-3 …).\n").utf8)
        }
        return output
    }

    /// What a closed issue stands on: every submission for the period or one before it
    /// received by `asOf`, with its status and whether a later version replaced it.
    static func basis(_ submissions: [Ledger.StoredSubmission], plan: Plan, period: Period, asOf: Day) -> [String] {
        let end = plan.cutoff.end(of: period)
        return submissions.filter { s in
            guard s.receivedOn <= asOf, let p = s.period.flatMap(Period.init) else { return false }
            return plan.cutoff.end(of: p) <= end
        }.map { "\($0.id):\($0.status.rawValue):\($0.supersededBy.map(String.init) ?? "")" }.sorted()
    }

    /// The province's targets as the reports of the earlier periods of the same kind in the
    /// year showed them, from their summary.json (last year's comes from the ledger).
    public static func history(out: String, period: Period) -> [TargetPoint] {
        var points: [TargetPoint] = []
        for name in ReportFolder.periods(out) {
            guard let p = Period(name), p.kind == period.kind, p.year == period.year, p < period,
                  let data = FileManager.default.contents(atPath: (out as NSString).appendingPathComponent(name + "/summary.json")),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let targets = json["targets"] as? [[String: Any]] else { continue }
            for t in targets where t["district"] as? String == "province" {
                guard let id = t["target"] as? String else { continue }
                let progress = t["progress"] as? [String: Any]
                points.append(TargetPoint(period: p, target: id, value: t["value"] as? Double, status: t["status"] as? String ?? "",
                                          threshold: t["threshold"] as? Double, expected: progress?["expected_to_date"] as? Double))
            }
        }
        return points
    }

    /// The as-of day a written folder shows (its summary.json), if any.
    static func shownAsOf(_ folder: String) -> Day? {
        let path = (folder as NSString).appendingPathComponent("summary.json")
        // summary.json is written with sorted keys, so "as_of" opens it: its first bytes are
        // enough (a national summary is megabytes, read for every period of the index).
        if let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            if let head = try? handle.read(upToCount: 64), let day = leadingAsOf(head) { return day }
        }
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let d = json["as_of"] as? String else { return nil }
        return Day(d)
    }

    /// The day of `{ "as_of" : "YYYY-MM-DD"` at the start of a summary, nil for anything else.
    static func leadingAsOf(_ head: Data) -> Day? {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        var bytes = head[...].drop(while: isSpace)
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        bytes = bytes.dropFirst().drop(while: isSpace)
        let key = Array("\"as_of\"".utf8)
        guard bytes.starts(with: key) else { return nil }
        bytes = bytes.dropFirst(key.count).drop { $0 == 0x20 }
        guard bytes.first == UInt8(ascii: ":") else { return nil }
        bytes = bytes.dropFirst().drop { $0 == 0x20 }
        guard bytes.first == UInt8(ascii: "\""), let close = bytes.dropFirst().firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(bytes: bytes[bytes.index(after: bytes.startIndex)..<close], encoding: .utf8).flatMap(Day.init)
    }

    public struct CloseOutcome: Sendable {
        public var folder: String
        public var asOf: Day
        public var alreadyClosedOn: Day?
    }

    public enum CloseError: Error, Sendable {
        case noReport(String)
        case output(OutputError)
    }

    /// `tonghop close`: writes the period's report one last time, marked đã chốt, at the as-of
    /// day it shows (or `asOf` when it has none), and records lần 1. Never rewrites a closed one.
    public static func close(plan: Plan, renderer: ReportRenderer, ledger: Ledger, out: String, inbox: String,
                             period: Period, on today: Day, asOf: Day?) throws -> CloseOutcome {
        let folder = (out as NSString).appendingPathComponent(period.description)
        if let first = try ledger.periodIssues()[period.description]?.first {
            return CloseOutcome(folder: folder, asOf: first.asOf, alreadyClosedOn: first.writtenOn)
        }
        guard let day = asOf ?? shownAsOf(folder) else { throw CloseError.noReport(folder) }
        let state = PeriodState(closed: true, issue: 1, closedOn: today, previousAsOf: nil, previousFolder: nil, arrivals: [])
        let input = try input(plan: plan, ledger: ledger, period: period, asOf: day, state: state, out: out)
        let pdf = (folder as NSString).appendingPathComponent("bao-cao-\(period).pdf")
        let hadPDF = FileManager.default.fileExists(atPath: pdf)
        do { try ReportFolder.write(try files(input, renderer: renderer, inbox: inbox), out: out, name: period.description) } catch let e as OutputError {
            throw CloseError.output(e)
        }
        if hadPDF { _ = PDFPrinter.print(html: (folder as NSString).appendingPathComponent("index.html"), to: pdf) }
        try ledger.addPeriodIssue(Ledger.PeriodIssue(period: period.description, issue: 1, asOf: day, writtenOn: today, folder: period.description,
                                                     basis: basis(input.submissions, plan: plan, period: period, asOf: day)))
        return CloseOutcome(folder: folder, asOf: day, alreadyClosedOn: nil)
    }

    /// After the run wrote its own period: earlier open periods written again when the ledger
    /// changed, closed periods re-issued when files for them arrived, and the period index.
    /// Returns the folders written. `submissions` are the ledger's as judged this run
    /// (versions resolved).
    @discardableResult
    public static func afterRun(plan: Plan, renderer: ReportRenderer, ledger: Ledger, submissions: [Ledger.StoredSubmission],
                                out: String, inbox: String, selected: Period, asOf: Day, pdf: Bool) throws -> [String] {
        var written: [String] = []
        let issues = try ledger.periodIssues()
        let token = try ledger.stateToken() + "|" + PlanDigest.of(plan: plan, templates: renderer.folder)
        for name in ReportFolder.periods(out) {
            guard let period = Period(name) else { continue }
            let folder = (out as NSString).appendingPathComponent(name)
            if let closed = issues[name], let last = closed.last {
                // A re-issue only for files received after the last issue, never going back.
                guard asOf >= last.asOf else { continue }
                let now = basis(submissions, plan: plan, period: period, asOf: asOf)
                guard now != last.basis else { continue }
                let before = Set(last.basis.map { $0.split(separator: ":").first.map(String.init) ?? "" })
                let arrivals = submissions.filter { !before.contains(String($0.id)) && now.contains("\($0.id):\($0.status.rawValue):\($0.supersededBy.map(String.init) ?? "")") }
                    .sorted { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
                    .map { PeriodState.Arrival(unit: $0.unit ?? "", form: $0.form, period: $0.period ?? "", file: $0.file,
                                               received: $0.receivedOn, status: $0.status) }
                let issue = last.issue + 1
                let state = PeriodState(closed: true, issue: issue, closedOn: closed.first?.writtenOn, previousAsOf: last.asOf,
                                        previousFolder: last.folder, arrivals: arrivals)
                let target = PeriodState.folder(period: name, issue: issue)
                let input = try input(plan: plan, ledger: ledger, period: period, asOf: asOf, state: state, out: out)
                try ReportFolder.write(try files(input, renderer: renderer, inbox: inbox), out: out, name: target)
                try ledger.addPeriodIssue(Ledger.PeriodIssue(period: name, issue: issue, asOf: asOf, writtenOn: asOf, folder: target, basis: now))
                written.append(target)
                if pdf { _ = PDFPrinter.print(html: (out as NSString).appendingPathComponent(target + "/index.html"),
                                              to: (out as NSString).appendingPathComponent("\(target)/bao-cao-\(target).pdf")) }
                continue
            }
            guard period != selected else { continue }
            // An open period: written again, at the later of its own day and the run's, when
            // the ledger, the plan or the templates changed since it was written.
            let day = max(asOf, shownAsOf(folder) ?? asOf)
            let fingerprint = "open|" + token + "|" + name
            guard try ledger.reportFingerprint(period: name) != fingerprint else { continue }
            let input = try input(plan: plan, ledger: ledger, period: period, asOf: day, out: out)
            if try ReportFolder.write(try files(input, renderer: renderer, inbox: inbox), out: out, name: name) {
                written.append(name)
                let pdfPath = (folder as NSString).appendingPathComponent("bao-cao-\(name).pdf")
                if pdf || FileManager.default.fileExists(atPath: pdfPath) {
                    _ = PDFPrinter.print(html: (folder as NSString).appendingPathComponent("index.html"), to: pdfPath)
                }
            }
            try ledger.setReportFingerprint(fingerprint, period: name)
        }
        try writeIndex(plan: plan, renderer: renderer, ledger: ledger, out: out, asOf: asOf)
        return written
    }

    /// `reports/index.html`: each period with its as-of day, tạm tính or đã chốt, its issues
    /// and links to the page, the PDF, the workbook and the CSV folder. "Cập nhật đến" is the
    /// latest as-of day any run has reported: it never goes back.
    public static func writeIndex(plan: Plan, renderer: ReportRenderer, ledger: Ledger, out: String, asOf: Day) throws {
        let horizon = try ledger.raiseHorizon(asOf)
        let issues = try ledger.periodIssues()
        let fm = FileManager.default
        var entries: [ReportRenderer.PeriodEntry] = []
        for name in ReportFolder.periods(out) {
            guard let period = Period(name) else { continue }
            let folders = issues[name].map { $0.map { ($0.folder, $0.issue) } } ?? [(name, 1)]
            let links = folders.map { folder, issue -> ReportRenderer.PeriodEntry.Issue in
                let path = (out as NSString).appendingPathComponent(folder)
                func has(_ f: String) -> Bool { fm.fileExists(atPath: (path as NSString).appendingPathComponent(f)) }
                return .init(issue: issue, folder: folder, asOf: shownAsOf(path),
                             pdf: has("bao-cao-\(folder).pdf") ? "bao-cao-\(folder).pdf" : nil,
                             xlsx: has("tong-hop-\(name).xlsx") ? "tong-hop-\(name).xlsx" : nil)
            }
            entries.append(.init(period: period, closedOn: issues[name]?.first?.writtenOn, issues: links))
        }
        try ReportFolder.writeFile(renderer.periodsIndex(plan: plan, entries: entries, asOf: horizon),
                                   to: (out as NSString).appendingPathComponent("index.html"))
    }
}
