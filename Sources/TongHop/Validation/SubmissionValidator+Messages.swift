// Validation: what the cell and table checks of `SubmissionValidator` say — each message in
// Vietnamese and English, with how to fix it apart (`Message.hint`). A new check adds its
// words here, next to the others, and calls them from the check.
import Foundation
import Sheets

extension SubmissionValidator {
    enum Say {
        /// A field's header as messages quote it: `"Dư nợ"`.
        static func quoted(_ f: FieldDefinition) -> String { "\"\(f.header)\"" }

        static func fix(_ vi: String, _ en: String) -> Message.Hint { Message.Hint(vi: "Cách sửa: " + vi, en: "To fix: " + en) }

        static func column(_ n: Int) -> String { CellReference.columnName(n) }

        static func number(_ d: Double) -> String { VietnameseFormat.number(d) }

        // MARK: The table

        static func extraRows(count: Int, used: Int) -> Message {
            Message(vi: "Biểu này chỉ cần một hàng số liệu cho cả đơn vị, nhưng có \(count) hàng; chỉ hàng \(used) được dùng.",
                    en: "This form needs one row for the whole unit but has \(count); only row \(used) is used.",
                    hint: fix("xóa các hàng thừa.", "delete the extra rows."))
        }

        static func noDataRows(headerRow: Int) -> Message {
            Message(vi: "Bảng không có hàng số liệu nào dưới dòng tiêu đề (dòng \(headerRow)).",
                    en: "The table has no data rows under its header (row \(headerRow)).",
                    hint: fix("điền số liệu vào bảng rồi gửi lại.", "fill in the table and send it again."))
        }

        // MARK: Columns

        static func columnMisnamed(_ f: FieldDefinition, at near: Int, reads text: String) -> Message {
            Message(vi: "Không tìm thấy cột \(quoted(f)). Cột \(column(near)) ghi \"\(text)\": có phải là \(quoted(f))?",
                    en: "Column \(quoted(f)) not found. Column \(column(near)) reads \"\(text)\": did you mean \(quoted(f))?",
                    hint: fix("sửa tiêu đề cột cho đúng như biểu mẫu.", "correct the column header as in the form."))
        }

        static func columnMissing(_ f: FieldDefinition) -> Message {
            Message(vi: "Thiếu cột bắt buộc \(quoted(f)).", en: "The required column \(quoted(f)) is missing.",
                    hint: fix("thêm cột này vào bảng (dùng biểu mẫu của tỉnh) rồi gửi lại.", "add it (use the province's template) and send again."))
        }

        /// An optional column left out: its figures are no data, never 0.
        static func optionalColumnMissing(_ f: FieldDefinition, near: (column: Int, text: String)?) -> Message {
            Message(vi: "Không có cột \(quoted(f))" + (near.map { " (cột \(column($0.column)) ghi \"\($0.text)\": có phải là cột này?)" } ?? "")
                        + ": số liệu của cột này được tính là chưa có (không phải 0), tổng của tỉnh sẽ ghi rõ là thiếu đơn vị này.",
                    en: "No column \(quoted(f))" + (near.map { " (column \(column($0.column)) reads \"\($0.text)\": is it this one?)" } ?? "")
                        + ": its figures count as no data (not 0), and the province total will say this unit is missing.",
                    hint: fix("dùng đủ các cột của biểu mẫu và điền số liệu rồi gửi lại.", "use every column of the form, fill it in and send again."))
        }

        static func unknownColumn(_ text: String, suggestion s: FieldDefinition) -> Message {
            Message(vi: "Cột \"\(text)\" không có trong biểu mẫu: có phải là \(quoted(s))? Số liệu cột này chưa được dùng.",
                    en: "Column \"\(text)\" is not in the form: did you mean \(quoted(s))? Its figures are not used.",
                    hint: fix("sửa tiêu đề cột cho đúng.", "correct the header."))
        }

        static func extraColumn(_ text: String) -> Message {
            Message(vi: "Cột \"\(text)\" không có trong biểu mẫu nên không được tổng hợp.",
                    en: "Column \"\(text)\" is not in the form and is not consolidated.")
        }

        static func duplicateColumn(_ f: FieldDefinition, first: Int, again: Int) -> Message {
            Message(vi: "Cột \(quoted(f)) xuất hiện hai lần (cột \(column(first)) và \(column(again))).",
                    en: "Column \(quoted(f)) appears twice (\(column(first)) and \(column(again))).",
                    hint: fix("xóa một cột.", "delete one."))
        }

        // MARK: Cells

        static func notAValue(_ text: String, of f: FieldDefinition) -> Message {
            Message(vi: "\"\(text)\" không phải một giá trị của cột \(quoted(f)); chọn một trong: \(f.values.joined(separator: ", ")).",
                    en: "\"\(text)\" is not a value of \(quoted(f)); choose one of: \(f.values.joined(separator: ", ")).")
        }

