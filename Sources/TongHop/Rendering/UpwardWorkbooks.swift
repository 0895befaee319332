// Rendering: the province's own submission to the level above (nộp cấp trên). For each form
// due, the province's report in the form's own layout — the printable template the districts
// fill, one level up: the districts are the rows, the cover block names the province, the
// metadata sheet carries the province's code in the upper plan, and the Tổng cộng row holds
// SUM formulas with their values. A district without a report in use has a row with its name
// and no figures, and a note saying why: no data is never written as 0.
import Foundation
import Sheets

public enum UpwardWorkbooks {
    /// The folder inside the period's report folder.
    public static let folder = "nop-cap-tren"

    /// The header of the row-key column when the rows are districts.
    public static let districtHeader = "Huyện, thị xã, thành phố"

    /// For each form, the period the province owes upward on the as-of day: the latest
    /// period of the form already due (by the plan's deadline for its districts) that began
    /// by the end of the report's period.
    public static func duePeriods(plan: Plan, period: Period, asOf: Day) -> [(FormDefinition, Period)] {
        let unit = plan.activeUnits.first?.code ?? ""
        let end = plan.cutoff.end(of: period)
        return plan.forms.compactMap { f in
            let due = plan.periods(of: f).filter { p in
                plan.cutoff.start(of: p) <= end && (plan.due(form: f.id, period: p, unit: unit) ?? plan.cutoff.end(of: p)) <= asOf
            }
            return due.max().map { (f, $0) }
        }
    }

    /// The province as a unit of the upper plan: its code there, its name, its districts.
    public static func provinceUnit(_ plan: Plan) -> ReportingUnit {
        ReportingUnit(code: plan.official.upperCode ?? "", name: plan.province, kind: plan.official.upperKind,
                      terrain: .lowland, communes: plan.activeUnits.map(\.name), aliases: [], active: true)
    }

    /// The form one level up: the rows are districts. A per-commune form's row key is headed
    /// for districts; a single-row form gains a district column in front.
    public static func upwardForm(_ form: FormDefinition) -> FormDefinition {
        var fields = form.fields
        if let i = fields.firstIndex(where: \.isRowKey) {
            fields[i].header = districtHeader
            fields[i].aliases = ["Huyện", "Tên huyện", "Đơn vị"]
            fields[i].help = "Tên Hội LHPN huyện, thị xã, thành phố"
        } else {
            fields.insert(FieldDefinition(key: "district", header: districtHeader, aliases: ["Huyện", "Tên huyện", "Đơn vị"], type: .text,
                                          unit: nil, required: true, min: nil, max: nil, measure: .none, values: [],
                                          help: "Tên Hội LHPN huyện, thị xã, thành phố", isRowKey: true), at: 0)
        }
        var out = FormDefinition(id: form.id, title: form.title, periodKind: form.periodKind, periods: form.periods, rows: .perCommune,
                                 titleWords: form.titleWords, fileNameWords: form.fileNameWords, fields: fields, rules: form.rules, file: form.file)
        out.print = form.print
        return out
    }

    /// Why a district's row is blank, in one line.
    static func reason(_ s: ReportStatus?) -> String {
        guard let s else { return "chưa đến kỳ báo cáo" }
        switch s.kind {
        case .missing: return "chưa nộp báo cáo (hạn \(s.due.vietnamese))"
        case .rejected: return "báo cáo bị trả lại, chưa gửi bản sửa"
        case .pending: return "chưa nộp báo cáo (hạn \(s.due.vietnamese))"
        case .exempt: return "được miễn báo cáo kỳ này"
        case .onTime, .late: return "báo cáo không có số liệu ở cột này"
        }
    }

