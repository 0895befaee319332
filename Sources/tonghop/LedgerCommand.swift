import ArgumentParser
import Foundation
import TongHop

/// `tonghop ledger backup FILE`: a consistent copy of the ledger, safe while a run writes.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Việc với sổ cái: sao lưu.",
        subcommands: [Backup.self]
    )

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sao lưu sổ cái vào FILE (bản chụp nhất quán, chạy được cả khi tonghop run đang ghi).",
            discussion: """
                Dùng hằng đêm sau tonghop run, ví dụ: tonghop ledger backup --db tonghop.sqlite sao-luu/tonghop-$(date +%u).sqlite \
                (giữ 7 bản, mỗi ngày trong tuần một bản). Khôi phục: chép bản sao lưu vào chỗ của sổ cái rồi chạy lại tonghop run.
                """
        )

        @Option(name: .long, help: "Tệp sổ cái SQLite.")
        var db = "tonghop.sqlite"

        @Option(name: .long, help: "Ngôn ngữ thông báo: vi hoặc en.")
        var lang: Language = .vi

        @Argument(help: "Tệp sao lưu ghi ra (ghi đè nếu đã có).")
        var file: String

        func run() throws {
            Exit.language = lang
            let vi = lang == .vi
            guard RunLock.canonical(file) != RunLock.canonical(db) else {
                throw Exit.fail(vi ? "tệp sao lưu không thể là chính sổ cái \(db)" : "the backup cannot be the ledger \(db) itself", code: Exit.usage)
            }
            let ledger = try Ledger.open(db, mode: .readOnly).ledger
            try ledger.backup(to: file)
            let files = try ledger.fileCount()
            print(vi ? "Đã sao lưu sổ cái \(db) (\(files) tệp đã ghi) vào \(file)" : "Backed up the ledger \(db) (\(files) files recorded) to \(file)")
        }
    }
}
