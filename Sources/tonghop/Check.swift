import ArgumentParser
import Foundation
import Sheets
import TongHop

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kiểm tra tệp báo cáo mà không ghi gì (để đơn vị tự kiểm tra trước khi gửi).",
        discussion: """
            Mỗi lỗi một dòng: tệp:trang!ô: mức [mã] lời nhắn và cách sửa. Mỗi tệp có một dòng tóm tắt: \
            đơn vị, biểu, kỳ, được chấp nhận hay bị từ chối. Thư mục được kiểm tra toàn bộ. \
            Mã thoát: 0 mọi tệp được chấp nhận, 1 có tệp bị từ chối hoặc không nhận diện được, 2 lỗi vận hành.
            """
    )

    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @Argument(help: "Các tệp (hoặc thư mục) cần kiểm tra.")
    var files: [String]

    @OptionGroup var planOptions: PlanOptions

    @Option(name: .long, help: "text hoặc json.")
    var format: Format = .text

    @Option(name: .customLong("file-cpu-seconds"), help: "Giới hạn thời gian máy đọc một tệp (giây), như tonghop run.")
    var fileCPUSeconds = 60

    @Option(name: .customLong("file-memory-mb"), help: "Giới hạn bộ nhớ khi đọc một tệp (MB), như tonghop run.")
    var fileMemoryMB = 3072

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        defer { Output.flush() }
        let lang = planOptions.lang
        let plan = try planOptions.load()
        let targets: CheckTargets
        do { targets = try CheckTargets.gather(files) } catch let missing as CheckTargets.Missing {
            throw Exit.fail(missing.message.text(lang))
        }
        for (path, why) in targets.skipped {
            Output.standardError("tonghop: " + Say.skipped.text(lang) + TextSafety.neutralised(path, lineBreaks: false) + ": " + why + "\n")
        }
        let results = check(targets.paths, plan: plan)
        switch format {
        case .text: printText(results)
        case .json: try printJSON(results)
        }
        if results.contains(where: { $0.status != .accepted }) {
            Output.flush()
            throw ExitCode(Exit.findings)
        }
    }

    /// Each file read once in this process and checked from those bytes in a worker process
    /// under the same CPU and memory limits as `tonghop run`: a hostile file costs `check`
    /// no more than it costs the nightly run.
    func check(_ paths: [String], plan: Plan) -> [FileResult] {
        var limits = WorkerLimits()
        limits.cpuSeconds = fileCPUSeconds
        limits.memoryMiB = fileMemoryMB
        limits.wallSeconds = max(3 * fileCPUSeconds, 30)
        let pool: WorkerPool? = ProcessInfo.processInfo.environment["TONGHOP_IN_PROCESS"] == nil
            ? Worker.executablePath().map {
                WorkerPool(executable: $0, arguments: ["worker", "--plan", plan.folder, "--cpu-seconds", String(fileCPUSeconds),
                                                       "--memory-mb", String(fileMemoryMB)], size: 1, limits: limits, plan: plan)
            } : nil
        return paths.map { path in
            let snapshot: FileSnapshot
            do throws(TransientReadFailure) { snapshot = try FileSnapshot.read(path: path) } catch {
                return FileResult.unread(path, Say.notReadNow(error.reason))
            }
            guard let pool else { return FileCheck.check(bytes: snapshot.bytes, relative: path, plan: plan) }
            switch pool.check(bytes: snapshot.bytes, relative: path) {
            case .checked(let r): return r
            case .notThisTime(let why):
                return FileResult.unread(path, Say.notReadWithinLimits(why))
            }
        }
    }

    func printText(_ results: [FileResult]) {
        let lang = planOptions.lang
        for r in results {
            let all = r.allFindings
            let errors = all.filter { $0.severity == .error }.count
            let warnings = all.filter { $0.severity == .warning }.count
            let status = Say.status(r.status).text(lang)
            let what = r.submissions.map { s in
                [s.unit.map { "\($0.name) (\($0.code))" } ?? Say.unknownUnit.text(lang), Message(vi: s.form.title, en: s.form.id).text(lang),
                 s.period.map { Message(vi: $0.vietnamese, en: $0.description).text(lang) } ?? Say.unknownPeriod.text(lang)].joined(separator: " · ")
            }.joined(separator: "; ")
            let counts = Say.counts(errors: errors, warnings: warnings).text(lang)
            // A file's text (its name, a cell quoted in a message) cannot drive the terminal.
            let safe = { (s: String) in TextSafety.neutralised(s, lineBreaks: false) }
            Output.write("== \(safe(r.file)): \(what.isEmpty ? "" : safe(what) + " — ")\(status) (\(counts))\n")
            for f in r.findingsInReadingOrder {
                let severity = Message(vi: f.severity.vietnamese, en: f.severity.rawValue).text(lang)
                Output.write("\(safe(f.location)): \(severity) [\(f.code.rawValue)] \(safe(f.message(lang)))\n")
            }
            Output.write("\n")
        }
        let accepted = results.filter { $0.status == .accepted }.count
        Output.write(Say.total(files: results.count, accepted: accepted).text(lang) + "\n")
    }

    func printJSON(_ results: [FileResult]) throws {
        let lang = planOptions.lang
        let files: [[String: Any]] = results.map { r in
            let first = r.submissions.first
            var o: [String: Any] = ["file": r.file, "status": r.status.rawValue]
            o["district"] = first?.unit?.code ?? NSNull()
            o["form"] = first?.form.id ?? NSNull()
            o["period"] = first?.period?.description ?? NSNull()
            if r.submissions.count > 1 {
                o["submissions"] = r.submissions.map { s -> [String: Any] in
                    ["sheet": s.sheet, "district": s.unit?.code ?? NSNull(), "form": s.form.id,
                     "period": s.period?.description ?? NSNull(), "status": s.status.rawValue]
                }
            }
            o["findings"] = r.findingsInReadingOrder.map { f -> [String: Any] in
                ["severity": f.severity.rawValue, "code": f.code.rawValue, "sheet": f.sheet ?? NSNull(),
                 "cell": f.cell ?? NSNull(), "row": f.row ?? NSNull(), "column": f.column ?? NSNull(),
                 "value": f.value ?? NSNull(), "message": f.message(lang), "hint": f.hint?.text(lang) ?? NSNull()]
            }
            return o
        }
        let data = try JSONSerialization.data(withJSONObject: ["files": files], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}

extension Check {
    /// What `tonghop check` says, in both languages.
    enum Say {
        static let skipped = Message(vi: "bỏ qua ", en: "skipped ")
        static let unknownUnit = Message(vi: "đơn vị ?", en: "unit ?")
        static let unknownPeriod = Message(vi: "kỳ ?", en: "period ?")

        static func status(_ status: FileResult.Status) -> Message {
            switch status {
            case .accepted: return Message(vi: "CHẤP NHẬN", en: "ACCEPTED")
            case .rejected: return Message(vi: "BỊ TỪ CHỐI", en: "REJECTED")
            case .unidentified: return Message(vi: "KHÔNG NHẬN DIỆN ĐƯỢC", en: "UNIDENTIFIED")
            case .unsupported: return Message(vi: "ĐỊNH DẠNG KHÔNG ĐỌC ĐƯỢC", en: "UNSUPPORTED FORMAT")
            }
        }

        static func counts(errors: Int, warnings: Int) -> Message {
            Message(vi: "\(errors) lỗi, \(warnings) cảnh báo", en: "\(errors) error(s), \(warnings) warning(s)")
        }

        static func total(files: Int, accepted: Int) -> Message {
            Message(vi: "\(files) tệp: \(accepted) được chấp nhận, \(files - accepted) cần sửa.",
                    en: "\(files) file(s): \(accepted) accepted, \(files - accepted) to fix.")
        }

        static func notReadNow(_ reason: String) -> Message {
            Message(vi: "Không đọc được tệp lúc này: \(reason).", en: "The file cannot be read now: \(reason).")
        }

        /// A worker stopped by the limits given on the command line.
        static func notReadWithinLimits(_ why: String) -> Message {
            Message(vi: "Không đọc xong tệp: \(why).", en: "The file could not be read within the limits given on the command line.")
        }
    }
}
