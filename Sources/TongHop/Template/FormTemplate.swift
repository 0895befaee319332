// Template: the blank form a district fills — the official heading, a cover block and a
// hidden metadata sheet that identify unit, form and period, the header row with units and
// a note on each header, one row per commune already named, a Tổng cộng row of SUM formulas,
// and data validation from the form's bounds. What the district sends back is then read
// without guessing.
import Foundation
import Sheets

public enum FormTemplate {
    /// Blank rows of a template without a unit (no commune list to name them).
    static let blankRows = 20

    public static func draft(plan: Plan, form: FormDefinition, unit: ReportingUnit?, period: Period) -> WorkbookDraft {
        let communes = form.rows == .perCommune ? (unit?.communes.isEmpty == false ? unit!.communes : Array(repeating: "", count: blankRows)) : [""]
        let rows: [[String: WorkbookDraft.Value]] = communes.map { c in
            guard let key = form.fields.first(where: \.isRowKey)?.key, !c.isEmpty else { return [:] }
            return [key: .text(c)]
        }
        let placeholder = ReportingUnit(code: "", name: "Huyện ……………", kind: "huyện", terrain: .lowland, communes: [], aliases: [], active: true)
        var draft = FormLayout.draft(plan: plan, form: form, unit: unit ?? placeholder, period: period, rows: rows, blankTotals: true)
        var sheet = draft.sheets[0]
        if unit == nil {
            sheet.cells.removeAll { $0.row == 1 && $0.column == 1 || $0.row == 5 && $0.column == 1 }
            sheet.set(1, 1, .text("HỘI LHPN …………………………"), .bold)
            sheet.set(5, 1, .text("Đơn vị: Hội LHPN …………………… (ghi rõ huyện, thị xã, thành phố)"))
        }
        sheet.set(2, 7, .text("Độc lập - Tự do - Hạnh phúc"), .bold)
        let lastRow = FormLayout.firstDataRow + communes.count - 1
        // Notes on the headers: what each column means, its unit and its bounds.
        for (i, f) in form.fields.enumerated() {
            var note = f.help ?? f.header
            if let u = f.unit { note += "\nĐơn vị tính: \(u)." }
            switch f.type {
            case .integer: note += "\nGhi số nguyên" + bounds(f) + "."
            case .decimal: note += "\nGhi số" + bounds(f) + "; số lẻ dùng dấu phẩy theo máy (ví dụ 1234,5)."
            case .percent: note += "\nGhi tỷ lệ phần trăm" + bounds(f) + "."
            case .date: note += "\nGhi ngày dạng 30/11/2019."
            case .enumeration: note += "\nChọn một trong: \(f.values.joined(separator: ", "))."
            case .text: break
            }
            if f.required {
                note += "\nBắt buộc: phải có số liệu; ô để trống thì báo cáo bị trả lại."
            } else if f.blank == .zero {
                note += "\nÔ để trống được tính là 0."
            } else if f.blank == .noData, f.type != .text {
                note += "\nÔ để trống là chưa có số liệu (không phải 0)."
            }
            sheet.comments.append((CellReference(row: FormLayout.headerRow, column: i + 2), note))
            // Validation on the data rows, from the form's own bounds.
            let range = CellRange(first: CellReference(row: FormLayout.firstDataRow, column: i + 2),
                                  last: CellReference(row: lastRow, column: i + 2))
            switch f.type {
            case .integer:
                sheet.validations.append(.init(range: range, rule: .whole(min: f.min, max: f.max),
                                               error: "Cột \"\(f.header)\" nhận số nguyên" + bounds(f) + ".", prompt: f.unit.map { "\(f.header) (\($0))" }))
            case .decimal, .percent:
                sheet.validations.append(.init(range: range, rule: .decimal(min: f.min, max: f.max),
                                               error: "Cột \"\(f.header)\" nhận số" + bounds(f) + ".", prompt: f.unit.map { "\(f.header) (\($0))" }))
            case .enumeration:
                sheet.validations.append(.init(range: range, rule: .list(f.values), error: "Chọn một giá trị trong danh sách."))
            default:
                break
            }
        }
        // The header, the codes and the commune column stay in view while scrolling.
        let keyColumn = (form.fields.firstIndex { $0.isRowKey } ?? -1) + 2
        sheet.freeze = CellReference(row: FormLayout.firstDataRow, column: max(keyColumn + 1, 2))
        layOutForPrint(&sheet, plan: plan, form: form, unit: unit, dataRows: communes.count)
        var meta = WorkbookDraft.Sheet(name: FormLayout.metadataSheet)
        meta.hidden = true
        meta.set(1, 1, .text("unit")); meta.set(1, 2, .text(unit?.code ?? ""))
        meta.set(2, 1, .text("form")); meta.set(2, 2, .text(form.id))
        meta.set(3, 1, .text("period")); meta.set(3, 2, .text(period.description))
        meta.set(4, 1, .text("plan")); meta.set(4, 2, .text(String(plan.year)))
        meta.set(6, 1, .text("Trang này giúp chương trình tổng hợp nhận ra biểu. Xin đừng sửa hay xóa."))
        sheet.name = "Biểu"
        draft.sheets = [sheet, meta]
        draft.title = "\(form.title) — \(period.vietnamese)"
        return draft
    }

    static func bounds(_ f: FieldDefinition) -> String {
        switch (f.min, f.max) {
        case let (a?, b?): return " từ \(VietnameseFormat.number(a)) đến \(VietnameseFormat.number(b))"
        case let (a?, nil): return a == 0 ? ", không âm" : " từ \(VietnameseFormat.number(a)) trở lên"
        case let (nil, b?): return " không quá \(VietnameseFormat.number(b))"
        default: return ""
        }
    }

    /// For each form, the next period due on or after `asOf` (the one a district fills next).
    public static func nextPeriods(plan: Plan, asOf: Day) -> [(FormDefinition, Period)] {
        plan.forms.compactMap { f in
            let unit = plan.activeUnits.first?.code ?? ""
            let next = plan.periods(of: f).filter { (plan.due(form: f.id, period: $0, unit: unit) ?? asOf) >= asOf }.min()
            return next.map { (f, $0) }
        }
    }

    /// A file name for a template: `Bc von quy 2019-Q4 - Khanh Vinh.xlsx`.
    public static func fileName(form: FormDefinition, period: Period, unit: ReportingUnit?) -> String {
        let word = form.fileNameWords.first ?? form.id
        let base = "\(word.prefix(1).uppercased() + word.dropFirst()) \(period)"
        return (unit.map { "\(base) - \(Folding.ascii($0.shortName))" } ?? base) + ".xlsx"
    }
}
