// Consolidation: where each expected report stands on the as-of day — on time, late by n
// days, missing, rejected, pending or exempt — and the reporting rates DHIS2-style.
import Foundation

public struct ReportStatus: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case onTime = "on-time", late, missing, rejected, pending, exempt
    }

    public var unit: String
    public var form: String
    public var period: Period
    public var due: Day
    public var kind: Kind
    /// When the first accepted version arrived (timeliness is judged on it).
    public var received: Day?
    public var daysLate: Int?
    /// The file of the accepted version in use, or of the latest rejected one.
    public var file: String?
    public var submission: Int64?
    /// Rejected because the file that came could not be read or its table not found: the
    /// report was received, and must be sent again in a form the program reads.
    public var unread: Unread?

    public enum Unread: String, Sendable {
        /// An old or foreign format (.xls, .ods, .xlsb…).
        case format
        /// A damaged or encrypted file.
        case damaged
        /// Read, but no table of the form found in it.
        case unidentified

        public var vietnamese: String {
            switch self {
            case .format: return "đã nhận, không đọc được — gửi lại dạng .xlsx"
            case .damaged: return "đã nhận, tệp hỏng hoặc có mật khẩu, không đọc được — lưu lại và gửi lại dạng .xlsx"
            case .unidentified: return "đã nhận, không tìm thấy bảng của biểu — dùng biểu mẫu của tỉnh và gửi lại"
            }
        }

        public var english: String {
            switch self {
            case .format: return "received, cannot be read — send it again as .xlsx"
            case .damaged: return "received, damaged or password-protected — save it again and send it as .xlsx"
            case .unidentified: return "received, no table of the form found — use the province's template and send it again"
            }
        }
    }

    /// How the status reads to a clerk.
    public func text(_ language: Language) -> String {
        let vi = language == .vi
        switch kind {
        case .onTime: return vi ? "đúng hạn" : "on time"
        case .late: return vi ? "muộn \(daysLate ?? 0) ngày" : "late by \(daysLate ?? 0) days"
        case .missing: return vi ? "chưa nhận" : "not received"
        case .rejected: return unread.map { vi ? $0.vietnamese : $0.english } ?? (vi ? "bị từ chối, chờ gửi lại" : "rejected, awaiting a new file")
        case .pending: return vi ? "chưa đến hạn" : "not yet due"
        case .exempt: return vi ? "được miễn" : "exempt"
        }
    }
}

public struct Rate: Sendable, Equatable {
    public var expected = 0
    public var received = 0
    public var onTime = 0

    public var receivedRate: Double? { expected == 0 ? nil : 100 * Double(received) / Double(expected) }
    public var onTimeRate: Double? { expected == 0 ? nil : 100 * Double(onTime) / Double(expected) }
}

public enum Completeness {
    /// The status of every report due by `asOf`, and of those whose period has begun.
    public static func statuses(plan: Plan, submissions: [Ledger.StoredSubmission], asOf: Day) -> [ReportStatus] {
        let known = submissions.filter { $0.receivedOn <= asOf && $0.unit != nil && $0.period != nil }
        let byKey = Dictionary(grouping: known) { ReportKey($0)! }
        var out: [ReportStatus] = []
        let inactive = plan.units.filter { !$0.active }
        let firstActive = plan.activeUnits.first?.code
        for form in plan.forms.sorted(by: { $0.id < $1.id }) {
            for period in plan.periods(of: form) {
                for unit in plan.activeUnits {
                    guard let due = plan.due(form: form.id, period: period, unit: unit.code) else { continue }
                    let group = (byKey[ReportKey(unit: unit.code, form: form.id, period: period)] ?? []).sorted { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
                    let started = plan.cutoff.start(of: period) <= asOf
                    guard started || due <= asOf || !group.isEmpty else { continue }
                    var s = ReportStatus(unit: unit.code, form: form.id, period: period, due: due, kind: .pending)
                    let accepted = group.filter { $0.status == .accepted }
                    if plan.exceptions.contains(where: { $0.unit == unit.code && $0.form == form.id && $0.period == period && $0.exempt }) {
                        s.kind = .exempt
                    } else if let first = accepted.first, let current = accepted.last {
                        s.received = first.receivedOn
                        s.file = current.file
                        s.submission = current.id
                        if first.receivedOn <= due {
                            s.kind = .onTime
                        } else {
                            s.kind = .late
                            s.daysLate = first.receivedOn - due
                        }
                    } else if let rejected = group.last {
                        s.kind = .rejected
                        s.received = rejected.receivedOn
                        s.file = rejected.file
                        s.submission = rejected.id
                        if rejected.sheet == SubmissionResult.unread {
                            s.unread = rejected.fileStatus == .unsupported ? .format : rejected.fileStatus == .unidentified ? .unidentified : .damaged
                        }
                    } else if asOf > due {
                        s.kind = .missing
                    }
                    out.append(s)
                    // A unit that does not report this year (Trường Sa) is shown exempt, not left out.
                    for other in inactive where unit.code == firstActive {
                        out.append(ReportStatus(unit: other.code, form: form.id, period: period, due: due, kind: .exempt))
                    }
                }
            }
        }
        return out
    }

    /// A file received but not placed on any report (it could not be read, or no table of a
    /// form was found, and its name does not say which form), whose folder or name says which
    /// district sent it.
    public struct UnplacedFile: Sendable, Equatable {
        public var unit: String
        public var file: String
        public var fileId: Int64
        public var receivedOn: Day
        public var reason: ReportStatus.Unread

        public func text(_ language: Language) -> String {
            let what = language == .vi ? reason.vietnamese : reason.english
            return what.prefix(1).uppercased() + what.dropFirst()
        }
    }

    /// Every received file with no report of its own that its folder or name places with a
    /// district, received by `asOf`.
    public static func unplaced(plan: Plan, files: [Ledger.StoredFile], submissions: [Ledger.StoredSubmission], asOf: Day) -> [UnplacedFile] {
        let placed = Set(submissions.map(\.fileId))
        return files.filter { !placed.contains($0.id) && $0.receivedOn <= asOf && $0.status != .accepted }.compactMap { f in
            let parts = f.name.split(separator: "/").map(String.init)
            let text = parts.dropLast().joined(separator: " ") + " " + ((parts.last ?? f.name) as NSString).deletingPathExtension
            guard let unit = Identifier.units(in: text, plan: plan).first else { return nil }
            let reason: ReportStatus.Unread = f.status == .unsupported ? .format : f.status == .unidentified ? .unidentified : .damaged
            return UnplacedFile(unit: unit.code, file: f.name, fileId: f.id, receivedOn: f.receivedOn, reason: reason)
        }
    }

    /// Expected, received and on-time counts, where expected means due by the as-of day.
    public static func rates(_ statuses: [ReportStatus], by key: (ReportStatus) -> String) -> [String: Rate] {
        var out: [String: Rate] = [:]
        for s in statuses where s.kind != .pending && s.kind != .exempt {
            var r = out[key(s)] ?? Rate()
            r.expected += 1
            if s.kind == .onTime || s.kind == .late { r.received += 1 }
            if s.kind == .onTime { r.onTime += 1 }
            out[key(s)] = r
        }
        return out
    }
}
