// Rendering: the feedback page to one district (`phan-hoi/<unit>.html`) — what it still owes,
// what was found in each file it sent (with the marked-up copy), its reports, the notes on
// deadlines and unusual figures, its corrections and its targets.
import Foundation

struct FeedbackPage: PageModel {
    /// One of the unit's reports; `period` false when the form's title already says it.
    struct Report: PageModel {
        var form: String
        var period: String?
        var due: String
        var received: String?
        var status, symbol, css: String
        var file: String?

        func child(named name: String) -> Any? {
            switch name {
            case "form": form
            case "period": period.orFalse
            case "due": due
            case "received": received.orFalse
            case "status": status
            case "symbol": symbol
            case "css": css
            case "file": file.orFalse
            default: nil
            }
        }
    }

    /// A report still to send: missing, rejected, or not yet due.
    struct StillDue: PageModel {
        var form: String
        var period: String?
        var due: String
        var overdue: Bool
        var status, css, symbol: String

        func child(named name: String) -> Any? {
            switch name {
            case "form": form
            case "period": period.orFalse
            case "due": due
            case "overdue": overdue
            case "status": status
            case "css": css
            case "symbol": symbol
            default: nil
            }
        }
    }

    /// A file the unit sent, with its findings; `annotated` the marked-up copy's link.
    struct File: PageModel {
        var name, received, status, css, what: String
        var findings: [FindingRow]
        var annotated: String?

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "received": received
            case "status": status
            case "css": css
            case "what": what
            case "findings": findings
            case "clean": findings.isEmpty
            case "hasFindings": !findings.isEmpty
            case "annotated": annotated.orFalse
            default: nil
            }
        }
    }

    /// One of the unit's targets, with what it is computed from.
    struct Target: PageModel {
        var name, value, threshold, status, css, symbol: String
        var details: [TextItem]

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "value": value
            case "threshold": threshold
            case "status": status
            case "css": css
            case "symbol": symbol
            case "details": details
            default: nil
            }
        }
    }

    var common: PageCommon
    /// The report's blocks without its number: a page of feedback, not a numbered document.
    var official: OfficialSection
    var unitName, unionName: String
    var reports: [Report]
    var stillDue: [StillDue]
    /// The files with errors or warnings, and the others.
    var problemFiles: [File]
    var cleanFiles: [File]
    var notes: [FindingRow]
    var targets: [Target]
    var corrections: [CorrectionRow]

    func child(named name: String) -> Any? {
        switch name {
        case "official": official
        case "unitName": unitName
        case "unionName": unionName
        case "reports": reports
        case "stillDue": stillDue
        case "hasStillDue": !stillDue.isEmpty
        case "problemFiles": problemFiles
        case "cleanFiles": cleanFiles
        case "hasProblemFiles": !problemFiles.isEmpty
        case "hasCleanFiles": !cleanFiles.isEmpty
        case "notes": notes
        case "hasNotes": !notes.isEmpty
        case "targets": targets
        case "corrections": corrections
        case "hasCorrections": !corrections.isEmpty
        default: common.child(named: name)
        }
    }
}

extension ReportModel {
    func feedback(_ u: ReportingUnit) -> FeedbackPage {
        var blocks = OfficialBlocks(plan: plan, kind: .report, date: input.asOf)
        blocks.number = ""   // a page of feedback, not a numbered document
        let mine = (statusesByUnit[u.code] ?? []).sorted { ($0.due, $0.form) < ($1.due, $1.form) }
        let files = files(u)
        return FeedbackPage(
            common: common, official: OfficialSection(blocks), unitName: u.name, unionName: u.unionName,
            reports: mine.map { s in
                let shown = Show.status(s)
                return .init(form: form(s.form)?.title ?? s.form, period: periodAfter(s.form, s.period), due: s.due.vietnamese,
                             received: s.received?.vietnamese, status: shown.text, symbol: shown.symbol, css: shown.css, file: s.file)
            },
            stillDue: mine.filter { [.missing, .rejected, .pending].contains($0.kind) }.map { s in
                .init(form: form(s.form)?.title ?? s.form, period: periodAfter(s.form, s.period), due: s.due.vietnamese,
                      overdue: s.kind != .pending, status: s.kind == .pending ? "Chưa đến hạn" : Show.status(s).text,
                      css: Show.status(s).css, symbol: Show.status(s).symbol)
            },
            problemFiles: files.filter { !$0.findings.isEmpty }, cleanFiles: files.filter { $0.findings.isEmpty },
            notes: (derivedByUnit[u.code] ?? []).map { FindingRow(finding: $0.finding) },
            targets: plan.targets.compactMap { t in unitTarget(t, u) },
            corrections: corrections(unit: u.code))
    }

