// Pipeline: the nightly job. Lists the inbox, checks each new file (two at a time, in
// worker threads), records it in the ledger in one transaction, orders re-submissions,
// judges every report against its deadline, consolidates, evaluates the targets and writes
// the period's reports. The inbox is only read.
import Foundation
import Sheets

public struct RunOptions: Sendable {
    public var inbox: String
    public var out: String
    public var database: String
    public var asOf: Day
    /// The period the report folder is for; by default the latest month due by `asOf`.
    public var period: Period?
    public var workers = 2
    /// Also print the report to PDF with headless Chromium.
    public var pdf = false
    /// Check each file in a worker process (this executable and these arguments) under
    /// `workerLimits`; nil checks in this process (tests, libraries).
    public var worker: (executable: String, arguments: [String])?
    public var workerLimits = WorkerLimits()
    public var limits = ReadLimits.default

    public init(inbox: String, out: String, database: String, asOf: Day, period: Period? = nil) {
        self.inbox = inbox
        self.out = out
        self.database = database
        self.asOf = asOf
        self.period = period
    }
}

/// How the job tells what it is doing: stage lines, and progress through the new files.
public protocol RunProgress: AnyObject {
    func stage(_ text: String)
    func checked(_ done: Int, of total: Int)
}

public struct RunOutcome: Sendable {
    public var filesSeen = 0
    public var filesNew = 0
    /// Names of files whose bytes the ledger already had under another name.
    public var duplicates = 0
    public var unchanged = 0
    public var accepted = 0
    public var rejected = 0
    public var unidentified = 0
    public var unsupported = 0
    public var skipped: [(String, String)] = []
    public var statuses: [ReportStatus] = []
    /// Evaluated when the reports are rendered (not on a run that changes nothing).
    public var targets: [TargetResult] = []
    public var period: Period
    public var reportFolder: String
    public var reportsWritten = false
    /// The PDF written, or why it was not.
    public var pdf: String?
    public var pdfSkipped: String?

    /// A human must act: a report due is missing, late or rejected, or a file could not be used.
    public var needsHuman: Bool {
        statuses.contains { [.missing, .late, .rejected].contains($0.kind) }
    }
}

public enum RunJobError: Error, Sendable {
    case inbox(String)
    case locked(RunLock.Held)
    case ledger(LedgerError)
    case output(OutputError)
    case render(RenderError)
}