        static func notADate(_ shown: String) -> Message {
            Message(vi: "\"\(shown)\" không phải là ngày.", en: "\"\(shown)\" is not a date.",
                    hint: fix("ghi ngày dạng 30/11/2019.", "write the date as 30/11/2019."))
        }

        static func notWhole(_ f: FieldDefinition, shown: String) -> Message {
            Message(vi: "Cột \(quoted(f)) phải là số nguyên, nhưng ô ghi \(shown).",
                    en: "Column \(quoted(f)) takes whole numbers, but the cell holds \(shown).",
                    hint: fix("ghi số nguyên (không có phần lẻ).", "enter a whole number."))
        }

        /// A figure too large for any report (hundreds of digits): no sum could hold it.
        static func tooLarge(_ f: FieldDefinition, shown full: String) -> Message {
            let shown = full.count > 30 ? full.prefix(30) + "…" : full
            return Message(vi: "Ô của cột \(quoted(f)) ghi một số quá lớn để tính (\(shown)).",
                    en: "The cell of \(quoted(f)) holds a number too large to count (\(shown)).",
                    hint: fix("kiểm tra lại số liệu: có thể đã dán nhầm một dãy số dài.", "check the figure: a long run of digits may have been pasted by mistake."))
        }

        static func belowMinimum(_ f: FieldDefinition, _ d: Double, min: Double) -> Message {
            Message(vi: "Giá trị \(number(d)) của cột \(quoted(f)) nhỏ hơn mức thấp nhất cho phép (\(number(min))).",
                    en: "\(number(d)) in \(quoted(f)) is below the minimum (\(number(min))).",
                    hint: fix("kiểm tra lại số liệu.", "check the figure."))
        }

        static func aboveMaximum(_ f: FieldDefinition, _ d: Double, max: Double) -> Message {
            Message(vi: "Giá trị \(number(d)) của cột \(quoted(f)) lớn hơn mức cao nhất hợp lý (\(number(max))).",
                    en: "\(number(d)) in \(quoted(f)) is above the plausible maximum (\(number(max))).",
                    hint: fix("kiểm tra lại số liệu và đơn vị tính.", "check the figure and its unit."))
        }

        /// A blank (or a dash) in a required column: no data, an error.
        static func requiredBlank(_ f: FieldDefinition, shown: String) -> Message {
            Message(vi: "\(blankCell(shown).vi) nhưng cột \(quoted(f)) bắt buộc phải có số liệu.",
                    en: "\(blankCell(shown).en) but column \(quoted(f)) is required.",
                    hint: fix("điền số liệu thật của ô này; nếu thật sự là không thì ghi số 0, nếu chưa có số liệu thì hỏi lại cơ sở trước khi gửi.",
                              "enter the real figure; a 0 only if it truly is none; if the figure is not known yet, ask the commune before sending."))
        }

        /// A blank in an optional column: no data (not 0), a warning.
        static func optionalBlank(_ f: FieldDefinition, shown: String) -> Message {
            Message(vi: "\(blankCell(shown).vi): cột \(quoted(f)) của hàng này được tính là chưa có số liệu (không phải 0); tổng của đơn vị cho cột này sẽ ghi là thiếu số liệu.",
                    en: "\(blankCell(shown).en): column \(quoted(f)) of this row counts as no data (not 0); the unit's total of this column will show as missing.",
                    hint: fix("điền số liệu thật của ô này rồi gửi lại; nếu thật sự là không thì ghi số 0.",
                              "enter the real figure and send again; a 0 only if it truly is none."))
        }

        static func blankCell(_ shown: String) -> Message {
            shown.isEmpty ? Message(vi: "Ô để trống", en: "The cell is empty") : Message(vi: "Ô ghi \"\(shown)\"", en: "The cell reads \"\(shown)\"")
        }

        static func notANumberValue(_ f: FieldDefinition, shown: String) -> Message {
            Message(vi: "Cột \(quoted(f)) cần một số, nhưng ô chứa \(shown).",
                    en: "Column \(quoted(f)) needs a number, but the cell holds \(shown).",
                    hint: fix("ghi số vào ô (định dạng ô là Number).", "enter a number."))
        }

        static func formulaError(_ e: String) -> Message {
            Message(vi: "Ô có lỗi công thức \(e).", en: "The cell holds the formula error \(e).",
                    hint: fix("sửa công thức trong Excel cho ra số, rồi lưu lại.", "correct the formula so it gives a number."))
        }

        static func ambiguous(_ t: String, _ a: Double, _ b: Double) -> Message {
            Message(vi: "\"\(t)\" có thể hiểu là \(number(a)) hoặc \(number(b)).",
                    en: "\"\(t)\" could mean \(number(a)) or \(number(b)).",
                    hint: fix("nhập số vào ô dạng số (không gõ dấu chấm, dấu phẩy phân cách hàng nghìn), hoặc ghi rõ như \(number(b)),0.",
                              "enter it as a number cell, without thousands separators."))
        }

