// Pipeline: the stages of a run, each a function from what the stage before it gave to a
// value of its own: scan → classify → check and record → judge → render if changed →
// publish. `RunJob.run` calls them in order and turns their values into the outcome.
import Foundation
import Sheets

extension RunContext {
    /// The context of a run made with `options`: made once, when the run starts.
    init(_ options: RunOptions) {
        self.init(asOf: options.asOf, limits: options.limits, workerLimits: options.workerLimits, language: options.language,
                  clock: options.clock, hooks: options.hooks, timings: options.timings ?? RunTimings())
    }
}

extension RunOutcome {
    mutating func add(_ r: RunJob.Stages.Recorded) {
        filesNew += r.filesNew
        duplicates += r.duplicates
        accepted += r.accepted
        rejected += r.rejected
        unidentified += r.unidentified
        unsupported += r.unsupported
        skipped += r.skipped
        notRead += r.notRead
    }
}

extension RunJob {
    enum Stages {
        /// Runs `body`, saying its errors as the run's: each known kind as itself, any other
        /// as what it is, with the stage that met it (never as another kind).
        static func guarded<T>(_ stage: @autoclosure () -> RunStage, _ body: () throws -> T) throws(RunJobError) -> T {
            do {
                return try body()
            } catch let e as RunJobError {
                throw e
            } catch let e as LedgerError {
                throw .ledger(e)
            } catch let e as OutputError {
                throw .output(e)
            } catch let e as RenderError {
                throw .render(e)
            } catch {
                throw .failed(stage: stage(), detail: "\(error)")
            }
        }

        // MARK: Opening

