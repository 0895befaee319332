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
        let vi = planOptions.lang == .vi
        let plan = try planOptions.load()
        if messages {
            try printMessages(plan: plan, vi: vi)
            return
        }
        try plan.validate(asOf: asOf)
        let day = planOptions.day(asOf: asOf)
        // Read-only: looking at the calendar never changes (or makes) a ledger.
        let ledger = try Ledger.open(db ?? Settings.load().db ?? "tonghop.sqlite", mode: .readOnly).ledger
        let submissions = try ledger.submissions()
        let statuses = Completeness.statuses(plan: plan, submissions: submissions, asOf: day)
        let unplaced = Completeness.unplaced(plan: plan, files: try ledger.files(), submissions: submissions, asOf: day)
        var out = vi ? "Lịch báo cáo ngày \(day.vietnamese)\n" : "Reporting calendar as of \(day)\n"
        func title(_ id: String) -> String { vi ? (plan.form(id)?.title ?? id) : id }
        for unit in plan.units {
            guard unit.active else {
                out += "\n\(unit.code) \(unit.name)\n"
                out += vi ? "  được miễn: không phải báo cáo năm \(plan.year)\n" : "  exempt: does not report in \(plan.year)\n"
                continue
            }
            let mine = statuses.filter { $0.unit == unit.code }
            let soon = mine.filter { $0.kind == .pending && $0.due >= day && $0.due - day <= 14 }
            let overdue = mine.filter { $0.kind == .missing || $0.kind == .rejected }
            let late = mine.filter { $0.kind == .late }
            let unread = unplaced.filter { $0.unit == unit.code }
            out += "\n\(unit.code) \(unit.name)\n"
            for f in unread {
                out += "  \(f.text(vi ? .vi : .en)): \(f.file) — \(vi ? "nhận" : "received") \(f.receivedOn.vietnamese)\n"
            }
            if soon.isEmpty && overdue.isEmpty && late.isEmpty && unread.isEmpty {
                out += vi ? "  không có gì cần theo dõi\n" : "  nothing to follow up\n"
            }
            for s in overdue {
                let what: String
                if let unread = s.unread {
                    what = (vi ? unread.vietnamese : unread.english).uppercasedFirst
                } else {
                    what = s.kind == .missing ? (vi ? "QUÁ HẠN, chưa nhận" : "OVERDUE, not received") : (vi ? "BỊ TỪ CHỐI, chờ gửi lại" : "REJECTED, awaiting a new file")
                }
                let file = s.unread != nil ? s.file.map { " [\($0)]" } ?? "" : ""
                out += "  \(what): \(title(s.form)) \(vi ? s.period.vietnamese : s.period.description) — \(vi ? "hạn" : "due") \(s.due.vietnamese) (\(day - s.due) \(vi ? "ngày trước" : "days ago"))\(file)\n"
            }
            for s in late {
                out += "  \(vi ? "nộp muộn" : "late"): \(title(s.form)) \(vi ? s.period.vietnamese : s.period.description) — \(s.daysLate ?? 0) \(vi ? "ngày" : "days")\n"
            }
            for s in soon.sorted(by: { $0.due < $1.due }) {
                out += "  \(vi ? "sắp đến hạn" : "due soon"): \(title(s.form)) \(vi ? s.period.vietnamese : s.period.description) — \(s.due.vietnamese) (\(vi ? "còn" : "in") \(s.due - day) \(vi ? "ngày" : "days"))\n"
            }
        }
        print(out, terminator: "")
    }

    /// The messages of one report folder, one unit after another in plan order.
    func printMessages(plan: Plan, vi: Bool) throws {
        guard let name = period ?? ReportFolder.periods(out).compactMap({ Period($0) }).max()?.description else {
            throw Exit.fail(vi ? "chưa có báo cáo trong \(out): chạy tonghop run trước" : "no report in \(out): run tonghop run first")
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
            print(vi ? "Kỳ \(name): không có tin nhắn nào (không đơn vị nào còn nợ báo cáo hay có lỗi cần sửa)."
                     : "Period \(name): no messages (no unit owes a report or has something to fix).")
        }
    }
}

extension String {
    /// "Đã nhận, …": the first letter in capitals, as a status line starts.
    var uppercasedFirst: String { prefix(1).uppercased() + dropFirst() }
}
