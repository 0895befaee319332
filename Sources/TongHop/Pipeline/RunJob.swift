// Pipeline: the nightly job, as named stages (RunStages.swift) run in order with one
// `RunContext`: scan the inbox → classify each file against the ledger (unchanged, a known
// copy, new) → check and record the new ones (two at a time, in worker processes or threads;
// each file recorded in one transaction) → judge every report against its deadline →
// consolidate, evaluate the targets and render, when what the reports show can have changed
// → publish the period's folder, the other periods and the index. The inbox is only read.
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
    /// The language of the run's log lines.
    public var language: Language = .vi
    /// The run's clock (its start time, the settle time, the ledger's run row).
    public var clock: @Sendable () -> Date = { Date() }
    /// Moments at which the caller may act (tests).
    public var hooks = RunHooks()
    /// Where the stage times go; nil: the run starts its own.
    public var timings: RunTimings?
    /// How many bytes of new files are kept from listing to checking; beyond it a file is read
    /// again and must hash the same. Every new file is listed before any is checked, so this
    /// bounds the run's peak memory; re-reading from the page cache costs little.
    public var keptBytes = 32 << 20
    /// The inbox as the caller listed it a moment before the run (the same folder and settle
    /// time, its clock no later than the run's start), used instead of listing it again:
    /// `tonghop run` lists it while it reads the plan. Nil: the run lists it.
    public var listed: InboxListing?

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
    /// Wall and CPU seconds by stage.
    public var timings: RunTimings

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
    /// An error no stage expected, said as it is, with the stage that met it.
    case failed(stage: RunStage, detail: String)
}

public enum RunJob {
    public static func run(plan: Plan, options: RunOptions, progress: RunProgress? = nil) throws(RunJobError) -> RunOutcome {
        let context = RunContext(options)
        let timings = context.timings
        defer { timings.leave() }
        let period = options.period ?? defaultPeriod(plan: plan, asOf: context.asOf)
        var outcome = RunOutcome(period: period, reportFolder: (options.out as NSString).appendingPathComponent(period.description),
                                 timings: timings)

        timings.enter(.opening)
        // The templates are compiled on another core while the inbox is listed; a template
        // that does not compile still stops the run before anything is written.
        let compiled = Later { Result { () throws(RenderError) in try ReportRenderer(plan: plan) } }
        // Whatever ends the run, the compiling is not left running past it.
        defer { _ = compiled.value }
        if let conflict = overlap(options) { throw conflict }
        let lock = try Stages.lock(options)
        defer { withExtendedLifetime(lock) {} }

        timings.enter(.listing)
        let scan = try Stages.scan(options, context: context)
        let renderer: ReportRenderer
        do { renderer = try compiled.value.get() } catch { throw .render(error) }
        outcome.filesSeen = scan.listing.files.count
        outcome.skipped = scan.listing.skipped
        outcome.notRead = scan.listing.skipped.filter { $0.1 == Inbox.Skip.stillWriting }.count
        progress?.stage("hộp thư \(options.inbox): \(scan.listing.files.count) tệp")
        context.hooks.afterList?(options.inbox)

        timings.enter(.opening)
        let ledger: Ledger
        do {
            let opened = try Ledger.open(options.database, mode: .createIfMissing)
            ledger = opened.ledger
            outcome.ledgerCreated = opened.created
            if opened.created { progress?.stage("tạo sổ cái mới \(options.database) (chưa có tệp nào ở đó)") }
        } catch { throw .ledger(error) }
        ledger.begin(context.stamp)

        timings.enter(.listing)
        let classified = try Stages.guarded(.listing) { try Stages.classify(scan, ledger: ledger, context: context, keptBytes: options.keptBytes) }
        outcome.unchanged = classified.unchanged
        outcome.duplicates = classified.duplicates
        outcome.skipped += classified.skipped
        outcome.notRead += classified.skipped.count
        progress?.stage("\(classified.fresh.count) tệp mới cần kiểm tra"
            + (options.worker != nil ? ", mỗi tệp trong một tiến trình riêng (tối đa \(options.workerLimits.cpuSeconds) giây máy, \(options.workerLimits.memoryMiB) MB)" : ""))

        let recorded = try Stages.guarded(.recording) {
            try Stages.checkAndRecord(classified.fresh, plan: plan, options: options, context: context,
                                      ledger: ledger, progress: progress)
        }
        outcome.add(recorded)

        timings.enter(.recording)
        let judgement = try Stages.guarded(.recording) { try Stages.judge(plan: plan, ledger: ledger, asOf: context.asOf) }
        outcome.statuses = judgement.statuses
        let fileCount = try Stages.guarded(.recording) { try ledger.fileCount() }
        progress?.stage("sổ cái \(options.database): \(fileCount) tệp đã ghi")

        timings.enter(.consolidation)
        let rendered = try Stages.renderIfChanged(plan: plan, options: options, context: context, period: period, renderer: renderer,
                                                  ledger: ledger, judgement: judgement, reportFolder: outcome.reportFolder)
        if let targets = rendered.period?.targets { outcome.targets = targets }

        timings.enter(.publishing)
        let published = try Stages.publish(rendered, plan: plan, options: options, context: context, period: period, renderer: renderer,
                                           ledger: ledger, submissions: judgement.submissions, reportFolder: outcome.reportFolder,
                                           progress: progress)
        outcome.reportsWritten = published.reportsWritten
        outcome.pdf = published.pdf
        outcome.pdfSkipped = published.pdfSkipped
        timings.leave()
        return outcome
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
}
