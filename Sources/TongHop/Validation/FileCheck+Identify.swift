// Validation: whose report a sheet is, and for which period — from the sheet's own words, the
// hidden sheet `tonghop template` writes, the folder and the file name — and what is said when
// they disagree or say nothing.
import Foundation

/// What a sheet and its file say about who sent it and for which period.
struct IdentityClues: Sendable {
    /// The rows above the table and the sheet's name.
    var title: String
    var titlePeriods: [Period]
    /// The folders of the file's path inside the inbox, joined by spaces.
    var folder: String
    /// The file name without its extension.
    var fileName: String
    var namePeriods: [Period]
    /// The hidden sheet of a workbook made by `tonghop template`.
    var metadata: Metadata?
}

extension FileCheck {
    /// Unit and period from content, folder and file name, in that order; a later source that
    /// disagrees is a warning naming both.
    static func identify(form: FormDefinition, from clues: IdentityClues, plan: Plan, file: String,
                         sheet: String) -> (identity: Identity, findings: [Finding]) {
        var identity = Identity(form: form.id)
        var findings: [Finding] = []
        // Unit.
        let fromContent = clues.metadata?.unit.flatMap { plan.unit($0) } ?? Identifier.units(in: clues.title, plan: plan).first
        let fromFolder = Identifier.units(in: clues.folder, plan: plan).first
        let fromName = Identifier.units(in: clues.fileName, plan: plan).first
        identity.unit = fromContent ?? fromFolder ?? fromName
        let sources: [(ReportingUnit?, Message)] = [(fromContent, Say.content), (fromFolder, Say.folder), (fromName, Say.fileName)]
        if let chosen = identity.unit, let (other, said) = sources.first(where: { $0.0 != nil && $0.0!.code != chosen.code }),
           let first = sources.first(where: { $0.0?.code == chosen.code }) {
            findings.append(Finding(.warning, .identificationConflict, file: file, sheet: sheet, value: other!.name,
                                    Say.unitConflict(first.1, says: chosen, but: said, says: other!)))
        }
        if let u = identity.unit, !u.active {
            findings.append(Finding(.error, .unknownUnit, file: file, sheet: sheet, value: u.name, Say.notReporting(u, year: plan.year)))
        }
        // Period: of the form's kind, from content, then file name; a one-off form's own period.
        let contentPeriod = clues.metadata?.period ?? clues.titlePeriods.first { $0.kind == form.periodKind }
        let periodFromName = clues.namePeriods.first { $0.kind == form.periodKind }
        let namePeriod = periodFromName ?? Identifier.periods(in: clues.folder, defaultYear: plan.year).first { $0.kind == form.periodKind }
        let fixed = plan.periods(of: form).count == 1 ? plan.periods(of: form).first : nil
        identity.period = contentPeriod ?? namePeriod ?? fixed
        if let c = contentPeriod, let n = namePeriod, c != n {
            // The commonest slip: last month's file copied and refilled, its title unchanged.
            // Neither period is taken on trust: the file is rejected for the period its name
            // (or folder) gives, and replaces nothing. `value` holds the content's period.
            identity.period = n
            findings.append(Finding(.error, .periodConflict, file: file, sheet: sheet, value: c.description,
                                    Say.periodConflict(content: c, other: n, where: periodFromName != nil ? Say.fileName : Say.folder)))
        }
        if let p = identity.period, !plan.periods(of: form).contains(p) {
            findings.append(Finding(.error, .unidentified, file: file, sheet: sheet, value: p.vietnamese,
                                    Say.notAPeriodOfForm(p, form: form, year: plan.year)))
        }
        if identity.unit == nil || identity.period == nil {
            findings.append(Finding(.error, .unidentified, file: file, sheet: sheet,
                                    Say.unitOrPeriodUnknown(form: form, unit: identity.unit == nil, period: identity.period == nil)))
        }
        return (identity, findings)
    }
}

extension FileCheck {
    /// What the file-level checks say, in both languages, with how to fix it.
    enum Say {
        static let content = Message(vi: "nội dung tệp", en: "the file's content")
        static let folder = Message(vi: "thư mục", en: "the folder")
        static let fileName = Message(vi: "tên tệp", en: "the file name")

        static let emptyFile = Message(
            vi: "Tệp trống: không có ô nào ghi chữ hay số (tệp 0 byte, chỉ có dấu BOM hoặc chỉ có dòng trắng).",
            en: "The file is empty: no cell holds any text or number (0 bytes, a BOM alone or blank lines only).",
            hint: .init(vi: "Cách sửa: tệp không có nội dung — gửi lại.", en: "To fix: the file has no content — send it again."))

