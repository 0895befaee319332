import ArgumentParser
import Foundation
import TongHop

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Việc chạy hằng đêm: đọc hộp thư, ghi sổ cái, xét hạn nộp, tổng hợp, viết báo cáo.",
        discussion: """
            Không bao giờ ghi vào hộp thư. Hai lần chạy không chồng lên nhau (khóa). \
            Mã thoát: 0 mọi báo cáo đến hạn đã có và hợp lệ; 1 có báo cáo thiếu, muộn hoặc bị từ chối \
            (cần người xử lý); 2 lỗi vận hành (kế hoạch sai, không ghi được, đang có lần chạy khác).
            """
    )

    @OptionGroup var planOptions: PlanOptions

    @Option(name: .long, help: "Thư mục hộp thư (các tệp các huyện gửi); mặc định: inbox: của tonghop.yml, rồi inbox.")
    var inbox: String?

    @Option(name: .long, help: "Thư mục ghi báo cáo; mặc định: out: của tonghop.yml, rồi reports.")
    var out: String?

    @Option(name: .long, help: "Tệp sổ cái SQLite; mặc định: db: của tonghop.yml, rồi tonghop.sqlite.")
    var db: String?

    @Option(name: .customLong("as-of"), help: "Ngày xét hạn nộp, YYYY-MM-DD (mặc định: hôm nay).")
    var asOf: Day?

    @Option(name: .customLong("file-cpu-seconds"), help: "Giới hạn thời gian máy đọc một tệp (giây).")
    var fileCPUSeconds = 60

    @Option(name: .customLong("file-memory-mb"), help: "Giới hạn bộ nhớ khi đọc một tệp (MB).")
    var fileMemoryMB = 3072

    @Flag(name: .long, help: "In báo cáo ra PDF bằng Chromium (bỏ qua, có ghi chú, nếu máy không có Chromium).")
    var pdf = false

    @Option(name: .long, help: "Kỳ của thư mục báo cáo (2019-11, 2019-Q3, 2019); mặc định: tháng gần nhất đã đến hạn.")
    var period: Period?

    @Option(name: .customLong("settle-seconds"), help: "Chỉ đọc tệp đã không đổi ít nhất chừng này giây (tệp đang được chép vào để lần sau).")
    var settleSeconds: Double = 5

    @Flag(name: .long, help: "In bảng thời gian từng giai đoạn (giây đồng hồ và giây máy) sau phần tóm tắt.")
    var timings = false

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let lang = planOptions.lang
        let stages = RunTimings()
        stages.enter(.plan)
        let settings = try Settings.load()
        let inboxFolder = inbox ?? settings.inbox ?? "inbox"
        // The inbox is listed on another core while the plan is read (the inbox is only
        // read; a listing that fails is made again by the run, which says why).
        let started = Date()
        let listed = Later { [settleSeconds] in try? Inbox.list(inboxFolder, settleSeconds: max(0, settleSeconds), now: started) }
        defer { _ = listed.value }
        let plan = try planOptions.load()
        try plan.validate(asOf: asOf)
        try plan.validate(period: period)
        let day = planOptions.day(asOf: asOf)
        var options = RunOptions(inbox: inboxFolder, out: out ?? settings.out ?? "reports",
                                 database: db ?? settings.db ?? "tonghop.sqlite", asOf: day, period: period)
        options.settleSeconds = max(0, settleSeconds)
        options.pdf = pdf
        options.language = planOptions.lang
        options.hooks = TestHooks.fromEnvironment()
        options.timings = stages
        // Each file is read in a worker process of this same program, under limits.
        if ProcessInfo.processInfo.environment["TONGHOP_IN_PROCESS"] == nil, let me = Worker.executablePath() {
            options.worker = (me, ["worker", "--plan", plan.folder, "--cpu-seconds", String(fileCPUSeconds), "--memory-mb", String(fileMemoryMB)])
            options.workerLimits.cpuSeconds = fileCPUSeconds
            options.workerLimits.memoryMiB = fileMemoryMB
            options.workerLimits.wallSeconds = max(3 * fileCPUSeconds, 30)
        }
        let progress = ConsoleProgress()
        progress.stage("kế hoạch \(plan.folder): \(plan.activeUnits.count) đơn vị, \(plan.forms.count) biểu")
        options.listed = listed.value
        stages.leave()
        let outcome = try RunJob.run(plan: plan, options: options, progress: progress)
        progress.stage(stages.logLine(planOptions.lang))
        progress.finish()
        print(Run.summary(outcome, asOf: day, plan: plan, lang: lang))
        if timings { print("\n" + stages.table(lang)) }
        if outcome.needsHuman { throw ExitCode(Exit.findings) }
    }

    static func summary(_ o: RunOutcome, asOf: Day, plan: Plan, lang: Language) -> String {
        func count(_ k: ReportStatus.Kind) -> Int { o.statuses.filter { $0.kind == k }.count }
        let province = o.targets.filter { $0.unit == "province" }
        let met = province.filter { $0.status == .met }.count, notMet = province.filter { $0.status == .notMet }.count
        let due = o.statuses.count - count(.pending) - count(.exempt)
        func say(_ vietnamese: String, _ english: String) -> String { Message(vi: vietnamese, en: english).text(lang) }
        var lines: [String] = []
        lines.append(say("Tóm tắt ngày \(asOf.vietnamese) (kỳ \(o.period.vietnamese)):",
                         "Summary as of \(asOf) (period \(o.period)):"))
        lines.append(say("  Hộp thư: \(o.filesSeen) tệp — \(o.filesNew) mới, \(o.duplicates) bản sao, \(o.unchanged) đã ghi trước đây",
                         "  Inbox: \(o.filesSeen) files — \(o.filesNew) new, \(o.duplicates) copies, \(o.unchanged) already recorded"))
        lines.append(say("  Tệp mới: \(o.accepted) được chấp nhận, \(o.rejected) bị từ chối, \(o.unidentified) không nhận diện được, \(o.unsupported) định dạng không đọc được",
                         "  New files: \(o.accepted) accepted, \(o.rejected) rejected, \(o.unidentified) unidentified, \(o.unsupported) unsupported"))
        lines.append(say("  Báo cáo đến hạn: \(due) — \(count(.onTime)) đúng hạn, \(count(.late)) muộn, \(count(.missing)) thiếu, \(count(.rejected)) bị từ chối; \(count(.pending)) chưa đến hạn",
                         "  Reports due: \(due) — \(count(.onTime)) on time, \(count(.late)) late, \(count(.missing)) missing, \(count(.rejected)) rejected; \(count(.pending)) pending"))
        if !province.isEmpty {
            let onTrack = province.filter { $0.status == .onTrack }.count, behind = province.filter { $0.status == .behind }.count
            let open = province.count - met - notMet - onTrack - behind
            let progress = onTrack + behind == 0 ? ("", "") : (", \(onTrack) đang thực hiện, \(behind) chậm tiến độ", ", \(onTrack) on track, \(behind) behind")
            lines.append(say("  Chỉ tiêu toàn tỉnh: \(met) đạt, \(notMet) không đạt\(progress.0), \(open) không đánh giá được",
                             "  Province targets: \(met) met, \(notMet) not met\(progress.1), \(open) cannot be evaluated"))
        }
        if o.notRead > 0 {
            lines.append(say("  Chưa đọc lần này: \(o.notRead) tệp (đang được ghi, vừa bị chuyển đi hoặc máy không đọc được lúc này); lần chạy sau sẽ đọc, không cần làm gì",
                             "  Not read this time: \(o.notRead) file(s) (still being written, moved away, or unreadable at the moment); the next run reads them, nothing to do"))
        }
        for (name, why) in o.skipped {
            let shown = TextSafety.neutralised(name, lineBreaks: false)
            lines.append(say("  Bỏ qua \(shown): \(why)", "  Skipped \(shown): \(why)"))
        }
        lines.append(say("  Báo cáo: \(o.reportFolder)/index.html\(o.reportsWritten ? "" : " (không thay đổi)")",
                         "  Reports: \(o.reportFolder)/index.html\(o.reportsWritten ? "" : " (unchanged)")"))
        if let pdf = o.pdf { lines.append("  PDF: \(pdf)") }
        if let why = o.pdfSkipped { lines.append(say("  Không in PDF: \(why)", "  PDF not printed: \(why)")) }
        return lines.joined(separator: "\n")
    }
}

