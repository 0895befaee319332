// Rendering: the CSVs, the report's machine format (the workbook tong-hop-<period>.xlsx is
// the one to open in Excel). RFC 4180: UTF-8 with a BOM, comma-separated, CRLF, quoted when
// needed; numbers plain with a `.` decimal point, dates as YYYY-MM-DD, periods as their key
// (2019-Q1) beside their Vietnamese label (Quý I/2019), codes beside names. The header row is
// stable English column keys, or the Vietnamese headers when asked (`--csv-header vi`,
// `csv-header: vi` in tonghop.yml). A text cell that begins with = + - @, a tab or a line
// break is prefixed with ' so that it cannot run a formula (OWASP's advice).
import Foundation
import Sheets

public enum CSVExport {
    public enum Value: Sendable {
        case text(String)
        case number(Double?)
    }

    /// Which header row the CSVs carry: the English keys (for programs), or Vietnamese.
    public enum Header: String, Sendable, CaseIterable {
        case en, vi
    }

    /// A column: its stable key and its Vietnamese header.
    public struct Column: Sendable {
        public var key: String
        public var vi: String

        public init(_ key: String, _ vi: String) {
            self.key = key
            self.vi = vi
        }
    }

    public static func neutralise(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return "=+-@\t\r\n\0".unicodeScalars.contains(first) ? "'" + s : s
    }

    public static func render(header: [String], rows: [[Value]]) -> Data {
        var out = "\u{FEFF}"
        out += CSVWriter.record(header.map(neutralise))
        for row in rows {
            out += CSVWriter.record(row.map { v in
                switch v {
                case .text(let s): return neutralise(s)
                case .number(let d): return d.map { NumberText.format(($0 * 1e9).rounded() / 1e9) } ?? ""
                }
            })
        }
        return Data(out.utf8)
    }

    public static func render(columns: [Column], header: Header, rows: [[Value]]) -> Data {
        render(header: columns.map { header == .vi ? $0.vi : $0.key }, rows: rows)
    }

    /// `value` rounded to `digits` decimals (what a table shows of it).
    static func rounded(_ value: Double?, digits: Int) -> Double? {
        guard let value else { return nil }
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    /// The decimals a Vietnamese number as shown has: "79,9" → 1, "1.234" → 0.
    static func digitsShown(_ text: String) -> Int? {
        guard text.contains(where: \.isNumber) else { return nil }
        guard let comma = text.lastIndex(of: ",") else { return 0 }
        return text[text.index(after: comma)...].prefix(while: \.isNumber).count
    }

    /// The operator of a threshold as a word (`ge` ≥, `le` ≤, `eq` =, `gt` >, `lt` <): a cell
    /// beginning with = would be a formula to a spreadsheet.
    static func symbol(_ c: Threshold.Comparison) -> String {
        switch c {
        case .atLeast: return "ge"
        case .atMost: return "le"
        case .equal: return "eq"
        case .greater: return "gt"
        case .less: return "lt"
        }
    }
}

extension CSVExport {
    /// Every CSV of a period's report, by file name.
    static func files(_ model: ReportModel, header: Header) -> [String: Data] {
        var out: [String: Data] = [:]
        out["trang-thai-nop.csv"] = statuses(model, header: header)
        out["chi-tieu.csv"] = targets(model, header: header)
        for (name, data) in forms(model, header: header) { out[name] = data }
        out["chat-luong-du-lieu.csv"] = quality(model, header: header)
        return out
    }

    static func statuses(_ model: ReportModel, header: Header) -> Data {
        let input = model.input
        let columns = [Column("unit_code", "Mã đơn vị"), Column("unit_name", "Đơn vị"), Column("form", "Mã biểu"),
                       Column("form_title", "Biểu"), Column("period", "Mã kỳ"), Column("period_label", "Kỳ"),
                       Column("due", "Hạn nộp"), Column("received", "Ngày nhận"), Column("status", "Mã tình trạng"),
                       Column("status_label", "Tình trạng"), Column("days_late", "Số ngày muộn"), Column("file", "Tệp")]
        let rows: [[Value]] = input.statuses.sorted { ($0.unit, $0.form, $0.period) < ($1.unit, $1.form, $1.period) }.map { s in
            [.text(s.unit), .text(model.unit(s.unit)?.name ?? ""), .text(s.form), .text(model.form(s.form)?.title ?? ""),
             .text(s.period.description), .text(s.period.vietnamese), .text(s.due.description), .text(s.received?.description ?? ""),
             .text(s.kind.rawValue), .text(Show.status(s).text), .number(s.daysLate.map(Double.init)), .text(s.file ?? "")]
        }
        return render(columns: columns, header: header, rows: rows)
    }