    /// The files the unit sent (and those placed to it but not read as a report), oldest first.
    func files(_ u: ReportingUnit) -> [FeedbackPage.File] {
        let unplaced = unplacedByUnit[u.code] ?? []
        let mine = (filesByUnit[u.code] ?? []).map { input.files[$0] }
        let outputs = FeedbackWorkbooks.outputNames(mine.map(\.name))
        return mine.sorted { ($0.receivedOn, $0.name) < ($1.receivedOn, $1.name) }.map { f in
            let findings = (input.findings[f.id] ?? []).filter { $0.severity != .info }
            let subs = submissionsByFile[f.id] ?? []
            let rejected = subs.filter { $0.status == .rejected }
            // A rejected file whose report has since come in accepted needs nothing more.
            let replaced = !rejected.isEmpty && rejected.allSatisfy { r in inUse(unit: r.unit, form: r.form, period: r.period) }
            let status = unplaced.first { $0.fileId == f.id }.map { $0.text(.vi) }
                ?? (rejected.isEmpty ? (findings.isEmpty ? "Được chấp nhận" : "Được chấp nhận, có lưu ý")
                : replaced ? "Bị từ chối, đã được thay bằng bản gửi lại" : "Bị từ chối, cần sửa và gửi lại")
            let workbook = f.name.lowercased().hasSuffix(".xlsx") || f.name.lowercased().hasSuffix(".xlsm")
            return .init(name: f.name, received: f.receivedOn.vietnamese, status: status,
                         css: subs.contains { $0.status == .rejected } || subs.isEmpty ? "rejected" : "ontime",
                         what: subs.isEmpty ? "chưa xác định được biểu và kỳ"
                             : subs.map { s in formAndPeriod(s.form, s.period.flatMap(Period.init)) }.joined(separator: "; "),
                         findings: findings.map { FindingRow(place: [$0.sheet, $0.cell].compactMap { $0 }.joined(separator: "!"), finding: $0) },
                         annotated: workbook
                             ? "\(Show.fileName(u.code))/" + ((outputs[f.name] ?? FeedbackWorkbooks.outputName(f.name))
                                 .addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
                             : nil)
        }
    }

    /// A target of the unit: its value, threshold and verdict, and what it is computed from.
    func unitTarget(_ t: TargetDefinition, _ u: ReportingUnit) -> FeedbackPage.Target? {
        guard let r = result(t, u.code) else { return nil }
        let shown = Show.target(r.status)
        var details: [String] = []
        if let u = r.unions, t.perCommune {
            details.append("\(u.met)/\(u.total) cơ sở Hội đạt; huyện đạt khi mọi cơ sở Hội đạt" + (u.failing.isEmpty ? "" : " — chưa đạt: " + u.failing.joined(separator: ", ")))
        }
        let b = basis(t, r)
        if !b.isEmpty, !t.perCommune { details.append(b) }
        let p = progressText(t, r)
        if !p.isEmpty { details.append(p.prefix(1).uppercased() + p.dropFirst()) }
        if r.status == .noData, !r.missing.isEmpty { details.append(describeMissing(r)) }
        return .init(name: t.name, value: shownValue(t, r), threshold: thresholdText(t), status: shown.text,
                     css: shown.css, symbol: shown.symbol, details: details.map(TextItem.init))
    }
}