/// A progress bar on a terminal; one line per stage otherwise (cron, logs).
final class ConsoleProgress: RunProgress {
    let terminal = isatty(STDERR_FILENO) == 1

    func stage(_ text: String) {
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data("tonghop: \(text)\n".utf8))
    }

    func checked(_ done: Int, of total: Int) {
        guard terminal, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) tệp".utf8))
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// The test hooks of `tonghop run`, read from the environment by the program (never by the
/// library) so that end-to-end tests can make races happen at a chosen moment: a shell
/// command run with a path as its argument after the inbox is listed
/// (`TONGHOP_TEST_AFTER_LIST`) or after a file is hashed (`TONGHOP_TEST_AFTER_HASH`), and the
/// run killed after some files are recorded (`TONGHOP_TEST_KILL_AFTER_FILES`) or before its
/// period's new folder replaces the old (`TONGHOP_TEST_KILL_BEFORE_RENAME`) or while the
/// annotated copies are being made (`TONGHOP_TEST_KILL_DURING_FEEDBACK`).
enum TestHooks {
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> RunHooks {
        var hooks = RunHooks()
        if let command = environment["TONGHOP_TEST_AFTER_LIST"] { hooks.afterList = { shell(command, $0) } }
        if let command = environment["TONGHOP_TEST_AFTER_HASH"] { hooks.afterHash = { shell(command, $0) } }
        if let count = environment["TONGHOP_TEST_KILL_AFTER_FILES"].flatMap({ Int($0) }) {
            hooks.afterRecord = { recorded in if recorded >= count { kill(getpid(), SIGKILL) } }
        }
        if environment["TONGHOP_TEST_KILL_BEFORE_RENAME"] != nil { hooks.beforeRename = { kill(getpid(), SIGKILL) } }
        if environment["TONGHOP_TEST_KILL_DURING_FEEDBACK"] != nil { hooks.afterAnnotatedCopy = { kill(getpid(), SIGKILL) } }
        return hooks
    }

    static func shell(_ command: String, _ argument: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command, "hook", argument]
        try? p.run()
        p.waitUntilExit()
    }
}