    /// chi-tieu.csv: one row per target and unit (and the province), the value rounded as the
    /// report's table shows it, the threshold as a number with its operator.
    static func targets(_ model: ReportModel, header: Header) -> Data {
        let input = model.input, plan = input.plan
        let columns = [Column("period", "Mã kỳ"), Column("period_label", "Kỳ báo cáo"),
                       Column("target", "Mã chỉ tiêu"), Column("target_name", "Chỉ tiêu"),
                       Column("unit_code", "Mã đơn vị"), Column("unit_name", "Đơn vị"),
                       Column("value", "Giá trị"), Column("measure", "Đơn vị tính"),
                       Column("operator", "Phép so sánh"), Column("threshold", "Ngưỡng"),
                       Column("expected_to_date", "Mức cần đạt đến nay"),
                       Column("status", "Mã đánh giá"), Column("status_label", "Đánh giá"),
                       Column("data_through", "Mã kỳ số liệu đến hết"), Column("data_through_label", "Số liệu đến hết"),
                       Column("unions_met", "Số cơ sở Hội đạt"), Column("unions_total", "Số cơ sở Hội"),
                       Column("units_with_data", "Số đơn vị có số liệu"), Column("units_expected", "Số đơn vị phải có số liệu"),
                       Column("threshold_text", "Ngưỡng (theo kế hoạch)"), Column("basis", "Cách tính (tử số, mẫu số, số liệu gốc)"),
                       Column("missing", "Thiếu số liệu"),
                       Column("last_year_period", "Mã kỳ cùng kỳ năm trước"), Column("last_year_value", "Cùng kỳ năm trước")]
        let rows: [[Value]] = input.targets.map { r -> [Value] in
            guard let t = plan.targets.first(where: { $0.id == r.target }) else {
                return [.text(input.period.description), .text(input.period.vietnamese), .text(r.target)]
                    + Array(repeating: Value.text(""), count: columns.count - 3)
            }
            // The digits the report's table gives the value (enough for its verdict to show).
            var plain = r
            plain.unions = nil
            let digits = digitsShown(model.shownValue(t, plain)) ?? model.digits(t)
            let thresholdDigits = r.threshold.map { min(Show.fractionDigits($0), 4) } ?? 0
            return [.text(input.period.description), .text(input.period.vietnamese), .text(t.id), .text(t.name),
                    .text(r.unit), .text(r.unit == "province" ? "Toàn tỉnh" : model.unit(r.unit)?.name ?? ""),
                    .number(rounded(r.value, digits: digits)), .text(t.unit ?? ""),
                    .text(symbol(t.threshold.comparison)), .number(rounded(r.threshold, digits: max(digits, thresholdDigits))),
                    .number(rounded(r.expected, digits: max(digits, model.digits(t) + 1))),
                    .text(r.status.rawValue), .text(Show.target(r.status).text),
                    .text(r.through?.description ?? ""), .text(r.through?.vietnamese ?? ""),
                    .number(r.unions.map { Double($0.met) }), .number(r.unions.map { Double($0.total) }),
                    .number(r.coverage.map { Double($0.contributing.count) }), .number(r.coverage.map { Double($0.expected) }),
                    .text(model.thresholdText(t)), .text(model.basis(t, r)),
                    .text(r.missing.isEmpty ? "" : model.describeMissing(r)),
                    .text(r.unit == "province" ? input.period.yearBefore?.description ?? "" : ""),
                    .number(r.unit == "province" ? rounded(input.lastYear.first { $0.target == t.id }?.value, digits: digits) : nil)]
        }
        return render(columns: columns, header: header, rows: rows)
    }

    /// tong-hop-<form>-<period>.csv: the districts' totals of each numeric field, the province
    /// row (the sum over the units that have each column; a percent column is not summed), and
    /// how many units each province figure stands on.
    static func forms(_ model: ReportModel, header: Header) -> [String: Data] {
        let input = model.input, plan = input.plan
        var out: [String: Data] = [:]
        for f in plan.forms {
            guard let p = model.currentPeriod(f) else { continue }
            let fields = model.numericFields(f)
            let columns = [Column("unit_code", "Mã đơn vị"), Column("unit_name", "Đơn vị")]
                + fields.map { Column($0.key, $0.headerText) }
            var rows: [[Value]] = plan.activeUnits.map { u -> [Value] in
                let totals = input.consolidation.unitTotals[f.id]?[p]?[u.code]
                return [.text(u.code), .text(u.name)] + fields.map { .number(totals?[$0.key]) }
            }
            // No data is never counted as 0: the province sums only the units that have each
            // column, and the row below counts them, column by column.
            let figures = fields.map { input.consolidation.provinceFigure(form: f.id, field: $0.key, period: p) }
            rows.append([.text("province"), .text("Toàn tỉnh")]
                        + zip(fields, figures).map { field, fig in field.type == .percent ? .number(nil) : .number(fig.value) })
            rows.append([.text("units_with_data"), .text("Số đơn vị có số liệu")]
                        + zip(fields, figures).map { field, fig in field.type == .percent ? .number(nil) : .number(Double(fig.coverage.contributing.count)) })
            out["tong-hop-\(f.id)-\(p).csv"] = render(columns: columns, header: header, rows: rows)
        }
        return out
    }

    static func quality(_ model: ReportModel, header: Header) -> Data {
        let input = model.input
        let columns = [Column("file", "Tệp"), Column("unit_code", "Mã đơn vị"), Column("severity", "Mã mức"), Column("severity_label", "Mức"),
                       Column("code", "Mã lỗi"), Column("sheet", "Trang"), Column("cell", "Ô"), Column("value", "Giá trị"),
                       Column("message_vi", "Nội dung và cách sửa"), Column("message_en", "Nội dung (tiếng Anh)")]
        var rows: [[Value]] = []
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        for file in input.files {
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            for f in input.findings[file.id] ?? [] {
                rows.append([.text(file.name), .text(units.sorted().joined(separator: " ")), .text(f.severity.rawValue),
                             .text(f.severity.vietnamese), .text(f.code.rawValue), .text(f.sheet ?? ""), .text(f.cell ?? ""),
                             .text(f.value ?? ""), .text(f.vi), .text(f.en)])
            }
        }
        return render(columns: columns, header: header, rows: rows)
    }
}
