import ArgumentParser
import Foundation
import TongHop

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lịch hạn nộp theo sổ cái: sắp đến hạn (14 ngày), quá hạn chưa nhận, nộp muộn — theo từng huyện."
    )

    @OptionGroup var planOptions: PlanOptions

    @Option(name: .long, help: "Tệp sổ cái SQLite; mặc định: db: của tonghop.yml, rồi tonghop.sqlite.")
    var db: String?

    @Option(name: .customLong("as-of"), help: "Ngày xét, YYYY-MM-DD (mặc định: hôm nay).")
    var asOf: Day?

    @Flag(name: .long, help: "In các tin nhắn nhắc nộp của lần chạy gần nhất (reports/<kỳ>/phan-hoi/<mã đơn vị>.txt), để dán vào Zalo hoặc thư điện tử.")
    var messages = false

    @Option(name: .long, help: "Thư mục báo cáo (với --messages).")
    var out = "reports"

    @Option(name: .long, help: "Kỳ báo cáo (với --messages); mặc định: kỳ mới nhất trong thư mục báo cáo.")
    var period: String?

    func run() throws {
        let lang = planOptions.lang
        let plan = try planOptions.load()
        if messages {
            try printMessages(plan: plan, lang: lang)
            return
        }
        try plan.validate(asOf: asOf)
        let day = planOptions.day(asOf: asOf)
        // Read-only: looking at the calendar never changes (or makes) a ledger.
        let ledger = try Ledger.open(db ?? Settings.load().db ?? "tonghop.sqlite", mode: .readOnly).ledger
        let calendar = FollowUp.calendar(plan: plan, submissions: try ledger.submissions(), files: try ledger.files(), asOf: day)
        var out = Say.heading(day).text(lang) + "\n"
        func title(_ id: String) -> String { Message(vi: plan.form(id)?.title ?? id, en: id).text(lang) }
        func period(_ p: Period) -> String { Message(vi: p.vietnamese, en: p.description).text(lang) }
        for unit in calendar {
            out += "\n\(unit.unit.code) \(unit.unit.name)\n"
            guard !unit.exempt else {
                out += "  " + Say.exempt(plan.year).text(lang) + "\n"
                continue
            }
            for f in unit.unread {
                out += "  \(f.text(lang)): \(f.file) — \(Say.received.text(lang)) \(f.receivedOn.vietnamese)\n"
            }
            if unit.isEmpty {
                out += "  " + Say.nothingToFollow.text(lang) + "\n"
            }
            for s in unit.overdue {
                let what = s.unread.map { Message(vi: $0.vietnamese, en: $0.english).text(lang).uppercasedFirst }
                    ?? (s.kind == .missing ? Say.overdue : Say.rejected).text(lang)
                let file = s.unread != nil ? s.file.map { " [\($0)]" } ?? "" : ""
                out += "  \(what): \(title(s.form)) \(period(s.period)) — \(Say.due(s.due, daysAgo: day - s.due).text(lang))\(file)\n"
            }
            for s in unit.late {
                out += "  \(Say.late.text(lang)): \(title(s.form)) \(period(s.period)) — \(Say.days(s.daysLate ?? 0).text(lang))\n"
            }
            for s in unit.soon {
                out += "  \(Say.dueSoon.text(lang)): \(title(s.form)) \(period(s.period)) — \(Say.dueIn(s.due, days: s.due - day).text(lang))\n"
            }
        }
        print(out, terminator: "")
    }

    /// The messages of one report folder, one unit after another in plan order.
    func printMessages(plan: Plan, lang: Language) throws {
        guard let name = period ?? ReportFolder.periods(out).compactMap({ Period($0) }).max()?.description else {
            throw Exit.fail(Say.noReport(out).text(lang))
        }
        let folder = ((out as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("phan-hoi")
        var printed = 0
        for unit in plan.activeUnits {
            let path = (folder as NSString).appendingPathComponent("\(unit.code).txt")
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            print("── \(unit.code) \(unit.name) (\(path))")
            print(text)
            printed += 1
        }
        if printed == 0 {
            print(Say.noMessages(name).text(lang))
        }
    }
}

extension Status {
    /// What `tonghop status` says, in both languages.
    enum Say {
        static let received = Message(vi: "nhận", en: "received")
        static let nothingToFollow = Message(vi: "không có gì cần theo dõi", en: "nothing to follow up")
        static let overdue = Message(vi: "QUÁ HẠN, chưa nhận", en: "OVERDUE, not received")
        static let rejected = Message(vi: "BỊ TỪ CHỐI, chờ gửi lại", en: "REJECTED, awaiting a new file")
        static let late = Message(vi: "nộp muộn", en: "late")
        static let dueSoon = Message(vi: "sắp đến hạn", en: "due soon")

        static func heading(_ day: Day) -> Message {
            Message(vi: "Lịch báo cáo ngày \(day.vietnamese)", en: "Reporting calendar as of \(day)")
        }

        static func exempt(_ year: Int) -> Message {
            Message(vi: "được miễn: không phải báo cáo năm \(year)", en: "exempt: does not report in \(year)")
        }

        static func due(_ due: Day, daysAgo: Int) -> Message {
            Message(vi: "hạn \(due.vietnamese) (\(daysAgo) ngày trước)", en: "due \(due.vietnamese) (\(daysAgo) days ago)")
        }

        static func days(_ n: Int) -> Message { Message(vi: "\(n) ngày", en: "\(n) days") }

        static func dueIn(_ due: Day, days: Int) -> Message {
            Message(vi: "\(due.vietnamese) (còn \(days) ngày)", en: "\(due.vietnamese) (in \(days) days)")
        }

        static func noReport(_ out: String) -> Message {
            Message(vi: "chưa có báo cáo trong \(out): chạy tonghop run trước", en: "no report in \(out): run tonghop run first")
        }

        static func noMessages(_ period: String) -> Message {
            Message(vi: "Kỳ \(period): không có tin nhắn nào (không đơn vị nào còn nợ báo cáo hay có lỗi cần sửa).",
                    en: "Period \(period): no messages (no unit owes a report or has something to fix).")
        }
    }
}