        static func notANumberText(_ f: FieldDefinition, _ t: String) -> Message {
            Message(vi: "Cột \(quoted(f)) cần một số, nhưng ô ghi \"\(t)\".",
                    en: "Column \(quoted(f)) needs a number, but the cell reads \"\(t)\".",
                    hint: fix("ghi số liệu bằng chữ số (nếu thật sự là không thì ghi số 0; ghi chú để ở cột khác).",
                              "enter the figure in digits (0 only if it truly is none; put notes elsewhere)."))
        }

        static func percentSign(_ f: FieldDefinition, _ t: String, _ d: Double) -> Message {
            Message(vi: "Cột \(quoted(f)) ghi số, không ghi %, nhưng ô ghi \"\(t)\".",
                    en: "Column \(quoted(f)) takes a number, not a percentage, but the cell reads \"\(t)\".",
                    hint: fix("cột này ghi số, không ghi % — ghi \(number(d)) nếu đó là số cần báo cáo.",
                              "this column takes a number, not % — write \(number(d)) if that is the figure."))
        }

        static func formulaText(_ t: String) -> Message {
            Message(vi: "Ô ghi công thức dạng chữ \"\(t)\", không phải số (tệp CSV được lưu kèm công thức nên không có kết quả).",
                    en: "The cell holds the formula text \"\(t)\", not a number (the CSV was saved with its formulas, so no result).",
                    hint: fix("ghi số vào ô, hoặc lưu lại CSV mà không chọn \"Lưu công thức của ô\" (Save cell formulas), hoặc gửi tệp Excel.",
                              "enter the number, or save the CSV without \"Save cell formulas\", or send the Excel file."))
        }

        // MARK: Communes

        static func noCommuneName(row: Int) -> Message {
            Message(vi: "Hàng \(row) có số liệu nhưng không ghi tên xã.", en: "Row \(row) has figures but no commune name.",
                    hint: fix("ghi tên xã, phường, thị trấn vào ô này.", "enter the commune."))
        }

        static func communeTwice(_ name: String, firstRow: Int) -> Message {
            Message(vi: "Xã \"\(name)\" đã có ở hàng \(firstRow); mỗi xã chỉ ghi một hàng.",
                    en: "Commune \"\(name)\" already appears in row \(firstRow); one row per commune.",
                    hint: fix("gộp hai hàng làm một hoặc sửa tên xã.", "merge the rows or correct the name."))
        }

        static func unknownCommune(_ name: String, unit: ReportingUnit, suggestion: String?) -> Message {
            Message(vi: "Không có xã \"\(name)\" trong danh sách của \(unit.name)" + (suggestion.map { ": có phải là \"\($0)\"?" } ?? "."),
                    en: "No commune \"\(name)\" in \(unit.name)'s list" + (suggestion.map { ": did you mean \"\($0)\"?" } ?? "."),
                    hint: fix("ghi đúng tên xã như danh sách của tỉnh.", "write the commune's name as listed."))
        }

        static func communesMissing(_ missing: [String]) -> Message {
            Message(vi: "Thiếu số liệu của \(missing.count) xã: \(missing.joined(separator: ", ")).",
                    en: "\(missing.count) commune(s) have no row: \(missing.joined(separator: ", ")).",
                    hint: fix("thêm một hàng cho mỗi xã với số liệu thật của xã đó.", "add a row for each with its real figures."))
        }

        // MARK: Totals and rules

        static func totalMismatch(_ f: FieldDefinition, stated: Double, sum: Double) -> Message {
            Message(vi: "Dòng Tổng cộng của cột \(quoted(f)) ghi \(number(stated)) nhưng cộng các hàng trên được \(number(sum)) (chênh \(number(stated - sum))).",
                    en: "The total of \(quoted(f)) reads \(number(stated)) but the rows above add up to \(number(sum)) (off by \(number(stated - sum))).",
                    hint: fix("kiểm tra số của từng xã và dòng Tổng cộng; nên dùng công thức =SUM().", "check each row and the total; use =SUM()."))
        }

        /// A rule of the form broken by the unit's totals; the rule's own words come from the plan.
        static func ruleOnTotals(_ rule: RuleDefinition, values: String) -> Message {
            Message(vi: rule.vi + " (tổng: " + values + ").", en: (rule.en ?? rule.text) + " (totals: " + values + ").")
        }

        /// A rule of the form broken by one row (a commune's, when it has a name).
        static func ruleOnRow(_ rule: RuleDefinition, commune: String?, values: String) -> Message {
            Message(vi: rule.vi + (commune.map { " — xã \($0)" } ?? "") + " (" + values + ").",
                    en: (rule.en ?? rule.text) + (commune.map { " — \($0)" } ?? "") + " (" + values + ").",
                    hint: fix("kiểm tra lại các số này.", "check these figures."))
        }
    }
}
