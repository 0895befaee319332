// Rendering: what each district owes on the as-of day, and the short message that tells it —
// plain Vietnamese of at most about 600 characters, to paste into Zalo or an e-mail: the
// reports owed with their due dates, the top findings cell by cell, the feedback page's name
// and the day to send by. `phan-hoi/<unit code>.txt`; `tonghop status --messages` prints them.
import Foundation

/// One report a unit owes (missing, rejected) or sent late, with what the letter says of it.
public struct OwedReport: Sendable, Equatable {
    public var form: String
    public var title: String
    public var period: Period
    public var due: Day
    public var kind: ReportStatus.Kind
    /// Rejected: the first error of the file, in one line. Late: how many days.
    public var detail: String?
    /// The finding the detail comes from.
    public var finding: Finding?

    /// `chưa nộp`, `bị trả lại: …`, `nộp muộn 3 ngày`.
    public var state: String {
        switch kind {
        case .missing: return "chưa nộp"
        case .rejected: return "bị trả lại" + (detail.map { ": \($0)" } ?? "")
        case .late: return "nộp muộn" + (detail.map { " \($0)" } ?? "")
        default: return kind.rawValue
        }
    }
}

/// A unit's dues on the as-of day.
public struct UnitDues: Sendable {
    public var unit: ReportingUnit
    /// Missing and rejected reports, oldest due first: what the letter asks for.
    public var owed: [OwedReport]
    /// Reports of the period received after their due date (named in the letter, not owed).
    public var late: [OwedReport]
    /// Findings to fix, errors first, in the files of the unit's rejected reports and reports in use.
    public var findings: [Finding]

    public var owes: Bool { !owed.isEmpty }
}

public enum Dues {
    /// The first sentence of a message, at most `limit` characters.
    static func oneLine(_ s: String, limit: Int = 110) -> String {
        var t = s.replacingOccurrences(of: "\n", with: " ")
        if let r = t.range(of: ". ") { t = String(t[..<r.lowerBound]) }
        if t.hasSuffix(".") { t.removeLast() }
        return t.count > limit ? String(t.prefix(limit - 1)) + "…" : t
    }

    /// A line ended with a full stop, unless it ends with an ellipsis already.
    static func sentence(_ s: String) -> String {
        s.hasSuffix("…") || s.hasSuffix(".") ? s : s + "."
    }

    /// `Báo cáo tháng …, tháng 11/2019`; a title that names its year already gets no `năm 2018`.
    public static func titleAndPeriod(_ o: OwedReport) -> String {
        let p = o.period.vietnamese
        let lowered = p.prefix(1).lowercased() + p.dropFirst()
        if o.period.kind == .year && o.title.contains(String(o.period.year)) { return o.title }
        return "\(o.title), \(lowered)"
    }

    /// `n` working days after `day` on the plan's calendar (weekends and the plan's holidays skipped).
    public static func workingDays(_ n: Int, after day: Day, plan: Plan) -> Day {
        var d = day
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            if d.weekday <= 5 && !plan.holidays.contains(d) { left -= 1 }
        }
        return d
    }

    /// The day a reminder sent on the as-of day asks for what is owed.
    public static func resendBy(_ input: ReportInput) -> Day {
        workingDays(input.plan.official.resendWorkingDays, after: input.asOf, plan: input.plan)
    }

    /// Every active unit's dues, in plan order.
    public static func compute(_ input: ReportInput) -> [UnitDues] {
        let plan = input.plan
        let byFile = Dictionary(grouping: input.submissions, by: \.id)
        let periodStart = plan.cutoff.start(of: input.period)
        let byUnit = Dictionary(grouping: input.statuses, by: \.unit)
        return plan.activeUnits.map { unit in
            let mine = byUnit[unit.code] ?? []
            func report(_ s: ReportStatus) -> OwedReport {
                var detail: String?
                var finding: Finding?
                if s.kind == .rejected, let id = s.submission, let fileId = byFile[id]?.first?.fileId,
                   let first = (input.findings[fileId] ?? []).first(where: { $0.severity == .error }) {
                    detail = (first.cell.map { "ô \($0), " } ?? "") + oneLine(first.vi, limit: 140)
                    finding = first
                }
                if s.kind == .late, let n = s.daysLate { detail = "\(n) ngày" }
                return OwedReport(form: s.form, title: plan.form(s.form)?.title ?? s.form, period: s.period, due: s.due, kind: s.kind,
                                  detail: detail, finding: finding)
            }
            let owed = mine.filter { ($0.kind == .missing || $0.kind == .rejected) && $0.due <= input.asOf }
                .sorted { ($0.due, $0.form) < ($1.due, $1.form) }.map(report)
            let late = mine.filter { $0.kind == .late && ($0.received ?? input.asOf) >= periodStart }
                .sorted { ($0.due, $0.form) < ($1.due, $1.form) }.map(report)
            // Findings of the files that stand for the unit now: rejected ones to resend, and
            // warnings in the accepted ones to look at.
            var fileIds: [Int64] = []
            for s in mine where s.kind == .rejected || s.kind == .onTime || s.kind == .late {
                if let id = s.submission, let f = byFile[id]?.first?.fileId, !fileIds.contains(f) { fileIds.append(f) }
            }
            var all: [Finding] = []
            for id in fileIds { all += input.findings[id] ?? [] }
            let errors = all.filter { $0.severity == .error }
            let warnings = all.filter { $0.severity == .warning }
            let findings = errors + warnings
            return UnitDues(unit: unit, owed: owed, late: late, findings: findings)
        }
    }
}

