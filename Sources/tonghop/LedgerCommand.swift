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

        @Option(name: .long, help: "Tệp sổ cái SQLite; mặc định: db: của tonghop.yml, rồi tonghop.sqlite.")
        var db: String?

        @Option(name: .customLong("lang"), help: "Ngôn ngữ thông báo: vi hoặc en; mặc định: lang: của tonghop.yml, rồi vi.")
        var langOption: Language?

        @Argument(help: "Tệp sao lưu ghi ra (ghi đè nếu đã có).")
        var file: String

        func run() throws {
            // The ledger and language of tonghop.yml, as `tonghop run` reads them: the nightly
            // backup line needs no --db when the run's needs none.
            let lang = langOption ?? Settings.current?.lang ?? .vi
            Exit.language = lang
            let db = try self.db ?? Settings.load().db ?? "tonghop.sqlite"
            guard RunLock.canonical(file) != RunLock.canonical(db) else {
                throw Exit.fail(Say.backupIsLedger(db).text(lang), code: Exit.usage)
            }
            let ledger = try Ledger.open(db, mode: .readOnly).ledger
            try ledger.backup(to: file)
            let files = try ledger.fileCount()
            print(Say.backedUp(db, files: files, to: file).text(lang))
        }
    }
}

extension LedgerCommand.Backup {
    /// What `tonghop ledger backup` says, in both languages.
    enum Say {
        static func backupIsLedger(_ db: String) -> Message {
            Message(vi: "tệp sao lưu không thể là chính sổ cái \(db)", en: "the backup cannot be the ledger \(db) itself")
        }

        static func backedUp(_ db: String, files: Int, to file: String) -> Message {
            Message(vi: "Đã sao lưu sổ cái \(db) (\(files) tệp đã ghi) vào \(file)", en: "Backed up the ledger \(db) (\(files) files recorded) to \(file)")
        }
    }
}
