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
        let vi = planOptions.lang == .vi
        var out = "\(plan.organisation) — \(vi ? "kế hoạch năm" : "plan for") \(plan.year) (\(plan.folder))\n"
        out += vi ? "\nĐơn vị báo cáo (\(plan.activeUnits.count)):\n" : "\nReporting units (\(plan.activeUnits.count)):\n"
        for u in plan.units {
            let terrain = u.terrain == .mountain ? (vi ? "miền núi" : "mountain") : (vi ? "đồng bằng" : "lowland")
            let state = u.active ? "" : (vi ? " — không báo cáo" : " — does not report")
            out += "  \(u.code)  \(u.name), \(terrain), \(u.communes.count) \(vi ? "xã" : "communes")\(state)\n"
        }
        out += vi ? "\nBiểu mẫu và hạn nộp:\n" : "\nForms and due dates:\n"
        for f in plan.forms {
            let periods = plan.periods(of: f)
            let dues = periods.compactMap { p in plan.due(form: f.id, period: p, unit: plan.activeUnits.first?.code ?? "").map { "\(p) → \($0.vietnamese)" } }
            out += "  \(f.id): \(f.title) (\(f.fields.count) \(vi ? "cột" : "columns"), \(f.rules.count) \(vi ? "quy tắc" : "rules"))\n"
            out += "      " + dues.joined(separator: ", ") + "\n"
        }
        if !plan.exceptions.isEmpty {
            out += vi ? "\nGia hạn:\n" : "\nExtensions:\n"
            for e in plan.exceptions {
                out += "  \(e.unit) \(e.form) \(e.period) → \(e.due.vietnamese)\(e.reason.map { " (\($0))" } ?? "")\n"
            }
        }
        out += vi ? "\nChỉ tiêu (\(plan.targets.count)):\n" : "\nTargets (\(plan.targets.count)):\n"
        for t in plan.targets {
            out += "  \(t.id): \(t.name) \(t.threshold.text)\(t.unit.map { " \($0)" } ?? "")\n"
        }
        print(out, terminator: "")
    }
}
