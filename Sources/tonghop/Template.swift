import ArgumentParser
import Foundation
import Sheets
import TongHop

struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tạo biểu mẫu Excel trống để đơn vị điền (tiêu đề, đơn vị, kỳ, cột có đơn vị tính, danh sách xã, dòng Tổng cộng).",
        discussion: """
            tonghop template capital-quarterly --district 573 --period 2019-Q4 -o bieu.xlsx
            tonghop template --all -o thu-muc   (mọi biểu, mọi đơn vị, kỳ sắp đến hạn)
            """
    )

    @Argument(help: "Mã biểu (monthly, poverty-plan, savings-eval, revolving-fund, capital-quarterly, capital-annual).")
    var form: String?

    @OptionGroup var planOptions: PlanOptions

    @Option(name: .long, help: "Mã đơn vị (ví dụ 573); bỏ trống để có biểu chung.")
    var district: String?

    @Option(name: .long, help: "Kỳ báo cáo (2019-10, 2019-Q4, 2019-H2, 2019); mặc định: kỳ sắp đến hạn.")
    var period: String?

    @Option(name: .customLong("as-of"), help: "Ngày tính kỳ sắp đến hạn, YYYY-MM-DD (mặc định: hôm nay).")
    var asOf: Day?

    @Flag(name: .long, help: "Mọi biểu cho mọi đơn vị, kỳ sắp đến hạn; -o là thư mục.")
    var all = false

    @Option(name: .shortAndLong, help: "Tệp .xlsx ghi ra (với --all: thư mục).")
    var output: String

    func run() throws {
        let lang = planOptions.lang
        let plan = try planOptions.load()
        try plan.validate(asOf: asOf)
        let day = planOptions.day(asOf: asOf)
        if all {
            try Exit.makeFolder(output)
            var count = 0
            for unit in plan.activeUnits {
                let folder = (output as NSString).appendingPathComponent(Folding.ascii(unit.shortName))
                try Exit.makeFolder(folder)
                for (f, p) in FormTemplate.nextPeriods(plan: plan, asOf: day) {
                    let path = (folder as NSString).appendingPathComponent(FormTemplate.fileName(form: f, period: p, unit: unit))
                    try write(FormTemplate.draft(plan: plan, form: f, unit: unit, period: p), to: path)
                    count += 1
                }
            }
            print(Say.wroteAll(count, output).text(lang))
            return
        }
        guard let formId = form else {
            throw Exit.fail(Say.formNeeded.text(lang), code: 64)
        }
        guard let f = plan.form(formId) else {
            let ids = plan.forms.map(\.id).joined(separator: ", ")
            throw Exit.fail(Say.noForm(formId, known: ids).text(lang), code: 64)
        }
        var unit: ReportingUnit?
        if let district {
            guard let u = plan.unit(district) ?? Identifier.units(in: district, plan: plan).first else {
                throw Exit.fail(Say.noUnit(district).text(lang), code: 64)
            }
            unit = u
        }
        var p = FormTemplate.nextPeriods(plan: plan, asOf: day).first { $0.0.id == f.id }?.1 ?? plan.periods(of: f).last!
        if let period {
            guard let q = Period(period), plan.periods(of: f).contains(q) else {
                let known = plan.periods(of: f).map(\.description).joined(separator: ", ")
                throw Exit.fail(Say.noPeriod(period, known: known).text(lang), code: 64)
            }
            p = q
        }
        try write(FormTemplate.draft(plan: plan, form: f, unit: unit, period: p), to: output)
        print(Say.wrote(output, form: f, period: p, unit: unit).text(lang))
    }

    func write(_ draft: WorkbookDraft, to path: String) throws {
        do { try XLSXWriter.write(draft, to: path) } catch let e as SheetsError {
            throw Exit.fail(ReadProblem(e).message(planOptions.lang))
        }
    }
}

extension Template {
    /// What `tonghop template` says, in both languages.
    enum Say {
        static let formNeeded = Message(vi: "cần mã biểu, hoặc --all", en: "a form id is needed, or --all")

        static func wroteAll(_ count: Int, _ output: String) -> Message {
            Message(vi: "Đã tạo \(count) biểu mẫu trong \(output)", en: "\(count) templates written to \(output)")
        }

        static func noForm(_ id: String, known: String) -> Message {
            Message(vi: "không có biểu \"\(id)\"; các biểu: \(known)", en: "no form \"\(id)\"; forms: \(known)")
        }

        static func noUnit(_ district: String) -> Message {
            Message(vi: "không có đơn vị \"\(district)\"", en: "no unit \"\(district)\"")
        }

        static func noPeriod(_ period: String, known: String) -> Message {
            Message(vi: "kỳ \"\(period)\" không có cho biểu này; các kỳ: \(known)", en: "no period \"\(period)\" for this form; periods: \(known)")
        }

        static func wrote(_ output: String, form f: FormDefinition, period p: Period, unit: ReportingUnit?) -> Message {
            let name = unit.map { ", \($0.name)" } ?? ""
            return Message(vi: "Đã tạo \(output): \(f.title), \(p.vietnamese)\(name)", en: "Wrote \(output): \(f.id), \(p)\(name)")
        }
    }
}