    /// The workbook of one form and period.
    public static func draft(_ input: ReportInput, form original: FormDefinition, period: Period) -> WorkbookDraft {
        let plan = input.plan
        let form = upwardForm(original)
        let province = provinceUnit(plan)
        var draft = FormTemplate.draft(plan: plan, form: form, unit: province, period: period)
        var sheet = draft.sheets[0]
        // The heading names the province as the plan writes it.
        for i in sheet.cells.indices where sheet.cells[i].row == 1 && sheet.cells[i].column == 1 {
            sheet.cells[i].value = .text(plan.official.parentBody)
        }
        let index = Dictionary(sheet.cells.enumerated().map { ("\($0.element.row),\($0.element.column)", $0.offset) }, uniquingKeysWith: { a, _ in a })
        func put(_ r: Int, _ c: Int, _ v: WorkbookDraft.Value, _ style: WorkbookDraft.Style) {
            if let i = index["\(r),\(c)"] { sheet.cells[i].value = v } else { sheet.set(r, c, v, style) }
        }
        let statuses = Dictionary(input.statuses.filter { $0.form == form.id && $0.period == period }.map { ($0.unit, $0) },
                                  uniquingKeysWith: { a, _ in a })
        let totals = input.consolidation.unitTotals[form.id]?[period] ?? [:]
        let districts = plan.activeUnits
        let keyColumn = (form.fields.firstIndex(where: \.isRowKey) ?? 0) + 2
        var sums: [String: Double] = [:]
        var blank: [(ReportingUnit, String)] = []
        for (r, unit) in districts.enumerated() {
            let row = FormLayout.firstDataRow + r
            let values = totals[unit.code]
            var wrote = false
            for (i, f) in form.fields.enumerated() where !f.isRowKey {
                guard let v = values?[f.key] else { continue }
                put(row, i + 2, .number(v), FormLayout.style(for: f, value: .number(v)))
                sums[f.key, default: 0] += v
                wrote = true
            }
            if !wrote {
                let why = reason(statuses[unit.code])
                blank.append((unit, why))
                sheet.comments.append((CellReference(row: row, column: keyColumn),
                                       "\(unit.name): \(why). Hàng để trống, không tính là 0."))
            }
        }
        let totalRow = FormLayout.firstDataRow + districts.count
        for (i, f) in form.fields.enumerated() where [.integer, .decimal].contains(f.type) {
            let col = CellReference.columnName(i + 2)
            put(totalRow, i + 2, .formula("SUM(\(col)\(FormLayout.firstDataRow):\(col)\(totalRow - 1))", cached: ((sums[f.key] ?? 0) * 1e6).rounded() / 1e6),
                f.type == .integer ? .totalInteger : .totalDecimal)
        }
        // Coverage, below the signatures: the total stands on the districts that reported.
        let lastRow = sheet.cells.map(\.row).max() ?? totalRow
        var line = lastRow + 2
        let received = districts.count - blank.count
        sheet.set(line, 1, .text("Ghi chú: số liệu tổng hợp từ \(received)/\(districts.count) Hội LHPN huyện, thị xã, thành phố"
                                 + (blank.isEmpty ? " (đủ)." : "; Tổng cộng chưa gồm các đơn vị dưới đây (hàng để trống, không tính là 0):")), .plain)
        for (unit, why) in blank {
            line += 1
            sheet.set(line, 1, .text("- \(unit.name): \(why)."), .plain)
        }
        draft.sheets[0] = sheet
        draft.creator = plan.organisation
        return draft
    }

    /// Path inside the period folder → bytes: `nop-cap-tren/<form>-<period>.xlsx` per form due.
    static func make(_ input: ReportInput) -> [String: Data] {
        // The pieces never fail: a workbook that cannot be written is left out.
        (try? Parallel.files(pieces(input))) ?? [:]
    }

    /// One piece per form due, each workbook made in memory.
    static func pieces(_ input: ReportInput) -> [Parallel.Piece] {
        duePeriods(plan: input.plan, period: input.period, asOf: input.asOf).map { form, period in
            { () -> [(String, Data)] in
                let name = "\(form.id)-\(period).xlsx"
                guard let data = try? XLSXWriter.data(draft(input, form: form, period: period)) else { return [] }
                return [("\(folder)/\(name)", data)]
            }
        }
    }
}
