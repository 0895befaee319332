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
                let inside = (fm.enumerator(atPath: f)?.compactMap { $0 as? String } ?? []).sorted()
                for name in inside {
                    let p = (f as NSString).appendingPathComponent(name)
                    var d: ObjCBool = false
                    if fm.fileExists(atPath: p, isDirectory: &d), !d.boolValue, !name.hasSuffix("so-cong-van-den.csv"),
                       !(name as NSString).lastPathComponent.hasPrefix(".") {
                        paths.append(p)
                    }
                }
            } else {
                paths.append(f)
            }
        }
        let results = paths.map { FileCheck.check(path: $0, relative: $0, plan: plan) }
        switch format {
        case .text: printText(results)
        case .json: try printJSON(results)
        }
        if results.contains(where: { $0.status != .accepted }) {
            Output.flush()
            throw ExitCode(Exit.findings)
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
            Output.write("== \(r.file): \(what.isEmpty ? "" : what + " — ")\(status) (\(counts))\n")
            for f in all.sorted(by: Check.order) {
                let severity = vi ? f.severity.vietnamese : f.severity.rawValue
                Output.write("\(f.location): \(severity) [\(f.code.rawValue)] \(f.message(lang))\n")
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
