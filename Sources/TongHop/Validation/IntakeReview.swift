// Validation: the checks of a file that need what came before it — when it was received and
// what the ledger already holds. A period named two ways names the accepted report it would
// have replaced; a report received before its period has ended is refused; money a thousand
// times larger than anything the unit has reported is refused.
import Foundation
import Sheets

public struct IntakeHistory: Sendable {
    /// The accepted report now in use for a period, if any.
    public var accepted: @Sendable (_ unit: String, _ form: String, _ period: Period) -> Ledger.AcceptedVersion?
    /// The largest row figure of each field in the unit's accepted reports.
    public var largest: @Sendable (_ unit: String) -> [String: Double]

    public init(accepted: @escaping @Sendable (String, String, Period) -> Ledger.AcceptedVersion?,
                largest: @escaping @Sendable (String) -> [String: Double]) {
        self.accepted = accepted
        self.largest = largest
    }

    /// A ledger's history; a ledger that cannot be read gives none (the file is still checked).
    public static func of(_ ledger: Ledger) -> IntakeHistory {
        nonisolated(unsafe) let ledger = ledger
        return IntakeHistory(accepted: { u, f, p in try? ledger.acceptedVersion(unit: u, form: f, period: p) },
                             largest: { u in (try? ledger.largestRowValues(unit: u)) ?? [:] })
    }
}

public enum IntakeReview {
    /// A field's history below this many triệu đồng is not taken as its plausible level (a
    /// field that has been 0 or 0,5 can grow to a few thousand without being typed in đồng).
    static let historyFloor = 10.0

    public static func review(_ result: inout FileResult, receivedOn: Day, plan: Plan, history: IntakeHistory?) {
        for i in result.submissions.indices {
            var s = result.submissions[i]
            guard s.sheet != SubmissionResult.unread else { continue }
            if let history { conflict(&s, history: history) }
            notEnded(&s, receivedOn: receivedOn, plan: plan, file: result.file)
            if let history, let unit = s.unit, mayBeSuspect(s) { magnitude(&s, largest: history.largest(unit.code), file: result.file) }
            result.submissions[i] = s
        }
    }

    /// Names in the `period-conflict` error the accepted report the content's period would
    /// have replaced.
    static func conflict(_ s: inout SubmissionResult, history: IntakeHistory) {
        guard let unit = s.unit else { return }
        for (k, f) in s.findings.enumerated() where f.code == .periodConflict {
            guard let c = f.value.flatMap(Period.init) else { continue }
            let more = history.accepted(unit.code, s.form.id, c).map { Say.wouldHaveReplaced(c, file: $0.file, receivedOn: $0.receivedOn) }
                ?? Say.noneAccepted(c)
            s.findings[k].vi += " " + more.vi
            s.findings[k].en += " " + more.en
        }
    }

    /// A report received before its period has ended cannot hold the period's figures. A
    /// form due before its period ends (a year's plan) may come any time.
    static func notEnded(_ s: inout SubmissionResult, receivedOn: Day, plan: Plan, file: String) {
        guard let p = s.period else { return }
        let end = plan.cutoff.end(of: p)
        guard receivedOn < end else { return }
        if let unit = s.unit, let due = plan.due(form: s.form.id, period: p, unit: unit.code), due < end { return }
        s.findings.append(Finding(.error, .periodNotEnded, file: file, sheet: s.sheet, value: p.vietnamese,
            Say.periodNotEnded(p, receivedOn: receivedOn, end: end)))
    }

    /// Whether any money figure is large enough to be a thousand times a plausible level:
    /// most files have none, and the ledger is not asked.
    static func mayBeSuspect(_ s: SubmissionResult) -> Bool {
        let money = s.form.fields.filter(SubmissionValidator.isMoney).map(\.key)
        return s.rows.contains { r in money.contains { (r.numbers[$0].map(abs) ?? 0) >= 1000 * historyFloor } }
    }

    /// Money a thousand times or more the largest row the unit has reported for the field:
    /// typed in đồng. An error at the cell.
    static func magnitude(_ s: inout SubmissionResult, largest: [String: Double], file: String) {
        let flagged = Set(s.findings.filter { $0.code == .unitSuspect }.compactMap(\.cell))
        for f in s.form.fields where SubmissionValidator.isMoney(f) {
            guard let before = largest[f.key] else { continue }
            let plausible = max(before, historyFloor)
            for r in s.rows {
                guard let v = r.numbers[f.key], abs(v) >= 1000 * plausible else { continue }
                let cell = s.columns[f.key].map { CellReference(row: r.row, column: $0).description }
                if let cell, flagged.contains(cell) { continue }
                let m = UnitSuspect.message(header: "\"\(f.header)\"", value: v, plausible: before, history: true)
                s.findings.append(Finding(.error, .unitSuspect, file: file, sheet: s.sheet, cell: cell,
                                          value: VietnameseFormat.number(v), m))
            }
        }
    }
}

extension IntakeReview {
    /// What the checks against the ledger say, in both languages.
    enum Say {
        /// Added to a `period-conflict` error: the accepted report the content's period would
        /// have replaced.
        static func wouldHaveReplaced(_ c: Period, file: String, receivedOn: Day) -> Message {
            Message(vi: "Nếu tính theo nội dung thì tệp này sẽ thay thế báo cáo \(c.vietnamese) đã được chấp nhận (tệp \"\(file)\", nhận ngày \(receivedOn.vietnamese)); báo cáo đó vẫn được giữ nguyên.",
                    en: "Taken by its content, it would have replaced the accepted \(c.vietnamese) report (file \"\(file)\", received \(receivedOn.vietnamese)); that report stays as it is.")
        }

        /// Added to a `period-conflict` error when no report of the content's period is accepted.
        static func noneAccepted(_ c: Period) -> Message {
            Message(vi: "Chưa có báo cáo \(c.vietnamese) nào được chấp nhận, nên tệp cũng không được tính cho kỳ đó.",
                    en: "No \(c.vietnamese) report has been accepted, and the file does not count for it either.")
        }

        static func periodNotEnded(_ p: Period, receivedOn: Day, end: Day) -> Message {
            Message(vi: "Báo cáo \(p.vietnamese) được nhận ngày \(receivedOn.vietnamese), trước khi kỳ báo cáo kết thúc (\(end.vietnamese)): số liệu của kỳ chưa đủ nên không được tính.",
                    en: "The \(p.vietnamese) report was received on \(receivedOn.vietnamese), before its period ended (\(end.vietnamese)): its figures cannot be complete and are not counted.",
                    hint: .init(vi: "Cách sửa: kiểm tra dòng \"Kỳ báo cáo:\" (có phải kỳ trước?); nếu đúng là kỳ \(p.vietnamese) thì gửi lại sau ngày \(end.vietnamese) với số liệu cả kỳ.",
                                en: "To fix: check the \"Kỳ báo cáo:\" line (the previous period?); if it is \(p.vietnamese), send it again after \(end.vietnamese) with the whole period's figures."))
        }
    }
}
