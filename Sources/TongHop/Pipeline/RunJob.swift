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
    /// A file is read only when it was last changed at least this many seconds before the
    /// run started (`tonghop run` says 5); a file changed later is left for the next run.
    public var settleSeconds: Double = 0

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
    /// Files not read this time (still being written, gone, a limit lowered): retried next run.
    public var notRead = 0
    /// A new ledger was created by this run.
    public var ledgerCreated = false
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
    /// Options that contradict each other (an output inside the inbox): a usage error.
    case usage(vi: String, en: String)
    case locked(RunLock.Held)
    case lockFailed(path: String, detail: String)
    case ledger(LedgerError)
    case output(OutputError)
    case render(RenderError)
}

public enum RunJob {
    public static func run(plan: Plan, options: RunOptions, progress: RunProgress? = nil) throws(RunJobError) -> RunOutcome {
        let period = options.period ?? defaultPeriod(plan: plan, asOf: options.asOf)
        let runStarted = Date()
        var outcome = RunOutcome(period: period, reportFolder: (options.out as NSString).appendingPathComponent(period.description))
        if let conflict = overlap(options) { throw conflict }
        // No folder is made for the ledger: a mistyped --db is said, not given a new ledger.
        let ledgerFolder = (options.database as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: ledgerFolder.isEmpty ? "." : ledgerFolder, isDirectory: &isFolder) || !isFolder.boolValue {
            throw .ledger(LedgerError(path: options.database, detail: ledgerFolder, kind: .noFolder))
        }
        // One lock per ledger, whatever path reaches it.
        let lock: RunLock
        let lockPath = RunLock.canonical(options.database) + ".lock"
        do {
            lock = try RunLock(path: lockPath)
        } catch let held as RunLock.Held {
            throw .locked(held)
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code ?? Int(EIO)
            throw .lockFailed(path: lockPath, detail: String(cString: strerror(Int32(code))))
        }
        defer { withExtendedLifetime(lock) {} }

        let renderer: ReportRenderer
        do { renderer = try ReportRenderer(plan: plan) } catch { throw .render(error) }

        let listing: InboxListing
        do { listing = try Inbox.list(options.inbox, settleSeconds: options.settleSeconds, now: runStarted) } catch {
            throw .inbox(options.inbox)
        }
        let register = Inbox.register(options.inbox)
        outcome.filesSeen = listing.files.count
        outcome.skipped = listing.skipped
        outcome.notRead = listing.skipped.filter { $0.1 == Inbox.Skip.stillWriting }.count
        progress?.stage("hộp thư \(options.inbox): \(listing.files.count) tệp")
        TestHook.run("TONGHOP_TEST_AFTER_LIST", argument: options.inbox)

        let ledger: Ledger
        do {
            let opened = try Ledger.open(options.database, mode: .createIfMissing)
            ledger = opened.ledger
            outcome.ledgerCreated = opened.created
            if opened.created { progress?.stage("tạo sổ cái mới \(options.database) (chưa có tệp nào ở đó)") }
        } catch { throw .ledger(error) }

        let startedAt = ISO8601DateFormatter().string(from: Date())
        do {
            // Which files are new: by their bytes, not their names. A name recorded with the
            // same size and time is taken as unchanged without reading it (as make and rsync do).
            let seen = try ledger.seenNames()
            var groups: [String: FreshFile] = [:]
            var order: [String] = []
            var held = 0
            for f in listing.files {
                let mtime = f.modified.timeIntervalSince1970
                if seen[f.relative]?.contains(where: { $0.size == f.size && $0.mtime == mtime }) == true {
                    outcome.unchanged += 1
                    continue
                }
                // Read once, hashed once: what is checked below is these bytes.
                let snapshot: FileSnapshot
                do throws(TransientReadFailure) { snapshot = try FileSnapshot.read(f) } catch {
                    outcome.skipped.append((f.relative, error.reason))
                    outcome.notRead += 1
                    continue
                }
                TestHook.run("TONGHOP_TEST_AFTER_HASH", argument: f.path)
                let digest = snapshot.sha256
                let received = Inbox.receivedDate(f, register: register)
                if let known = try ledger.knownFile(sha256: digest) {
                    if known.names.contains(f.relative) {
                        try ledger.touch(f.relative, file: known.id, size: f.size, mtime: mtime, asOf: options.asOf, startedAt: startedAt)
                        outcome.unchanged += 1
                    } else {
                        try ledger.addName(f.relative, to: known.id, size: f.size, mtime: mtime, receivedOn: received,
                                           asOf: options.asOf, startedAt: startedAt)
                        outcome.duplicates += 1
                    }
                } else if groups[digest] != nil {
                    groups[digest]!.names.append((f, received))  // a copy: recorded as a name of the first
                } else {
                    // Bytes are kept for the check up to a budget; beyond it they are read
                    // again and must hash the same.
                    let keep = held + snapshot.bytes.count <= 1 << 30
                    if keep { held += snapshot.bytes.count }
                    groups[digest] = FreshFile(sha256: digest, bytes: keep ? snapshot.bytes : nil, names: [(f, received)])
                    order.append(digest)
                }
            }
            let fresh = order.map { groups[$0]! }
            progress?.stage("\(fresh.count) tệp mới cần kiểm tra"
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
                try ledger.verifyFully()
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
                input.history = PeriodReports.history(out: options.out, period: period)
                try input.loadLastYear(ledger)
                let summary = try Summary.json(input)
                var output = try renderer.render(input, scratch: options.out)
                output["summary.json"] = summary
                for (path, data) in FeedbackWorkbooks.make(input, inbox: options.inbox, scratch: options.out) { output[path] = data }
                for (path, data) in UpwardWorkbooks.make(input) { output[path] = data }
                for (path, data) in Messages.make(input) { output[path] = data }
                for (path, data) in try Letters.make(input, renderer: renderer, numbers: {
                    try ledger.letterNumbers(year: plan.year, keys: $0, asOf: options.asOf) }) { output[path] = data }
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
                if outcome.reportsWritten, let skipped = Letters.printPDFs(reportFolder: outcome.reportFolder) { outcome.pdfSkipped = outcome.pdfSkipped ?? skipped }
            }
            try PeriodReports.afterRun(plan: plan, renderer: renderer, ledger: ledger, out: options.out, inbox: options.inbox,
                                       selected: period, asOf: options.asOf, pdf: options.pdf, startedAt: startedAt)
            if let guide = try renderer.guide(plan: plan) {
                try ReportFolder.writeFile(guide, to: (options.out as NSString).appendingPathComponent("huong-dan-su-dung.html"))
            }
            try ledger.finishRun(finishedAt: ISO8601DateFormatter().string(from: Date()))
        } catch let e as RunJobError {
            throw e
        } catch let e as OutputError {
            throw .output(e)
        } catch let e as RenderError {
            throw .render(e)
        } catch let e as LedgerError {
            throw .ledger(e)
        } catch {
            throw .ledger(LedgerError.from(error, path: options.database))
        }
        return outcome
    }