        /// The run's lock, one per ledger whatever path reaches it. No folder is made for the
        /// ledger: a mistyped --db is said, not given a new ledger.
        static func lock(_ options: RunOptions) throws(RunJobError) -> RunLock {
            let ledgerFolder = (options.database as NSString).deletingLastPathComponent
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: ledgerFolder.isEmpty ? "." : ledgerFolder, isDirectory: &isFolder) || !isFolder.boolValue {
                throw .ledger(LedgerError(path: options.database, detail: ledgerFolder, kind: .noFolder))
            }
            let lockPath = RunLock.canonical(options.database) + ".lock"
            do {
                return try RunLock(path: lockPath)
            } catch let held as RunLock.Held {
                throw .locked(held)
            } catch {
                let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)?.code ?? Int(EIO)
                throw .lockFailed(path: lockPath, detail: String(cString: strerror(Int32(code))))
            }
        }

        // MARK: Scan

        /// What the inbox holds now, and the register's received dates.
        struct InboxScan: Sendable {
            var listing: InboxListing
            var register: ReceivedRegister
        }

        static func scan(_ options: RunOptions, context: RunContext) throws(RunJobError) -> InboxScan {
            let listing: InboxListing
            if let listed = options.listed { listing = listed } else {
                do { listing = try Inbox.list(options.inbox, settleSeconds: options.settleSeconds, now: context.startedAt) } catch {
                    throw .inbox(options.inbox)
                }
            }
            return InboxScan(listing: listing, register: ReceivedRegister(inbox: options.inbox))
        }

        /// The register's received dates, read the first time a file needs one: a run with
        /// nothing new does not read it (a national register has thousands of rows).
        final class ReceivedRegister: @unchecked Sendable {
            private let inbox: String
            private var read: [String: Day]?
            private let lock = NSLock()

            init(inbox: String) { self.inbox = inbox }

            var dates: [String: Day] {
                lock.lock()
                defer { lock.unlock() }
                if let read { return read }
                let dates = Inbox.register(inbox)
                read = dates
                return dates
            }
        }

        // MARK: Classify

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

        /// Each listed file against the ledger: unchanged, known bytes under a name (recorded
        /// as such), or new bytes to check.
        struct Classified {
            var fresh: [FreshFile] = []
            var unchanged = 0
            var duplicates = 0
            /// Files that could not be read this time, with why (each one not read).
            var skipped: [(String, String)] = []
        }

        /// Which files are new: by their bytes, not their names. A name recorded with the same
        /// size and time is taken as unchanged without reading it (as make and rsync do).
        static func classify(_ scan: InboxScan, ledger: Ledger, context: RunContext, keptBytes: Int) throws(LedgerError) -> Classified {
            var out = Classified()
            let seen = try ledger.seenNames()
            var groups: [String: FreshFile] = [:]
            var order: [String] = []
            var held = 0
            var toRead: [InboxFile] = []
            for f in scan.listing.files {
                if seen[f.relative]?.contains(where: { $0.size == f.size && $0.mtime == f.modified.timeIntervalSince1970 }) == true {
                    out.unchanged += 1
                } else {
                    toRead.append(f)
                }
            }
            /// A file read and hashed, with the day it counts as received.
            struct Read {
                var snapshot: FileSnapshot
                var received: Day
            }
            func take(_ f: InboxFile, _ read: Result<Read, TransientReadFailure>, known: [String: Ledger.KnownFile]) throws(LedgerError) {
                let mtime = f.modified.timeIntervalSince1970
                let snapshot: FileSnapshot, received: Day
                switch read {
                case .success(let r): (snapshot, received) = (r.snapshot, r.received)
                case .failure(let error):
                    out.skipped.append((f.relative, error.reason))
                    return
                }
                context.hooks.afterHash?(f.path)
                let digest = snapshot.sha256
                if let known = known[digest] {
                    if known.names.contains(f.relative) {
                        try ledger.touch(f.relative, file: known.id, size: f.size, mtime: mtime)
                        out.unchanged += 1
                    } else {
                        try ledger.addName(f.relative, to: known.id, size: f.size, mtime: mtime, receivedOn: received)
                        out.duplicates += 1
                    }
                } else if groups[digest] != nil {
                    groups[digest]!.names.append((f, received))  // a copy: recorded as a name of the first
                } else {
                    // Bytes are kept for the check up to a budget (`RunOptions.keptBytes`);
                    // beyond it they are read again and must hash the same.
                    let keep = held + snapshot.bytes.count <= keptBytes
                    if keep { held += snapshot.bytes.count }
                    groups[digest] = FreshFile(sha256: digest, bytes: keep ? snapshot.bytes : nil, names: [(f, received)])
                    order.append(digest)
                }
            }
            // Read once, hashed once: what is checked later is these bytes. A few files at a
            // time are read and hashed on every core, then taken in listing order; the ledger
            // is asked once for the few which of them it already holds (a name added to a
            // recorded file meanwhile is another file's: names are unique in the inbox).
            // A few: at most `filesAtOnce`, and beyond the first no more than `readAtOnce` bytes
            // in all (what is held while they are taken is bounded as before, by one large file).
            let register = scan.register
            var start = 0
            while start < toRead.count {
                var end = start + 1, bytes = toRead[start].size
                while end < toRead.count, end - start < filesAtOnce, bytes + toRead[end].size <= readAtOnce {
                    bytes += toRead[end].size
                    end += 1
                }
                let files = Array(toRead[start..<end])
                start = end
                let results = Parallel.map(files.count) { i in
                    Result { () throws(TransientReadFailure) in
                        Read(snapshot: try FileSnapshot.read(files[i]), received: Inbox.receivedDate(files[i], register: register.dates))
                    }
                }
                let known = try ledger.knownFiles(sha256: results.compactMap { try? $0.get().snapshot.sha256 })
                for (f, r) in zip(files, results) {
                    try take(f, r, known: known)
                }
            }
            out.fresh = order.map { groups[$0]! }
            return out
        }

        /// How many new files, and how many of their bytes, are read and hashed at once.
        static let filesAtOnce = 64
        static let readAtOnce = 16 << 20

        // MARK: Check and record

        /// What checking and recording the new files gave.
        struct Recorded {
            var filesNew = 0
            /// Copies among the new files, recorded as names of the first.
            var duplicates = 0
            var accepted = 0
            var rejected = 0
            var unidentified = 0
            var unsupported = 0
            var skipped: [(String, String)] = []
            var notRead = 0
        }

        /// Checks the new files in worker processes (or threads) and records them in inbox
        /// order while the next ones are checked: the workers take file after file, up to
        /// `checkedAhead` files ahead of the recording, so neither waits for a whole batch of
        /// the other. The files are recorded in few transactions, each holding whole files
        /// (`Ledger.gathering`): one is committed between two files once it is `commitSeconds`
        /// old, and the last at the end. `hooks.afterRecord` is called for each file once its
        /// transaction is committed, so a run killed from it has that file and every one
        /// before it in the ledger.
        static func checkAndRecord(_ fresh: [FreshFile], plan: Plan, options: RunOptions, context: RunContext,
                                   ledger: Ledger, progress: RunProgress?) throws(LedgerError) -> Recorded {
            guard !fresh.isEmpty else { return Recorded() }
            let timings = context.timings
            var out = Recorded()
            let width = max(options.workers, 1)
            let pool = options.worker.map {
                WorkerPool(executable: $0.executable, arguments: $0.arguments, size: width, limits: context.workerLimits, plan: plan)
            }
            // The workers' CPU time is counted when they exit: they end with this stage.
            defer {
                timings.enter(.checking)
                pool?.shutdown()
            }
            // Files recorded in committed transactions, and in the open one.
            var recorded = 0
            var pending = 0
            func committed() {
                for _ in 0..<pending {
                    recorded += 1
                    context.hooks.afterRecord?(recorded)
                }
                pending = 0
            }
            let checks = CheckedAhead<CheckOutcome>(count: fresh.count, ahead: width * checkedAhead)
            let done = DispatchGroup()
            for _ in 0..<width {
                done.enter()
                Thread.detachNewThread {
                    defer { done.leave() }
                    while let i = checks.claim() {
                        let item = fresh[i]
                        let name = item.first.file
                        var bytes = item.bytes
                        if bytes == nil {
                            // Read again: must be the very bytes hashed, or it is not checked now.
                            guard let again = try? FileSnapshot.read(name), again.sha256 == item.sha256 else {
                                checks.put(i, .notThisTime(Inbox.Skip.stillWriting)); continue
                            }
                            bytes = again.bytes
                        }
                        if let pool {
                            checks.put(i, pool.check(bytes: bytes!, relative: name.relative))
                        } else {
                            checks.put(i, .checked(FileCheck.check(bytes: bytes!, relative: name.relative, plan: plan, limits: context.limits)))
                        }
                    }
                }
            }
            // Whatever happens while recording, no check is left running past this stage.
            defer {
                checks.stop()
                done.wait()
            }
            try ledger.gathering { () throws(LedgerError) in
                for (i, item) in fresh.enumerated() {
                    // Waiting here is the checking not hidden behind the recording.
                    timings.enter(.checking)
                    let outcomeOfCheck = checks.take(i)
                    let first = item.first
                    let earliest = first.received
                    var r: FileResult
                    switch outcomeOfCheck {
                    case .notThisTime(let why):
                        for n in item.names { out.skipped.append((n.file.relative, why)) }
                        out.notRead += item.names.count
                        continue
                    case .checked(let result): r = result
                    }
                    // Checks that need the received date and the ledger's history (which
                    // holds the files recorded before this one, committed or not).
                    IntakeReview.review(&r, receivedOn: earliest, plan: plan, history: .of(ledger))
                    timings.enter(.recording)
                    let fileId = try ledger.record(r, sha256: item.sha256, size: first.file.size,
                                                   mtime: first.file.modified.timeIntervalSince1970, receivedOn: earliest)
                    for n in item.names where n.file.relative != first.file.relative {
                        try ledger.addName(n.file.relative, to: fileId, size: n.file.size, mtime: n.file.modified.timeIntervalSince1970)
                        out.duplicates += 1
                    }
                    out.filesNew += 1
                    switch r.status {
                    case .accepted: out.accepted += 1
                    case .rejected: out.rejected += 1
                    case .unidentified: out.unidentified += 1
                    case .unsupported: out.unsupported += 1
                    }
                    pending += 1
                    let last = i + 1 == fresh.count
                    if try ledger.commitGathered(olderThan: last ? 0 : commitSeconds) { committed() }
                    if last || (i + 1) % progressEvery == 0 { progress?.checked(i + 1, of: fresh.count) }
                }
            }
            return out
        }

        /// How many files each worker may have checked ahead of the recording: enough that a
        /// worker never waits for it, few enough that the results waiting stay small.
        static let checkedAhead = 8

        /// The progress bar moves every this many files recorded.
        static let progressEvery = 8

        /// How long the files recorded stay in one transaction before it is committed: a
        /// commit syncs the disk, and a run killed loses at most this much recording (those
        /// files are checked again by the next run).
        static let commitSeconds = 1.0

        // MARK: Judge

        /// Every submission, and the status of every report due.
        struct Judgement {
            var submissions: [Ledger.StoredSubmission]
            var statuses: [ReportStatus]
        }

        /// Orders re-submissions into versions, then judges each report against its deadline.
        static func judge(plan: Plan, ledger: Ledger, asOf: Day) throws(LedgerError) -> Judgement {
            let read = try ledger.submissions()
            // The statuses are judged on another core while the versions are checked; when
            // the versions changed, they are judged again on the submissions as they now are.
            let judged = Later { Completeness.statuses(plan: plan, submissions: read, asOf: asOf) }
            defer { _ = judged.value }
            guard try ledger.resolveVersions(read) else { return Judgement(submissions: read, statuses: judged.value) }
            let submissions = try ledger.submissions()
            return Judgement(submissions: submissions, statuses: Completeness.statuses(plan: plan, submissions: submissions, asOf: asOf))
        }

        // MARK: Render if changed

        /// The period's folder as rendered, and the targets it shows.
        struct RenderedPeriod {
            var files: [String: Data]
            var targets: [TargetResult]
        }

        /// What the reports show, fingerprinted; rendered only when that changed.
        struct Rendering {
            var fingerprint: String
            var period: RenderedPeriod?
        }

        /// Reports are rendered again only when what they show can have changed: the ledger,
        /// the day, the period, the plan or its templates (or the folder is gone).
        static func renderIfChanged(plan: Plan, options: RunOptions, context: RunContext, period: Period, renderer: ReportRenderer,
                                    ledger: Ledger, judgement: Judgement, reportFolder: String) throws(RunJobError) -> Rendering {
            let timings = context.timings
            let asOf = context.asOf
            return try guarded(timings.current ?? .consolidation) {
                let fingerprint = [try ledger.stateToken(), asOf.description, period.description,
                                   PlanDigest.of(plan: plan, templates: renderer.folder)].joined(separator: "|")
                let folderExists = ["index.html", "summary.json"].allSatisfy {
                    FileManager.default.fileExists(atPath: (reportFolder as NSString).appendingPathComponent($0))
                }
                if try folderExists && ledger.reportFingerprint(period: period.description) == fingerprint {
                    return Rendering(fingerprint: fingerprint, period: nil)
                }
                try ledger.verifyFully()
                let input = try PeriodReports.input(plan: plan, ledger: ledger, period: period, asOf: asOf, out: options.out,
                                                    submissions: judgement.submissions, statuses: judgement.statuses)

                timings.enter(.rendering)
                // Every page, table and workbook is made on all cores, each a piece of its own.
                let model = ReportModel(input: input)
                let dues = Dues.compute(input)
                // summary.json last: made beside the board's page (the two largest texts) it
                // raised the run's peak memory.
                let pieces: [Parallel.Piece] = renderer.pieces(model) + UpwardWorkbooks.pieces(input)
                    + [{ Messages.make(input, dues: dues).sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }]
                    + [{ [("summary.json", try Summary.json(input, model: model))] }]
                var output = try Parallel.files(pieces)
                timings.enter(.annotated)
                for (path, data) in FeedbackWorkbooks.make(input, inbox: options.inbox, hooks: context.hooks) { output[path] = data }
                timings.enter(.rendering)
                // The letters last, once the rest has rendered: their numbers come from the ledger.
                let letters = try Letters.pieces(input, renderer: renderer, dues: dues, numbers: {
                    try ledger.letterNumbers(year: plan.year, keys: $0, asOf: asOf) })
                for (path, data) in try Parallel.files(letters) { output[path] = data }
                return Rendering(fingerprint: fingerprint, period: RenderedPeriod(files: output, targets: input.targets))
            }
        }

        // MARK: Publish

        struct Published {
            var reportsWritten = false
            var pdf: String?
            var pdfSkipped: String?
        }

        /// Writes the period's folder (when rendered) and its PDF, then the other periods, the
        /// period index and the guide, and closes the run's row in the ledger.
        static func publish(_ rendering: Rendering, plan: Plan, options: RunOptions, context: RunContext, period: Period,
                            renderer: ReportRenderer, ledger: Ledger, submissions: [Ledger.StoredSubmission], reportFolder: String,
                            progress: RunProgress?) throws(RunJobError) -> Published {
            let timings = context.timings
            return try guarded(timings.current ?? .publishing) {
                var out = Published()
                if let rendered = rendering.period {
                    out.reportsWritten = try ReportFolder.write(rendered.files, out: options.out, name: period.description,
                                                                beforeRename: context.hooks.beforeRename)
                    try ledger.setReportFingerprint(rendering.fingerprint, period: period.description)
                }
                progress?.stage((out.reportsWritten ? "đã ghi báo cáo " : "báo cáo không đổi ") + reportFolder)
                if options.pdf {
                    let pdf = (reportFolder as NSString).appendingPathComponent("bao-cao-\(period).pdf")
                    if out.reportsWritten || !FileManager.default.fileExists(atPath: pdf) {
                        out.pdfSkipped = PDFPrinter.print(html: (reportFolder as NSString).appendingPathComponent("index.html"), to: pdf)
                    }
                    if out.pdfSkipped == nil { out.pdf = pdf }
                    if out.reportsWritten, let skipped = Letters.printPDFs(reportFolder: reportFolder) { out.pdfSkipped = out.pdfSkipped ?? skipped }
                }
                timings.enter(.otherPeriods)
                try PeriodReports.afterRun(plan: plan, renderer: renderer, ledger: ledger, submissions: submissions, out: options.out, inbox: options.inbox,
                                           selected: period, asOf: context.asOf, pdf: options.pdf)
                if let guide = try renderer.guide(plan: plan) {
                    try ReportFolder.writeFile(guide, to: (options.out as NSString).appendingPathComponent("huong-dan-su-dung.html"))
                }
                timings.enter(.publishing)
                try ledger.finishRun(finishedAt: ISO8601DateFormatter().string(from: context.clock()))
                return out
            }
        }
    }
}
