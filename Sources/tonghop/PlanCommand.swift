import ArgumentParser
import Foundation
import TongHop

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Kiểm tra thư mục kế hoạch và tóm tắt: đơn vị, biểu mẫu, hạn nộp, chỉ tiêu.",
        discussion: "Dùng sau khi sao chép và sửa kế hoạch cho năm mới: mọi lỗi được liệt kê kèm tệp, dòng và khóa."
    )

    @OptionGroup var planOptions: PlanOptions

    func run() throws {
        let plan = try planOptions.load()
        let lang = planOptions.lang
        var out = "\(plan.organisation) — \(Say.planFor.text(lang)) \(plan.year) (\(plan.folder))\n"
        out += "\n" + Say.units(plan.activeUnits.count).text(lang) + "\n"
        for u in plan.units {
            let terrain = (u.terrain == .mountain ? Say.mountain : Say.lowland).text(lang)
            let state = u.active ? "" : Say.doesNotReport.text(lang)
            out += "  \(u.code)  \(u.name), \(terrain), \(u.communes.count) \(Say.communes.text(lang))\(state)\n"
        }
        out += "\n" + Say.forms.text(lang) + "\n"
        for f in plan.forms {
            let periods = plan.periods(of: f)
            let dues = periods.compactMap { p in plan.due(form: f.id, period: p, unit: plan.activeUnits.first?.code ?? "").map { "\(p) → \($0.vietnamese)" } }
            out += "  \(f.id): \(f.title) (\(f.fields.count) \(Say.columns.text(lang)), \(f.rules.count) \(Say.rules.text(lang)))\n"
            out += "      " + dues.joined(separator: ", ") + "\n"
        }
        if !plan.exceptions.isEmpty {
            out += "\n" + Say.extensions.text(lang) + "\n"
            for e in plan.exceptions {
                out += "  \(e.unit) \(e.form) \(e.period) → \(e.due.vietnamese)\(e.reason.map { " (\($0))" } ?? "")\n"
            }
        }
        out += "\n" + Say.targets(plan.targets.count).text(lang) + "\n"
        for t in plan.targets {
            out += "  \(t.id): \(t.name) \(t.threshold.text)\(t.unit.map { " \($0)" } ?? "")\n"
        }
        print(out, terminator: "")
    }
}

extension PlanCommand {
    /// What `tonghop plan` says, in both languages.
    enum Say {
        static let planFor = Message(vi: "kế hoạch năm", en: "plan for")
        static let mountain = Message(vi: "miền núi", en: "mountain")
        static let lowland = Message(vi: "đồng bằng", en: "lowland")
        static let doesNotReport = Message(vi: " — không báo cáo", en: " — does not report")
        static let communes = Message(vi: "xã", en: "communes")
        static let forms = Message(vi: "Biểu mẫu và hạn nộp:", en: "Forms and due dates:")
        static let columns = Message(vi: "cột", en: "columns")
        static let rules = Message(vi: "quy tắc", en: "rules")
        static let extensions = Message(vi: "Gia hạn:", en: "Extensions:")

        static func units(_ n: Int) -> Message { Message(vi: "Đơn vị báo cáo (\(n)):", en: "Reporting units (\(n)):") }
        static func targets(_ n: Int) -> Message { Message(vi: "Chỉ tiêu (\(n)):", en: "Targets (\(n)):") }
    }
}
