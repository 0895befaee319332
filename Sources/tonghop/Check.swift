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
        let plan = try planOptions.load()
        var paths: [String] = []
        let fm = FileManager.default
        for f in files {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: f, isDirectory: &isDir) else {
                throw Exit.fail(planOptions.lang == .vi ? "không có tệp \(f)" : "no file \(f)")
            }
            if isDir.boolValue {
                // Listed as the run lists an inbox: what is not read is said, with why.
                let listing = try Inbox.list(f, settleSeconds: 0)
                paths += listing.files.map(\.path)
                for (name, why) in listing.skipped {
                    Output.standardError("tonghop: " + (planOptions.lang == .vi ? "bỏ qua " : "skipped ")
                                         + TextSafety.neutralised((f as NSString).appendingPathComponent(name), lineBreaks: false) + ": " + why + "\n")
                }
            } else {
                paths.append(f)
            }
        }
        let results = check(paths, plan: plan)
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
        let vi = planOptions.lang == .vi
        return paths.map { path in
            let snapshot: FileSnapshot
            do throws(TransientReadFailure) { snapshot = try FileSnapshot.read(path: path) } catch {
                return FileResult.unread(path, vi: "Không đọc được tệp lúc này: \(error.reason).",
                                         en: "The file cannot be read now: \(error.reason).")
            }
            guard let pool else { return FileCheck.check(bytes: snapshot.bytes, relative: path, plan: plan) }
            switch pool.check(bytes: snapshot.bytes, relative: path) {
            case .checked(let r): return r
            case .notThisTime(let why):
                return FileResult.unread(path, vi: "Không đọc xong tệp: \(why).",
                                         en: vi ? "The file could not be read: \(why)." : "The file could not be read within the limits given on the command line.")
            }
        }
    }

    func printText(_ results: [FileResult]) {
        let lang = planOptions.lang
        let vi = lang == .vi
        for r in results {
            let all = r.allFindings
            let errors = all.filter { $0.severity == .error }.count
            let warnings = all.filter { $0.severity == .warning }.count
            let status: String
            switch r.status {
            case .accepted: status = vi ? "CHẤP NHẬN" : "ACCEPTED"
            case .rejected: status = vi ? "BỊ TỪ CHỐI" : "REJECTED"
            case .unidentified: status = vi ? "KHÔNG NHẬN DIỆN ĐƯỢC" : "UNIDENTIFIED"
            case .unsupported: status = vi ? "ĐỊNH DẠNG KHÔNG ĐỌC ĐƯỢC" : "UNSUPPORTED FORMAT"
            }
            let what = r.submissions.map { s in
                [s.unit.map { "\($0.name) (\($0.code))" } ?? (vi ? "đơn vị ?" : "unit ?"), vi ? s.form.title : s.form.id,
                 s.period.map { vi ? $0.vietnamese : $0.description } ?? (vi ? "kỳ ?" : "period ?")].joined(separator: " · ")
            }.joined(separator: "; ")
            let counts = vi ? "\(errors) lỗi, \(warnings) cảnh báo" : "\(errors) error(s), \(warnings) warning(s)"
            // A file's text (its name, a cell quoted in a message) cannot drive the terminal.
            let safe = { (s: String) in TextSafety.neutralised(s, lineBreaks: false) }
            Output.write("== \(safe(r.file)): \(what.isEmpty ? "" : safe(what) + " — ")\(status) (\(counts))\n")
            for f in all.sorted(by: Check.order) {
                let severity = vi ? f.severity.vietnamese : f.severity.rawValue
                Output.write("\(safe(f.location)): \(severity) [\(f.code.rawValue)] \(safe(f.message(lang)))\n")
            }
            Output.write("\n")
        }
        let accepted = results.filter { $0.status == .accepted }.count
        Output.write(vi ? "\(results.count) tệp: \(accepted) được chấp nhận, \(results.count - accepted) cần sửa.\n"
                        : "\(results.count) file(s): \(accepted) accepted, \(results.count - accepted) to fix.\n")
    }

    /// Errors first, then by sheet and cell in reading order.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        let ra = a.cell.flatMap { CellReference($0) }, rb = b.cell.flatMap { CellReference($0) }
        return (a.sheet ?? "", ra?.row ?? 0, ra?.column ?? 0) < (b.sheet ?? "", rb?.row ?? 0, rb?.column ?? 0)
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
            o["findings"] = r.allFindings.sorted(by: Check.order).map { f -> [String: Any] in
                ["severity": f.severity.rawValue, "code": f.code.rawValue, "sheet": f.sheet ?? NSNull(),
                 "cell": f.cell ?? NSNull(), "value": f.value ?? NSNull(), "message": f.message(lang)]
            }
            return o
        }
        let data = try JSONSerialization.data(withJSONObject: ["files": files], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Output.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
