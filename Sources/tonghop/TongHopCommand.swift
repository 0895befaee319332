// The executable: parses arguments, calls the engine, prints, and maps failures to exit codes.
import ArgumentParser
import Foundation
import Sheets
import TongHop

@main
struct TongHopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tonghop",
        abstract: "Tổng hợp báo cáo của các Hội LHPN huyện (batch report generator).",
        version: "0.1.0",
        subcommands: [Run.self, Close.self, Check.self, Status.self, Template.self, Inspect.self, PlanCommand.self, Sample.self, LedgerCommand.self, Worker.self]
    )

    /// Parses, runs, and ends with the exit code `Exit.code(for:)` gives the failure.
    static func main() {
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            try command.run()
        } catch {
            Output.flush()
            if let (message, code) = Exit.describe(error) {
                Output.standardError("tonghop: " + message + "\n")
                Foundation.exit(code)
            }
            exit(withError: error)
        }
        Output.flush()
    }
}

/// A failure a command reports itself: its message for the clerk and its exit code.
struct Failure: Error {
    var message: String
    var code: Int32
}

/// The one place that turns failures into exit codes: 0 all well, 1 findings need a human,
/// 2 operational error, 64 usage. Commands throw typed errors (`Failure`, `RunJobError`,
/// `LedgerError`, `OutputError`); the argument parser's own (help, `ExitCode`,
/// `ValidationError`, 64) keep its handling.
enum Exit {
    static let findings: Int32 = 1
    static let operational: Int32 = 2
    static let usage: Int32 = 64
    /// The language of the messages, set when a command reads its options.
    nonisolated(unsafe) static var language: Language = .vi

    /// A failure with a message for the clerk, ending the command with `code`.
    static func fail(_ message: String, code: Int32 = operational) -> Failure {
        Failure(message: message, code: code)
    }

    /// The message and exit code of a failure; nil for the argument parser's own.
    static func describe(_ error: Error) -> (String, Int32)? {
        guard let (message, code) = message(for: error) else { return nil }
        return (message.withHint(language), code)
    }

    /// What a failure says, and its exit code; nil for the argument parser's own.
    static func message(for error: Error) -> (Message, Int32)? {
        switch error {
        case let f as Failure:
            return (.same(f.message), f.code)
        case let e as RunJobError:
            switch e {
            case .usage(let v, let en):
                return (Message(vi: v, en: en), usage)
            case .locked(let held):
                return (Say.locked(held.path, held.holder), operational)
            case .lockFailed(let path, let detail):
                return (Say.lockFailed(path, detail), operational)
            case .inbox(let path):
                return (Say.noInbox(path), operational)
            case .ledger(let l):
                return message(for: l)
            case .render(let r):
                return (Say.template(r.path, r.detail), operational)
            case .output(let o):
                return message(for: o)
            case .failed(let stage, let detail):
                return (Say.failed(stage.name(.vi), stage.name(.en), detail), operational)
            }
        case let l as LedgerError:
            switch l.kind {
            case .missing: return (Say.noLedger(l.path), operational)
            case .noFolder: return (Say.noLedgerFolder(l.path, folder: l.detail), operational)
            case .empty: return (Say.emptyLedger(l.path), operational)
            case .notALedger: return (Say.notALedger(l.path, l.detail), operational)
            case .damaged: return (Say.damagedLedger(l.path, l.detail), operational)
            case .failed: return (Say.ledgerFailed(l.path, l.detail), operational)
            }
        case let o as OutputError:
            return (Say.cannotWriteReports(o.path, o.detail), operational)
        case let v as ValidationError:
            // A value the parser accepted but the plan does not (a day outside its years).
            return (.same(v.message), usage)
        case is ExitCode, is CleanExit:
            return nil
        case _ where String(reflecting: type(of: error)).hasPrefix("ArgumentParser."):
            // The parser's own (help asked for, a bad option): its usual handling.
            return nil
        default:
            // Anything else is operational, said in words rather than a framework's dump.
            return (Say.operational(plain(error)), operational)
        }
    }

