// Rendering: `tong-hop-<period>.xlsx`, the whole report as one workbook to open in Excel —
// a sheet per form (districts as rows, the province total, units in the headers, numbers
// stored as numbers and shown with the reader's own separators, which in a Vietnamese Excel
// are 1.234,5, and which units each total stands on), the targets, and the completeness of
// the reports; each sheet printable (A4, landscape when wide, header rows on every page,
// page numbers). The CSVs stay the machine format.
import Foundation
import Sheets

extension ReportModel {
    typealias Draft = WorkbookDraft

    func workbook() -> Data? {
        var draft = Draft()
        var used = Set<String>()
        for (i, f) in plan.forms.enumerated() {
            guard let p = currentPeriod(f) else { continue }
            draft.sheets.append(formSheet(f, p, name: sheetName("B\(i + 1) " + shortTitle(f.title), used: &used)))
        }
        draft.sheets.append(targetsSheet(name: sheetName("Chỉ tiêu", used: &used)))
        draft.sheets.append(completenessSheet(name: sheetName("Tình hình nộp", used: &used)))
        // Made in memory: nothing is staged on disk.
        return try? XLSXWriter.data(draft)
    }

    /// "Báo cáo số liệu các nguồn vốn quý" → "Số liệu các nguồn vốn quý".
    func shortTitle(_ title: String) -> String {
        let t = title.hasPrefix("Báo cáo ") ? String(title.dropFirst("Báo cáo ".count)) : title
        return t.prefix(1).uppercased() + t.dropFirst()
    }

    /// A sheet name Excel takes: at most 31 characters, none of : \ / ? * [ ], unique.
    func sheetName(_ wanted: String, used: inout Set<String>) -> String {
        var base = String(wanted.filter { !":\\/?*[]".contains($0) }.prefix(31)).trimmingCharacters(in: .whitespaces)
        if base.isEmpty { base = "Trang" }
        var name = base, n = 2
        while used.contains(name.lowercased()) { name = String(base.prefix(27)) + " (\(n))"; n += 1 }
        used.insert(name.lowercased())
        return name
    }

    /// A header with its unit once: "Giá trị hỗ trợ (triệu đồng)", never "(hộ) (hộ)".
    func headerWithUnit(_ f: FieldDefinition) -> String {
        guard let u = f.unit, !u.isEmpty else { return f.header }
        return f.header.contains("(\(u))") ? f.header : "\(f.header) (\(u))"
    }

    func printSetup(_ sheet: inout Draft.Sheet, columns: Int, headerRow: Int) {
        sheet.page.paper = .a4
        sheet.page.landscape = columns > 7
        sheet.page.fitToWidth = 1
        sheet.page.fitToHeight = 0
        sheet.page.repeatRows = headerRow...headerRow
        sheet.page.footer = "&C" + "Trang &P/&N"
        sheet.page.header = "&L\(plan.official.parentBody == "HỘI LHPN ……" ? plan.heading : plan.official.parentBody)&R\(input.period.vietnamese)"
        sheet.freeze = CellReference(row: headerRow + 1, column: 2)
    }

    func formSheet(_ f: FormDefinition, _ p: Period, name: String) -> Draft.Sheet {
        var s = Draft.Sheet(name: name)
        let fields = numericFields(f)
        let columns = fields.count + 2
        s.set(1, 1, .text("\(f.title) — \(p.vietnamese)"), .title)
        s.set(2, 1, .text("Số liệu các đơn vị gửi đến hết ngày \(input.asOf.vietnamese) (\(input.state.label)). Ô trống: đơn vị chưa có số liệu, không tính là 0."))
        let headerRow = 4
        s.set(headerRow, 1, .text("Đơn vị"), .header)
        for (j, field) in fields.enumerated() { s.set(headerRow, j + 2, .text(headerWithUnit(field)), .header) }
        s.set(headerRow, columns, .text("Ghi chú"), .header)
        var row = headerRow + 1
        for u in plan.activeUnits {
            let totals = input.consolidation.unitTotals[f.id]?[p]?[u.code]
            s.set(row, 1, .text(u.name), .bordered)
            for (j, field) in fields.enumerated() {
                if let v = totals?[field.key] { s.set(row, j + 2, .number(v), style(field, v)) } else { s.set(row, j + 2, .blank, .bordered) }
            }
            let note = totals == nil ? (status(u.code, f.id, p).map { Show.status($0).text } ?? "Chưa có số liệu") : ""
            s.set(row, columns, note.isEmpty ? .blank : .text(note), .bordered)
            row += 1
        }
        let figures = fields.map { input.consolidation.provinceFigure(form: f.id, field: $0.key, period: p) }
        let percentOnly = fields.allSatisfy { $0.type == .percent }
        s.set(row, 1, .text("Toàn tỉnh"), .totalText)
        for (j, (field, fig)) in zip(fields, figures).enumerated() {
            if field.type == .percent || percentOnly { s.set(row, j + 2, .blank, .totalText); continue }
            if let v = fig.value { s.set(row, j + 2, .number(v), Show.fractionDigits(v) == 0 ? .totalInteger : .totalDecimal) }
            else { s.set(row, j + 2, .text("không có số liệu"), .totalText) }
        }
        let summed = zip(fields, figures).filter { field, _ in !(field.type == .percent || percentOnly) }.map(\.1)
        let coverage = Set(summed.map(\.coverage.contributing)).count <= 1 ? summed.first.map { coverageText($0.coverage) } ?? "" : "số đơn vị có số liệu khác nhau theo cột, xem dòng dưới"
        s.set(row, columns, .text(coverage), .totalText)
        row += 1
        s.set(row, 1, .text("Số đơn vị có số liệu"), .bordered)
        for (j, (field, fig)) in zip(fields, figures).enumerated() {
            s.set(row, j + 2, field.type == .percent || percentOnly ? .blank : .text("\(fig.coverage.contributing.count)/\(fig.coverage.expected)"), .bordered)
        }
        s.set(row, columns, .blank, .bordered)
        s.widths[1] = 24
        for j in 0..<fields.count { s.widths[j + 2] = 13 }
        s.widths[columns] = 30
        s.rowHeights[headerRow] = fields.map { TextMeasure.wrappedHeight(headerWithUnit($0), columnCharacters: 13, size: 11, bold: true) }.max() ?? 15
        printSetup(&s, columns: columns, headerRow: headerRow)
        return s
    }