    /// Results of the worker threads, each written once by its own thread.
    final class Results: @unchecked Sendable {
        private var items: [CheckOutcome?]
        private let lock = NSLock()

        init(count: Int) { items = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ r: CheckOutcome) { lock.lock(); items[i] = r; lock.unlock() }

        func get(_ i: Int) -> CheckOutcome? { lock.lock(); defer { lock.unlock() }; return items[i] }
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

    /// A new file: its bytes (or nil when they must be read again) and every name they
    /// arrived under in this run, with each name's received date.
    struct FreshFile {
        var sha256: String
        var bytes: Data?
        var names: [(file: InboxFile, received: Day)]

        /// The name that arrived first is the file's; the others are copies. The file's
        /// received date is the earliest of its names'.
        var first: (file: InboxFile, received: Day) {
            names.min { ($0.received, $0.file.relative) < ($1.received, $1.file.relative) }!
        }
    }

    /// `--out` or `--db` inside `--inbox` (or the inbox inside the output) would have the run
    /// read what it writes.
    static func overlap(_ options: RunOptions) -> RunJobError? {
        let inbox = RunLock.canonical(options.inbox), out = RunLock.canonical(options.out), db = RunLock.canonical(options.database)
        func inside(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if inside(out, inbox) {
            return .usage(vi: "--out \(options.out) nằm trong hộp thư \(options.inbox): chương trình sẽ đọc lại chính báo cáo của mình. Cách sửa: chọn thư mục báo cáo ở ngoài hộp thư.",
                          en: "--out \(options.out) is inside the inbox \(options.inbox): the run would read its own reports. To fix: choose an output folder outside the inbox.")
        }
        if inside(inbox, out) {
            return .usage(vi: "hộp thư \(options.inbox) nằm trong thư mục báo cáo \(options.out). Cách sửa: để hộp thư và báo cáo ở hai thư mục riêng.",
                          en: "the inbox \(options.inbox) is inside the output folder \(options.out). To fix: keep them in separate folders.")
        }
        if inside(db, inbox) {
            return .usage(vi: "sổ cái --db \(options.database) nằm trong hộp thư \(options.inbox). Cách sửa: để sổ cái ở ngoài hộp thư.",
                          en: "the ledger --db \(options.database) is inside the inbox \(options.inbox). To fix: keep the ledger outside the inbox.")
        }
        return nil
    }

    /// Checks files in worker threads, a batch at a time, and records each batch in order.
    static func checkAndRecord(_ fresh: [FreshFile], plan: Plan, options: RunOptions, register: [String: Day],
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
                let item = slice[i]
                let name = item.first.file
                var bytes = item.bytes
                if bytes == nil {
                    // Read again: must be the very bytes hashed, or it is not checked now.
                    guard let again = try? FileSnapshot.read(name), again.sha256 == item.sha256 else {
                        results.set(i, .notThisTime(Inbox.Skip.stillWriting)); return
                    }
                    bytes = again.bytes
                }
                if let pool {
                    results.set(i, pool.check(bytes: bytes!, relative: name.relative))
                } else {
                    results.set(i, .checked(FileCheck.check(bytes: bytes!, relative: name.relative, plan: plan, limits: options.limits)))
                }
            }
            for (i, item) in slice.enumerated() {
                let first = item.first
                let earliest = first.received
                guard let outcomeOfCheck = results.get(i) else { continue }
                var r: FileResult
                switch outcomeOfCheck {
                case .notThisTime(let why):
                    for n in item.names { outcome.skipped.append((n.file.relative, why)) }
                    outcome.notRead += item.names.count
                    continue
                case .checked(let result): r = result
                }
                // Checks that need the received date and the ledger's history.
                IntakeReview.review(&r, receivedOn: earliest, plan: plan, history: .of(ledger))
                try ledger.record(r, sha256: item.sha256, size: first.file.size, mtime: first.file.modified.timeIntervalSince1970,
                                  receivedOn: earliest, asOf: options.asOf, startedAt: startedAt)
                guard let known = try ledger.knownFile(sha256: item.sha256) else { continue }
                for n in item.names where n.file.relative != first.file.relative {
                    try ledger.addName(n.file.relative, to: known.id, size: n.file.size, mtime: n.file.modified.timeIntervalSince1970,
                                       asOf: options.asOf, startedAt: startedAt)
                    outcome.duplicates += 1
                }
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

/// Test hooks: a shell command run at a named moment of the run, with a path as its
/// argument, so that races (a file replaced between hashing and checking, gone between
/// listing and reading) happen at a chosen moment. Unset, they cost one lookup.
enum TestHook {
    static func run(_ name: String, argument: String) {
        guard let command = ProcessInfo.processInfo.environment[name] else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command, "hook", argument]
        try? p.run()
        p.waitUntilExit()
    }
}
