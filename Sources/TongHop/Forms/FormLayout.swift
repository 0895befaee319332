// The province's template layout for a form: heading, title, period and unit lines, the
// header row with units, a row of column codes, one row per commune (or one row), and a
// `Tổng cộng` row with SUM formulas. Generated inboxes use it; so will `tonghop template`.
import Foundation
import Sheets

public enum FormLayout {
    /// Row numbers (1-based) of the layout's parts.
    public static let headerRow = 7
    public static let codesRow = 8
    public static let firstDataRow = 9

    /// The hidden sheet of a form made by `tonghop template`: unit code, form id and period,
    /// one per row, which the check reads before anything the clerk typed.
    public static let metadataSheet = "tonghop"

    /// A filled form. `rows` maps field keys to values, one dictionary per row; a per-commune
    /// form gets a `Tổng cộng` row summing every numeric column.
    public static func draft(plan: Plan, form: FormDefinition, unit: ReportingUnit, period: Period,
                             rows: [[String: WorkbookDraft.Value]], titleLines: Bool = true, blankTotals: Bool = false) -> WorkbookDraft {
        var sheet = WorkbookDraft.Sheet(name: "Biểu")
        let perCommune = form.rows == .perCommune
        if titleLines {
            sheet.set(1, 1, .text("HỘI LHPN \(unit.kind.uppercased()) \(unit.shortName.uppercased())"), .bold)
            sheet.set(1, 7, .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), .bold)
            sheet.set(3, 1, .text(form.title.uppercased()), .title)
            sheet.set(4, 1, .text("Kỳ báo cáo: \(period.vietnamese)"))
            sheet.set(5, 1, .text("Đơn vị: \(unit.unionName)"))
        }
        let columns = form.fields
        sheet.set(headerRow, 1, .text("STT"), .header)
        sheet.set(codesRow, 1, .text("A"), .header)
        sheet.widths[1] = 5
        for (i, f) in columns.enumerated() {
            sheet.set(headerRow, i + 2, .text(f.headerText), .header)
            sheet.set(codesRow, i + 2, .text(f.isRowKey ? "B" : String(i + (perCommune ? 0 : 1))), .header)
            sheet.widths[i + 2] = f.isRowKey ? 22 : 14
        }
        for (r, row) in rows.enumerated() {
            let rowNumber = firstDataRow + r
            sheet.set(rowNumber, 1, .number(Double(r + 1)), .integer)
            for (i, f) in columns.enumerated() {
                guard let v = row[f.key] else { continue }
                sheet.set(rowNumber, i + 2, v, style(for: f, value: v))
            }
        }
        if perCommune, !rows.isEmpty || blankTotals {
            let totalRow = firstDataRow + rows.count
            let keyColumn = (columns.firstIndex { $0.isRowKey } ?? 0) + 2
            sheet.set(totalRow, keyColumn, .text("Tổng cộng"), .bold)
            for (i, f) in columns.enumerated() where [.integer, .decimal].contains(f.type) {
                let sum = rows.reduce(0.0) { acc, row in
                    if case .number(let d)? = row[f.key] { return acc + d }
                    return acc
                }
                let col = CellReference.columnName(i + 2)
                sheet.set(totalRow, i + 2, .formula("SUM(\(col)\(firstDataRow):\(col)\(totalRow - 1))", cached: (sum * 1e6).rounded() / 1e6),
                          f.type == .integer ? .integer : .decimal)
            }
            sheet.set(totalRow + 2, 7, .text("Người lập biểu"), .bold)
        }
        var draft = WorkbookDraft()
        draft.creator = unit.unionName
        draft.sheets = [sheet]
        return draft
    }

    static func style(for f: FieldDefinition, value: WorkbookDraft.Value) -> WorkbookDraft.Style {
        guard case .number = value else { return .plain }
        switch f.type {
        case .integer: return .integer
        case .decimal, .percent: return .decimal
        case .date: return .date
        default: return .plain
        }
    }
}
