// Rendering: where a period's report stands — tạm tính (provisional: later files still
// change it) or đã chốt (closed by `tonghop close`), and for a closed period which issue this
// is: lần 1 is the closed report, lần 2, 3 … carry the files received after it.
import Foundation

public struct PeriodState: Sendable, Equatable {
    /// One file that arrived after the previous issue, as the re-issue lists it.
    public struct Arrival: Sendable, Equatable {
        public var unit: String
        public var form: String
        public var period: String
        public var file: String
        public var received: Day
        public var status: SubmissionResult.Status
    }

    public var closed: Bool
    /// 1 for the report as closed; 2, 3 … for the re-issues.
    public var issue: Int
    /// The day the period was closed.
    public var closedOn: Day?
    /// The previous issue's as-of day and folder (a re-issue only).
    public var previousAsOf: Day?
    public var previousFolder: String?
    /// What came in since the previous issue (a re-issue only).
    public var arrivals: [Arrival]

    public static let provisional = PeriodState(closed: false, issue: 1, closedOn: nil, previousAsOf: nil, previousFolder: nil, arrivals: [])

    public init(closed: Bool, issue: Int, closedOn: Day?, previousAsOf: Day?, previousFolder: String?, arrivals: [Arrival]) {
        self.closed = closed
        self.issue = issue
        self.closedOn = closedOn
        self.previousAsOf = previousAsOf
        self.previousFolder = previousFolder
        self.arrivals = arrivals
    }

    /// `tạm tính` or `đã chốt`, as the report and the period index show it.
    public var label: String { closed ? "đã chốt" : "tạm tính" }

    /// ` (lần 2)` after the title of a re-issue.
    public var issueSuffix: String { issue > 1 ? " (lần \(issue))" : "" }

    /// The folder of issue `n` of a period: the period itself for lần 1, `2019-11-lan-2` after.
    public static func folder(period: String, issue: Int) -> String {
        issue <= 1 ? period : "\(period)-lan-\(issue)"
    }
}

/// The report's state as the templates read it (`state.…`): tạm tính or đã chốt, the issue,
/// and for a re-issue the files that came in since the previous one.
struct StateSection: PageModel {
    struct Arrival: PageModel {
        var unit, form, period, file, received, status: String

        func child(named name: String) -> Any? {
            switch name {
            case "unit": unit
            case "form": form
            case "period": period
            case "file": file
            case "received": received
            case "status": status
            default: nil
            }
        }
    }

    /// What a re-issue adds: the previous issue and the files since.
    struct Previous {
        var asOf, issue, href: String
        var arrivals: [Arrival]
    }

    var label: String
    var closed: Bool
    var issueSuffix: String
    var reissue: Bool
    var issue: String
    var note: String
    var previous: Previous?

    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "closed": closed
        case "issueSuffix": issueSuffix
        case "reissue": reissue
        case "issue": issue
        case "note": note
        case "previousAsOf": previous?.asOf
        case "previousIssue": previous?.issue
        case "previousHref": previous?.href
        case "arrivals": previous?.arrivals
        default: nil
        }
    }
}

extension ReportModel {
    var stateSection: StateSection {
        let s = input.state
        let note = s.closed
            ? "Đã chốt số liệu" + (s.closedOn.map { " ngày \($0.vietnamese)" } ?? "") + (s.issue > 1 ? "; báo cáo lần \(s.issue), bổ sung các tệp nhận sau lần \(s.issue - 1)" : "")
            : "Tạm tính: báo cáo còn được cập nhật khi nhận thêm tệp của kỳ"
        var previous: StateSection.Previous?
        if s.issue > 1 {
            previous = .init(
                asOf: s.previousAsOf?.vietnamese ?? "—", issue: String(s.issue - 1),
                href: "../\(s.previousFolder ?? input.period.description)/index.html",
                arrivals: s.arrivals.map { a in
                    let status = a.status == .accepted ? "được chấp nhận" : "bị từ chối"
                    return .init(unit: plan.unit(a.unit)?.name ?? a.unit, form: plan.form(a.form)?.title ?? a.form,
                                 period: Period(a.period)?.vietnamese ?? a.period, file: a.file, received: a.received.vietnamese, status: status)
                })
        }
        return StateSection(label: s.label, closed: s.closed, issueSuffix: s.issueSuffix, reissue: s.issue > 1,
                            issue: String(s.issue), note: note, previous: previous)
    }
}

/// A province target as an earlier period's report showed it (its summary.json).
public struct TargetPoint: Sendable, Equatable {
    public var period: Period
    public var target: String
    public var value: Double?
    public var status: String
    public var threshold: Double?
    public var expected: Double?
}
