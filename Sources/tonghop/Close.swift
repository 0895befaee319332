import ArgumentParser
import Foundation
import TongHop

/// `tonghop close PERIOD`: chốt số liệu. The period's report is written one last time, marked
/// đã chốt, and never again: files for it that arrive later go into a numbered re-issue
/// ("lần 2") beside it, written by the next run.
struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chốt số liệu một kỳ: báo cáo của kỳ không bị ghi lại; tệp nhận sau vào báo cáo lần 2, lần 3 …",
        discussion: """
            Chạy sau khi Ban Thường vụ thông qua báo cáo. Báo cáo được ghi lần cuối với chữ "đã chốt" và số liệu \
            đến ngày báo cáo đang ghi (hoặc --as-of). Mã thoát: 0 đã chốt (hoặc đã chốt từ trước); 2 chưa có báo cáo \
            của kỳ, không ghi được, hoặc đang có lần chạy khác.
            """
    )

    @OptionGroup var planOptions: PlanOptions

    @Argument(help: "Kỳ cần chốt: 2019-11, 2019-Q3, 2019-H1, 2019.")
    var period: String

    @Option(name: .long, help: "Thư mục hộp thư (để lập bản góp ý của các tệp); mặc định: inbox: của tonghop.yml, rồi inbox.")
    var inbox: String?

    @Option(name: .long, help: "Thư mục báo cáo; mặc định: out: của tonghop.yml, rồi reports.")
    var out: String?

    @Option(name: .long, help: "Tệp sổ cái SQLite; mặc định: db: của tonghop.yml, rồi tonghop.sqlite.")
    var db: String?

    @Option(name: .customLong("as-of"), help: "Số liệu đến ngày, YYYY-MM-DD (mặc định: ngày của báo cáo đang có).")
    var asOf: Day?

    func run() throws {
        let lang = planOptions.lang
        guard let p = Period(period) else {
            throw Exit.fail(Say.notAPeriod(period).text(lang), code: 64)
        }
        let plan = try planOptions.load()
        // The folders and ledger of tonghop.yml, as `tonghop run` reads them.
        let settings = try Settings.load()
        let inbox = inbox ?? settings.inbox ?? "inbox", out = out ?? settings.out ?? "reports", db = db ?? settings.db ?? "tonghop.sqlite"
        let today = planOptions.day(asOf: nil)
        let day = asOf
        guard FileManager.default.fileExists(atPath: db) else {
            throw Exit.fail(Say.noLedger(db).text(lang))
        }
        let lock: RunLock
        do { lock = try RunLock(path: db + ".lock") } catch let held as RunLock.Held {
            throw Exit.fail(Say.locked(held.holder).text(lang))
        }
        defer { withExtendedLifetime(lock) {} }
        do {
            let renderer = try ReportRenderer(plan: plan)
            let ledger = try Ledger(path: db)
            let outcome = try PeriodReports.close(plan: plan, renderer: renderer, ledger: ledger, out: out, inbox: inbox,
                                                  period: p, on: today, asOf: day)
            if let before = outcome.alreadyClosedOn {
                Output.write(Say.alreadyClosed(p, on: before, asOf: outcome.asOf).text(lang) + "\n")
            } else {
                Output.write(Say.closed(p, asOf: outcome.asOf, folder: outcome.folder).text(lang) + "\n")
            }
            try PeriodReports.writeIndex(plan: plan, renderer: renderer, ledger: ledger, out: out, asOf: outcome.asOf)
            Output.flush()
        } catch PeriodReports.CloseError.noReport(let folder) {
            throw Exit.fail(Say.noReport(folder, period: p).text(lang))
        } catch PeriodReports.CloseError.output(let e) {
            throw Exit.fail(Say.cannotWrite(e.path, e.detail).text(lang))
        } catch let e as RenderError {
            throw Exit.fail("\(e.path): \(e.detail)")
        } catch let e as LedgerError {
            throw Exit.fail(e.description)
        } catch let e as OutputError {
            throw Exit.fail(Say.cannotWrite(e.path, e.detail).text(lang))
        }
    }
}

extension Close {
    /// What `tonghop close` says, in both languages.
    enum Say {
        static func notAPeriod(_ text: String) -> Message {
            Message(vi: "\"\(text)\" không phải kỳ báo cáo (viết 2019-11, 2019-Q3 hoặc 2019)",
                    en: "\"\(text)\" is not a period (write 2019-11, 2019-Q3 or 2019)")
        }

        static func noLedger(_ db: String) -> Message {
            Message(vi: "không có sổ cái \(db): chạy tonghop run trước", en: "no ledger \(db): run tonghop run first")
        }

        static func locked(_ holder: String) -> Message {
            Message(vi: "đang có lần chạy khác (\(holder)); thử lại sau", en: "another run holds the lock (\(holder)); try again later")
        }

        static func alreadyClosed(_ p: Period, on before: Day, asOf: Day) -> Message {
            Message(vi: "Kỳ \(p.vietnamese) đã chốt từ ngày \(before.vietnamese) (số liệu đến ngày \(asOf.vietnamese)); không ghi lại.",
                    en: "\(p) was closed on \(before) (data to \(asOf)); nothing rewritten.")
        }

        static func closed(_ p: Period, asOf: Day, folder: String) -> Message {
            Message(vi: "Đã chốt số liệu \(p.vietnamese) đến ngày \(asOf.vietnamese): \(folder)/index.html",
                    en: "Closed \(p) with data to \(asOf): \(folder)/index.html")
        }

        static func noReport(_ folder: String, period p: Period) -> Message {
            Message(vi: "chưa có báo cáo \(folder) để chốt: chạy tonghop run --period \(p) trước, hoặc ghi --as-of",
                    en: "no report \(folder) to close: run tonghop run --period \(p) first, or give --as-of")
        }

        static func cannotWrite(_ path: String, _ detail: String) -> Message {
            Message(vi: "không ghi được \(path): \(detail)", en: "cannot write \(path): \(detail)")
        }
    }
}