public enum Messages {
    /// The length a message is kept to (characters).
    public static let limit = 600

    /// The feedback page of a unit, by the name it has in the report folder.
    static func feedbackPage(_ input: ReportInput, _ unit: ReportingUnit) -> String {
        "\(input.period)/phan-hoi/\(Show.fileName(unit.code)).html"
    }

    /// The message to one unit, or nil when there is nothing to ask of it.
    public static func text(_ input: ReportInput, _ dues: UnitDues) -> String? {
        guard dues.owes || !dues.findings.isEmpty else { return nil }
        let union = dues.unit.unionName
        var head = "Kính gửi \(union). Đến ngày \(input.asOf.vietnamese), \(input.plan.organisation)"
        var lines: [String] = []
        if dues.owed.isEmpty {
            head += " đã nhận đủ báo cáo; xin xem lại các ô sau."
        } else {
            head += " chưa nhận được:"
            for o in dues.owed {
                lines.append("- \(Dues.titleAndPeriod(o)) (hạn \(o.due.vietnamese)): \(Dues.sentence(o.state))")
            }
        }
        var fixes: [String] = []
        // The first error of a rejected file is already on its line above.
        let said = dues.owed.compactMap(\.finding)
        for f in dues.findings.filter({ !said.contains($0) }).prefix(3) {
            let place = f.cell.map { c in f.sheet.map { ", ô \($0)!\(c)" } ?? ", ô \(c)" } ?? f.sheet.map { ", trang \($0)" } ?? ""
            fixes.append("- \((f.file as NSString).lastPathComponent)\(place): \(Dues.sentence(Dues.oneLine(f.vi, limit: 120)))")
        }
        let tail = (dues.owes ? "Xin gửi trước ngày \(Dues.resendBy(input).vietnamese). " : "")
            + "Chi tiết: trang góp ý \(feedbackPage(input, dues.unit))."
        // Within the limit: the findings go first, then the oldest reports owed are summed up.
        func assemble(_ owedLines: [String], _ fixLines: [String]) -> String {
            var parts = [head] + owedLines
            if !fixLines.isEmpty { parts += ["Cần sửa:"] + fixLines }
            return (parts + [tail]).joined(separator: "\n")
        }
        var fixLines = fixes
        var owedLines = lines
        var message = assemble(owedLines, fixLines)
        while message.count > limit, !fixLines.isEmpty {
            fixLines.removeLast()
            message = assemble(owedLines, fixLines)
        }
        var shown = lines.count
        while message.count > limit, shown > 1 {
            shown -= 1
            owedLines = Array(lines.prefix(shown)) + ["- và \(lines.count - shown) báo cáo khác (xem trang góp ý)."]
            message = assemble(owedLines, fixLines)
        }
        if message.count > limit { message = String(message.prefix(limit - 1)) + "…" }
        return message
    }

    /// `phan-hoi/<unit code>.txt` for every unit with something to ask.
    static func make(_ input: ReportInput, dues: [UnitDues]? = nil) -> [String: Data] {
        var out: [String: Data] = [:]
        for d in dues ?? Dues.compute(input) {
            guard let text = text(input, d) else { continue }
            out["phan-hoi/\(Show.fileName(d.unit.code)).txt"] = Data((text + "\n").utf8)
        }
        return out
    }
}