    func style(_ field: FieldDefinition, _ v: Double) -> Draft.Style {
        if field.type == .integer || Show.fractionDigits(v) == 0 { return .integer }
        return Show.fractionDigits(v) == 1 ? .decimal : .decimal2
    }

    func targetsSheet(name: String) -> Draft.Sheet {
        var s = Draft.Sheet(name: name)
        s.set(1, 1, .text("Kết quả thực hiện chỉ tiêu năm \(plan.year) — số liệu đến hết ngày \(input.asOf.vietnamese)"), .title)
        let headers = ["Chỉ tiêu", "ĐVT", "Ngưỡng", "Đơn vị", "Giá trị", "Mức cần đạt đến nay", "Đánh giá", "Ghi chú"]
        for (j, h) in headers.enumerated() { s.set(3, j + 1, .text(h), .header) }
        var row = 4
        for t in plan.targets {
            for code in plan.activeUnits.map(\.code) + ["province"] {
                guard let r = result(t, code) else { continue }
                let province = code == "province"
                let text: Draft.Style = province ? .totalText : .bordered
                s.set(row, 1, .text(t.name), text)
                s.set(row, 2, .text(t.perCommune ? "cơ sở Hội đạt" : t.unit ?? ""), text)
                s.set(row, 3, .text(thresholdText(t)), text)
                s.set(row, 4, .text(province ? "Toàn tỉnh" : unit(code)?.name ?? code), text)
                if let u = r.unions, t.perCommune { s.set(row, 5, .text("\(u.met)/\(u.total)"), text) }
                else if let v = r.value { s.set(row, 5, .number((v * 100).rounded() / 100), province ? .totalDecimal : .decimal2) }
                else { s.set(row, 5, .blank, text) }
                if let e = r.expected { s.set(row, 6, .number((e * 100).rounded() / 100), .decimal2) } else { s.set(row, 6, .blank, .bordered) }
                s.set(row, 7, .text(Show.target(r.status).symbol + " " + Show.target(r.status).text), text)
                s.set(row, 8, r.missing.isEmpty ? .blank : .text(describeMissing(r)), text)
                row += 1
            }
        }
        for (j, w) in [44.0, 12, 22, 24, 12, 14, 20, 40].enumerated() { s.widths[j + 1] = w }
        printSetup(&s, columns: 8, headerRow: 3)
        return s
    }

    func completenessSheet(name: String) -> Draft.Sheet {
        var s = Draft.Sheet(name: name)
        s.set(1, 1, .text("Tình hình nộp báo cáo năm \(plan.year) — đến hết ngày \(input.asOf.vietnamese)"), .title)
        let headers = ["Đơn vị", "Biểu", "Kỳ", "Hạn nộp", "Ngày nhận", "Tình trạng", "Số ngày muộn", "Tệp"]
        for (j, h) in headers.enumerated() { s.set(3, j + 1, .text(h), .header) }
        var row = 4
        for st in input.statuses.sorted(by: { ($0.unit, $0.due, $0.form) < ($1.unit, $1.due, $1.form) }) {
            s.set(row, 1, .text(unit(st.unit)?.name ?? st.unit), .bordered)
            s.set(row, 2, .text(form(st.form)?.title ?? st.form), .bordered)
            s.set(row, 3, .text(st.period.vietnamese), .bordered)
            s.set(row, 4, .date(year: st.due.year, month: st.due.month, day: st.due.day), .date)
            if let r = st.received { s.set(row, 5, .date(year: r.year, month: r.month, day: r.day), .date) } else { s.set(row, 5, .blank, .bordered) }
            s.set(row, 6, .text(Show.status(st).text), .bordered)
            if let d = st.daysLate, st.kind == .late { s.set(row, 7, .number(Double(d)), .integer) } else { s.set(row, 7, .blank, .bordered) }
            s.set(row, 8, st.file.map { .text(TextSafety.neutralised($0)) } ?? .blank, .bordered)
            row += 1
        }
        for (j, w) in [22.0, 44, 16, 12, 12, 16, 10, 40].enumerated() { s.widths[j + 1] = w }
        printSetup(&s, columns: 8, headerRow: 3)
        return s
    }
}