        /// No sheet matched a form of the plan (and perhaps no unit is named either).
        static func noFormFound(unitFound: Bool, sheets: String) -> Message {
            var missing = ["biểu mẫu (không trang nào có dòng tiêu đề cột khớp với một biểu của kế hoạch)"]
            var missingEn = ["the form (no sheet has a header row matching a form of the plan)"]
            if !unitFound { missing.append("đơn vị"); missingEn.append("the unit") }
            return Message(
                vi: "Không nhận diện được tệp: không xác định được \(missing.joined(separator: ", ")). Các trang: \(sheets).",
                en: "The file cannot be identified: \(missingEn.joined(separator: ", ")) not found. Sheets: \(sheets).",
                hint: .init(vi: "Cách sửa: dùng biểu mẫu của tỉnh, ghi rõ \"Đơn vị:\", \"Kỳ báo cáo:\" và giữ nguyên dòng tiêu đề cột.",
                            en: "To fix: use the province's template, with \"Đơn vị:\" and \"Kỳ báo cáo:\" lines and the column headers unchanged."))
        }

        static func unitConflict(_ first: Message, says chosen: ReportingUnit, but other: Message, says unit: ReportingUnit) -> Message {
            Message(vi: "\(first.vi.uppercasedFirst) ghi \(chosen.name) nhưng \(other.vi) ghi \(unit.name); tệp được tính cho \(chosen.name).",
                    en: "\(first.en.uppercasedFirst) says \(chosen.name) but \(other.en) says \(unit.name); the file counts for \(chosen.name).",
                    hint: .init(vi: "Cách sửa: đặt lại tên tệp hoặc sửa dòng \"Đơn vị:\" cho khớp.",
                                en: "To fix: rename the file or correct the \"Đơn vị:\" line."))
        }

        static func notReporting(_ u: ReportingUnit, year: Int) -> Message {
            Message(vi: "\(u.name) không thuộc các đơn vị phải báo cáo trong kế hoạch năm \(year).",
                    en: "\(u.name) is not a reporting unit in the \(year) plan.")
        }

        static func periodConflict(content c: Period, other n: Period, where said: Message) -> Message {
            Message(vi: "Nội dung tệp ghi kỳ \(c.vietnamese) nhưng \(said.vi) ghi \(n.vietnamese) (có phải tệp kỳ trước được sao chép rồi điền lại?). Tệp không được tính cho kỳ nào và không thay thế báo cáo nào.",
                    en: "The content says \(c.vietnamese) but \(said.en) says \(n.vietnamese) (last period's file copied and refilled?). The file counts for no period and replaces no report.",
                    hint: .init(vi: "Cách sửa: sửa dòng \"Kỳ báo cáo:\" và tiêu đề cho đúng kỳ của số liệu, đặt tên tệp theo cùng kỳ đó, rồi gửi lại.",
                                en: "To fix: correct the \"Kỳ báo cáo:\" line and the title to the figures' period, name the file for the same period, and send it again."))
        }

        static func notAPeriodOfForm(_ p: Period, form: FormDefinition, year: Int) -> Message {
            Message(vi: "Kỳ \(p.vietnamese) không phải một kỳ báo cáo của biểu \"\(form.title)\" trong kế hoạch năm \(year).",
                    en: "\(p.vietnamese) is not a reporting period of \"\(form.title)\" in the \(year) plan.",
                    hint: .init(vi: "Cách sửa: kiểm tra dòng \"Kỳ báo cáo:\".", en: "To fix: check the \"Kỳ báo cáo:\" line."))
        }

        static func unitOrPeriodUnknown(form: FormDefinition, unit: Bool, period: Bool) -> Message {
            var missing: [String] = [], missingEn: [String] = []
            if unit { missing.append("đơn vị (Hội LHPN huyện nào)"); missingEn.append("the unit") }
            if period { missing.append("kỳ báo cáo"); missingEn.append("the period") }
            return Message(
                vi: "Đây là biểu \"\(form.title)\" nhưng không xác định được \(missing.joined(separator: " và ")).",
                en: "This is the form \"\(form.title)\" but \(missingEn.joined(separator: " and ")) cannot be determined.",
                hint: .init(vi: "Cách sửa: ghi \"Đơn vị: Hội LHPN huyện …\" và \"Kỳ báo cáo: …\" ở đầu biểu, hoặc đặt tên tệp như \"BC von quy 3 - Khanh Vinh.xlsx\".",
                            en: "To fix: add \"Đơn vị:\" and \"Kỳ báo cáo:\" lines, or name the file like \"BC von quy 3 - Khanh Vinh.xlsx\"."))
        }
    }
}