    /// A Foundation error as a sentence: the file and the system's reason.
    static func plain(_ error: Error) -> String {
        let ns = error as NSError
        let path = ns.userInfo[NSFilePathErrorKey] as? String
        var reason = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
        if reason == nil, ns.domain == NSPOSIXErrorDomain { reason = String(cString: strerror(Int32(ns.code))) }
        return [path, reason ?? ns.localizedDescription].compactMap { $0 }.joined(separator: ": ")
    }

    /// Creates a folder and its parents, naming the part of the path that stops it.
    static func makeFolder(_ path: String) throws {
        var isDir: ObjCBool = false
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix = prefix.isEmpty || prefix == "/" ? prefix + part : prefix + "/" + part
            if FileManager.default.fileExists(atPath: prefix, isDirectory: &isDir) {
                if !isDir.boolValue {
                    throw fail(Say.folderIsAFile(path, prefix).withHint(language))
                }
            } else if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw fail(Say.cannotCreate(prefix, String(cString: strerror(errno))).text(language))
            }
        }
    }
}

extension Exit {
    /// What the command line says when a command fails, in both languages.
    enum Say {
        static func locked(_ path: String, _ holder: String) -> Message {
            Message(vi: "một lần chạy khác đang giữ khóa \(path) (\(holder)); thử lại sau khi nó xong.",
                    en: "another run holds the lock \(path) (\(holder)); try again when it is done.")
        }

        static func lockFailed(_ path: String, _ detail: String) -> Message {
            Message(vi: "không tạo được tệp khóa \(path) (\(detail)); cần quyền ghi vào thư mục của sổ cái.",
                    en: "cannot create the lock file \(path) (\(detail)); the ledger's folder must be writable.")
        }

        static func noInbox(_ path: String) -> Message {
            Message(vi: "không có thư mục hộp thư \(path)", en: "no inbox folder \(path)")
        }

        static func failed(_ stageVi: String, _ stageEn: String, _ detail: String) -> Message {
            Message(vi: "lỗi vận hành (\(stageVi)): \(detail)", en: "operational error (\(stageEn)): \(detail)")
        }

        static func template(_ path: String, _ detail: String) -> Message {
            Message(vi: "mẫu báo cáo \(path): \(detail)", en: "report template \(path): \(detail)")
        }

        static func noLedger(_ path: String) -> Message {
            Message(vi: "chưa có sổ cái \(path): chạy tonghop run trước (hoặc kiểm tra lại --db).",
                    en: "no ledger \(path): run tonghop run first (or check --db).")
        }

        static func noLedgerFolder(_ path: String, folder: String) -> Message {
            Message(vi: "không có thư mục \(folder) để tạo sổ cái \(path); không tạo thư mục nào.",
                    en: "no folder \(folder) for the ledger \(path); no folder is made.",
                    hint: .init(vi: "Cách sửa: kiểm tra lại --db (gõ nhầm?) hoặc tạo thư mục đó trước.",
                                en: "To fix: check --db for a typo, or create the folder first."))
        }

        static func emptyLedger(_ path: String) -> Message {
            Message(vi: "tệp sổ cái \(path) rỗng (0 byte): đây không phải sổ cái, và chương trình không tạo sổ mới đè lên nó (mọi lịch sử và ngày nhận sẽ mất).",
                    en: "the ledger \(path) is empty (0 bytes): not a ledger, and no new one is made over it (all history and received dates would be lost).",
                    hint: .init(vi: "Cách sửa: nếu có bản sao lưu, chép nó vào \(path); nếu đúng là muốn bắt đầu sổ cái mới, xóa tệp rỗng này rồi chạy lại.",
                                en: "To fix: copy a backup to \(path); to start a new ledger on purpose, delete the empty file and run again."))
        }

        static func notALedger(_ path: String, _ detail: String) -> Message {
            Message(vi: "tệp \(path) không phải sổ cái tonghop (\(detail)); không ghi gì vào nó.",
                    en: "\(path) is not a tonghop ledger (\(detail)); nothing was written to it.",
                    hint: .init(vi: "Cách sửa: kiểm tra lại --db; sổ cái thường là tonghop.sqlite.",
                                en: "To fix: check --db; the ledger is usually tonghop.sqlite."))
        }