public enum RunJob {
    public static func run(plan: Plan, options: RunOptions, progress: RunProgress? = nil) throws(RunJobError) -> RunOutcome {
        let period = options.period ?? defaultPeriod(plan: plan, asOf: options.asOf)
        var outcome = RunOutcome(period: period, reportFolder: (options.out as NSString).appendingPathComponent(period.description))
        let lock: RunLock
        do {
            try FileManager.default.createDirectory(atPath: (options.database as NSString).deletingLastPathComponent.isEmpty ? "." : (options.database as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            lock = try RunLock(path: options.database + ".lock")
        } catch let held as RunLock.Held {
            throw .locked(held)
        } catch {
            throw .output(OutputError(path: options.database + ".lock", detail: error.localizedDescription))
        }
        defer { withExtendedLifetime(lock) {} }

        let renderer: ReportRenderer
        do { renderer = try ReportRenderer(plan: plan) } catch { throw .render(error) }

        let listing: InboxListing
        do { listing = try Inbox.list(options.inbox) } catch {
            throw .inbox(options.inbox)
        }
        let register = Inbox.register(options.inbox)
        outcome.filesSeen = listing.files.count
        outcome.skipped = listing.skipped
        progress?.stage("hộp thư \(options.inbox): \(listing.files.count) tệp")

        let ledger: Ledger
        do { ledger = try Ledger(path: options.database) } catch let e as LedgerError { throw .ledger(e) } catch {
            throw .ledger(LedgerError(path: options.database, detail: "\(error)"))
        }
        let startedAt = ISO8601DateFormatter().string(from: Date())
        do {
            // Which files are new: by their bytes, not their names. A name recorded with the
            // same size and time is taken as unchanged without reading it (as make and rsync do).
            let seen = try ledger.seenNames()
            var fresh: [(InboxFile, String, Bool)] = []
            var seenThisRun: [String: String] = [:]
            for f in listing.files {
                let mtime = f.modified.timeIntervalSince1970
                if let s = seen[f.relative], s.size == f.size, s.mtime == mtime {
                    outcome.unchanged += 1
                    continue
                }
                let (digest, _) = try SHA256.file(f.path)
                if let known = try ledger.knownFile(sha256: digest) {
                    if let s = seen[f.relative], s.fileId == known.id {
                        try ledger.touch(f.relative, file: known.id, size: f.size, mtime: mtime, asOf: options.asOf, startedAt: startedAt)
                        outcome.unchanged += 1
                    } else {
                        try ledger.addName(f.relative, to: known.id, size: f.size, mtime: mtime, asOf: options.asOf, startedAt: startedAt)
                        outcome.duplicates += 1
                    }
                } else if seenThisRun[digest] != nil {
                    fresh.append((f, digest, true))  // a copy: recorded as a name of the first
                } else {
                    seenThisRun[digest] = f.relative
                    fresh.append((f, digest, false))
                }
            }
            progress?.stage("\(fresh.filter { !$0.2 }.count) tệp mới cần kiểm tra"
                + (options.worker != nil ? ", mỗi tệp trong một tiến trình riêng (tối đa \(options.workerLimits.cpuSeconds) giây máy, \(options.workerLimits.memoryMiB) MB)" : ""))
            try checkAndRecord(fresh, plan: plan, options: options, register: register, ledger: ledger,
                               startedAt: startedAt, outcome: &outcome, progress: progress)
            try ledger.resolveVersions(asOf: options.asOf, startedAt: startedAt)
            let submissions = try ledger.submissions()
            outcome.statuses = Completeness.statuses(plan: plan, submissions: submissions, asOf: options.asOf)
            progress?.stage("sổ cái \(options.database): \(try ledger.fileCount()) tệp đã ghi")
            // Reports are rendered again only when what they show can have changed: the
            // ledger, the day, the period, the plan or its templates.
            let fingerprint = [try ledger.stateToken(), options.asOf.description, period.description,
                               PlanDigest.of(plan: plan, templates: renderer.folder)].joined(separator: "|")
            let folderExists = ["index.html", "summary.json"].allSatisfy {
                FileManager.default.fileExists(atPath: (outcome.reportFolder as NSString).appendingPathComponent($0))
            }
            if try folderExists && ledger.reportFingerprint(period: period.description) == fingerprint {
                outcome.reportsWritten = false
            } else {
                let inUse = outcome.statuses.filter { $0.kind == .onTime || $0.kind == .late }.compactMap(\.submission)
                var consolidation = Consolidation(plan: plan, statuses: outcome.statuses, totals: try ledger.totals(submissions: inUse))
                try consolidation.loadRows { try ledger.values(submissions: $0) }
                outcome.targets = TargetEvaluation.evaluate(plan: plan, consolidation: consolidation)
                let files = try ledger.files()
                let changes = try ledger.changes()
                var input = ReportInput(plan: plan, asOf: options.asOf, period: period, statuses: outcome.statuses, targets: outcome.targets,
                                        consolidation: consolidation, files: files, submissions: submissions, findings: try ledger.findingsByFile(),
                                        changes: changes,
                                        derived: DerivedFindings.compute(plan: plan, statuses: outcome.statuses, consolidation: consolidation))
                try input.loadChangeDetails(ledger)
                let summary = try Summary.json(input)
                var output = renderer.render(input)
                output["summary.json"] = summary
                for (path, data) in FeedbackWorkbooks.make(input, inbox: options.inbox) { output[path] = data }
                outcome.reportsWritten = try ReportFolder.write(output, out: options.out, name: period.description)
                try ledger.setReportFingerprint(fingerprint, period: period.description, asOf: options.asOf, startedAt: startedAt)
            }
            progress?.stage((outcome.reportsWritten ? "đã ghi báo cáo " : "báo cáo không đổi ") + outcome.reportFolder)
            if options.pdf {
                let pdf = (outcome.reportFolder as NSString).appendingPathComponent("bao-cao-\(period).pdf")
                if outcome.reportsWritten || !FileManager.default.fileExists(atPath: pdf) {
                    outcome.pdfSkipped = PDFPrinter.print(html: (outcome.reportFolder as NSString).appendingPathComponent("index.html"), to: pdf)
                }
                if outcome.pdfSkipped == nil { outcome.pdf = pdf }
            }
            try PeriodReports.afterRun(plan: plan, renderer: renderer, ledger: ledger, out: options.out, inbox: options.inbox,
                                       selected: period, asOf: options.asOf, pdf: options.pdf, startedAt: startedAt)
            if let guide = renderer.guide(plan: plan) {
                try ReportFolder.writeFile(guide, to: (options.out as NSString).appendingPathComponent("huong-dan-su-dung.html"))
            }
            try ledger.finishRun(finishedAt: ISO8601DateFormatter().string(from: Date()))
        } catch let e as RunJobError {
            throw e
        } catch let e as OutputError {
            throw .output(e)
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .ledger(LedgerError(path: options.database, detail: "\(error)"))
        }
        return outcome
    }

    /// Results of the worker threads, each written once by its own thread.
    final class Results: @unchecked Sendable {
        private var items: [FileResult?]
        private let lock = NSLock()

        init(count: Int) { items = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ r: FileResult) { lock.lock(); items[i] = r; lock.unlock() }

        func get(_ i: Int) -> FileResult? { lock.lock(); defer { lock.unlock() }; return items[i] }
    }

    /// The latest monthly period due by `asOf` (the month the board meets about), or the year.
    public static func defaultPeriod(plan: Plan, asOf: Day) -> Period {
        let months = Period.all(.month, in: plan.year) + Period.all(.month, in: plan.year - 1)
        let monthly = plan.forms.first { $0.periodKind == .month }
        let unit = plan.activeUnits.first?.code ?? ""
        let due = months.filter { p in
            let deadline = monthly.flatMap { plan.due(form: $0.id, period: p, unit: unit) }
            return deadline.map { $0 <= asOf } ?? (plan.cutoff.end(of: p) < asOf)
        }
        return due.max() ?? Period(kind: .year, year: plan.year, index: 1)!
    }

    /// Checks files in worker threads, a batch at a time, and records each batch in order.
    static func checkAndRecord(_ fresh: [(InboxFile, String, Bool)], plan: Plan, options: RunOptions, register: [String: Day],
                               ledger: Ledger, startedAt: String, outcome: inout RunOutcome, progress: RunProgress?) throws {
        let killAfter = ProcessInfo.processInfo.environment["TONGHOP_TEST_KILL_AFTER_FILES"].flatMap { Int($0) }
        let pool = options.worker.map {
            WorkerPool(executable: $0.executable, arguments: $0.arguments, size: max(options.workers, 1), limits: options.workerLimits, plan: plan)
        }
        var recorded = 0
        let batch = max(options.workers * 4, 1)
        var start = 0
        while start < fresh.count {
            let slice = Array(fresh[start..<min(start + batch, fresh.count)])
            let results = Results(count: slice.count)
            DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                let (f, _, isCopy) = slice[i]
                // Only the first copy of identical bytes is checked; the others become names.
                guard !isCopy else { return }
                if let pool {
                    results.set(i, pool.check(path: f.path, relative: f.relative))
                } else {
                    results.set(i, FileCheck.check(path: f.path, relative: f.relative, plan: plan, limits: options.limits))
                }
            }
            for (i, (f, digest, _)) in slice.enumerated() {
                if let known = try ledger.knownFile(sha256: digest) {
                    try ledger.addName(f.relative, to: known.id, size: f.size, mtime: f.modified.timeIntervalSince1970,
                                       asOf: options.asOf, startedAt: startedAt)
                    outcome.duplicates += 1
                    continue
                }
                guard let r = results.get(i) else { continue }
                try ledger.record(r, sha256: digest, size: f.size, mtime: f.modified.timeIntervalSince1970,
                                  receivedOn: Inbox.receivedDate(f, register: register),
                                  asOf: options.asOf, startedAt: startedAt)
                outcome.filesNew += 1
                switch r.status {
                case .accepted: outcome.accepted += 1
                case .rejected: outcome.rejected += 1
                case .unidentified: outcome.unidentified += 1
                case .unsupported: outcome.unsupported += 1
                }
                recorded += 1
                if let killAfter, recorded >= killAfter { kill(getpid(), SIGKILL) }
            }
            start += slice.count
            progress?.checked(start, of: fresh.count)
        }
    }
}