        /// A damaged ledger, and how to restore it from the nightly backup.
        static func damagedLedger(_ path: String, _ detail: String) -> Message {
            Message(vi: "sổ cái \(path) bị hỏng (SQLite: \(detail)); không chạy tiếp để khỏi ghi thêm vào tệp hỏng.",
                    en: "the ledger \(path) is damaged (SQLite: \(detail)); stopped so as not to write to it.",
                    hint: .init(vi: """
                        Cách khôi phục: (1) đổi tên tệp này (ví dụ thêm đuôi .hong) để giữ lại làm bằng chứng; \
                        (2) chép bản sao lưu gần nhất (do "tonghop ledger backup" tạo hằng đêm) vào đúng chỗ \(path); \
                        (3) chạy lại tonghop run: các tệp còn trong hộp thư được đọc lại, ngày nhận lấy theo sổ công văn đến. \
                        Không có bản sao lưu: sau bước (1), tonghop run tạo sổ cái mới và đọc lại cả hộp thư.
                        """, en: """
                        To restore: (1) rename this file (add .damaged) to keep it; (2) copy the latest backup \
                        (made nightly by "tonghop ledger backup") to \(path); (3) run tonghop run again: the files still \
                        in the inbox are read again, with their received dates from the register. Without a backup: after \
                        step (1), tonghop run makes a new ledger and reads the whole inbox again.
                        """))
        }

        static func ledgerFailed(_ path: String, _ detail: String) -> Message {
            Message(vi: "không dùng được sổ cái \(path): \(detail)", en: "cannot use the ledger \(path): \(detail)")
        }

        static func cannotWriteReports(_ path: String, _ detail: String) -> Message {
            Message(vi: "không ghi được báo cáo vào \(path): \(detail); sổ cái vẫn nguyên vẹn, chạy lại sau khi sửa.",
                    en: "cannot write the reports to \(path): \(detail); the ledger is intact, run again once fixed.")
        }

        static func operational(_ detail: String) -> Message {
            Message(vi: "lỗi vận hành: \(detail)", en: "operational error: \(detail)")
        }

        static func folderIsAFile(_ path: String, _ prefix: String) -> Message {
            Message(vi: "không tạo được thư mục \(path): \(prefix) là một tệp, không phải thư mục.",
                    en: "cannot create the folder \(path): \(prefix) is a file, not a folder.",
                    hint: .init(vi: "Cách sửa: chọn -o khác.", en: "To fix: choose another -o."))
        }

        static func cannotCreate(_ folder: String, _ reason: String) -> Message {
            Message(vi: "không tạo được thư mục \(folder): \(reason)", en: "cannot create the folder \(folder): \(reason)")
        }

        static func dayOutsidePlan(_ option: String, _ day: Day, year: Int) -> Message {
            Message(vi: "\(option) \(day) nằm ngoài kế hoạch năm \(year) (chỉ nhận ngày từ năm \(year - 1) đến \(year + 1))",
                    en: "\(option) \(day) is outside the \(year) plan (days from \(year - 1) to \(year + 1) only)")
        }

        static func periodOutsidePlan(_ period: Period, year: Int) -> Message {
            Message(vi: "--period \(period) nằm ngoài kế hoạch năm \(year) (chỉ nhận kỳ của năm \(year - 1) hoặc \(year))",
                    en: "--period \(period) is outside the \(year) plan (periods of \(year - 1) or \(year) only)")
        }
    }
}

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Period: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Plan {
    /// A day a command may be asked about: within the plan's year, give or take one.
    func validate(asOf day: Day?, option: String = "--as-of") throws {
        guard let day, !((year - 1)...(year + 1)).contains(day.year) else { return }
        throw ValidationError(Exit.Say.dayOutsidePlan(option, day, year: year).text(Exit.language))
    }

    /// A report period of this plan: of its year or the year before (whose reports are due in it).
    func validate(period: Period?) throws {
        guard let period, !((year - 1)...year).contains(period.year) else { return }
        throw ValidationError(Exit.Say.periodOutsidePlan(period, year: year).text(Exit.language))
    }
}

/// Buffered standard output; a closed pipe (`tonghop inspect --csv … | head`) ends the
/// command quietly instead of being an error.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { p in
                Foundation.write(STDOUT_FILENO, p.baseAddress! + offset, p.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                // EPIPE: the reader went away; nothing more to say to it.
                exit(0)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func standardError(_ s: String) {
        flush()
        FileHandle.standardError.write(Data(s.utf8))
    }
}
