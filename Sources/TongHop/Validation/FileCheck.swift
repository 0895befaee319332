// Validation: one file, start to end — read it, find each form's table on each sheet,
// identify unit, form and period, and check everything. A pure function of the file's
// bytes, its place in the inbox and the plan, so it can run anywhere, several at once.
import Foundation
import Sheets

public struct SubmissionResult: Sendable {
    public enum Status: String, Sendable, Codable {
        case accepted, rejected
    }

    public var unit: ReportingUnit?
    public var form: FormDefinition
    public var period: Period?
    public var sheet: String
    public var findings: [Finding]
    public var rows: [RowValues]
    /// The column of each field in the sheet, to name a cell in later checks.
    public var columns: [String: Int] = [:]

    /// The sheet name of a report that came in a file that could not be read or whose table
    /// could not be found: the unit, form and period are those its folder and name give.
    public static let unread = ""

    /// Rejected when any error is found, or when the unit or period is not known.
    public var status: Status {
        findings.contains { $0.severity == .error } || unit == nil || period == nil ? .rejected : .accepted
    }
}

public struct FileResult: Sendable {
    public enum Status: String, Sendable, Codable {
        case accepted, rejected, unidentified, unsupported
    }

    /// The path as the user gave it, or relative to the inbox.
    public var file: String
    public var format: SpreadsheetFormat?
    public var submissions: [SubmissionResult]
    /// Problems of the file as a whole (unreadable, unsupported, unidentified).
    public var findings: [Finding]

    public var allFindings: [Finding] { findings + submissions.flatMap(\.findings) }

    /// Every finding of the file in the order a clerk reads them (`Finding.readingOrder`).
    public var findingsInReadingOrder: [Finding] { allFindings.sorted(by: Finding.readingOrder) }

    /// A file that could not be read at all, saying why.
    public static func unread(_ file: String, _ message: Message) -> FileResult {
        FileResult(file: file, format: nil, submissions: [], findings: [Finding(.error, .unreadableFile, file: file, message)])
    }

    public var status: Status {
        if allFindings.contains(where: { $0.code == .unsupportedFormat }) { return .unsupported }
        if allFindings.contains(where: { $0.code == .unreadableFile || $0.code == .emptyFile }) { return .rejected }
        if submissions.isEmpty || submissions.allSatisfy({ $0.unit == nil || $0.period == nil || $0.sheet == SubmissionResult.unread }) {
            return .unidentified
        }
        return submissions.contains { $0.status == .rejected } ? .rejected : .accepted
    }
}

public enum FileCheck {
    /// Checks a file. `relative` is how it is named in messages and where its folder names
    /// are taken from (the path inside the inbox); `limits` bound what reading may cost.
    public static func check(path: String, relative: String, plan: Plan, limits: ReadLimits = .default) -> FileResult {
        received(read(path: path, relative: relative, plan: plan, limits: limits), plan: plan)
    }

    /// A file that could not be read or identified still reaches its district when its
    /// folder or name says which district, form and period it is for: its problem is moved
    /// onto a report of that unit, form and period, rejected (received, cannot be read).
    static func received(_ result: FileResult, plan: Plan) -> FileResult {
        guard result.submissions.isEmpty, let problem = result.findings.first(where: { $0.severity == .error }) else { return result }
        let parts = result.file.split(separator: "/").map(String.init)
        let folder = parts.dropLast().joined(separator: " ")
        let name = parts.last.map { ($0 as NSString).deletingPathExtension } ?? result.file
        guard let unit = Identifier.units(in: folder + " " + name, plan: plan).first else { return result }
        let scored = plan.forms.map { ($0, Identifier.formScore(name, words: $0.fileNameWords)) }.filter { $0.1 > 0 }
        guard let form = scored.max(by: { ($0.1, $1.0.id) < ($1.1, $0.0.id) })?.0 else { return result }
        let periods = Identifier.periods(in: name, defaultYear: plan.year) + Identifier.periods(in: folder, defaultYear: plan.year)
        let fixed = plan.periods(of: form).count == 1 ? plan.periods(of: form).first : nil
        guard let period = periods.first(where: { $0.kind == form.periodKind }) ?? fixed, plan.periods(of: form).contains(period) else {
            return result
        }
        var out = result
        out.findings = result.findings.filter { $0 != problem }
        out.submissions = [SubmissionResult(unit: unit, form: form, period: period, sheet: SubmissionResult.unread,
                                            findings: [problem], rows: [])]
        return out
    }

    /// The file's bytes, then the same check as the run's (`check(bytes:)`).
    static func read(path: String, relative: String, plan: Plan, limits: ReadLimits) -> FileResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let e = SheetsError(.io("cannot read the file: \((error as NSError).localizedDescription)"))
            return FileResult(file: relative, format: nil, submissions: [], findings: [problem(e, relative)])
        }
        return read(bytes: data, relative: relative, plan: plan, limits: limits)
    }

    static func problem(_ e: SheetsError, _ relative: String) -> Finding {
        let p = ReadProblem(e)
        return Finding(.error, p.code == "unsupported-format" ? .unsupportedFormat : .unreadableFile, file: relative,
                       cell: e.cell, value: e.entry, Message.splittingHint(vi: p.vi, en: p.en))
    }

    /// Sheets smaller than this fit are not taken for a form.
    static let minimumFit = 0.4

    static func check(_ book: any Spreadsheet, relative: String, plan: Plan) throws -> FileResult {
        var result = FileResult(file: relative, format: book.format, submissions: [], findings: [])
        let pathParts = relative.split(separator: "/").map(String.init)
        let folderText = pathParts.dropLast().joined(separator: " ")
        let fileName = pathParts.last.map { ($0 as NSString).deletingPathExtension } ?? relative
        let metadata = try Metadata.read(book)
        let fileNameHay = " " + Folding.key(fileName) + " "
        var bestMiss: (sheet: String, fit: Double)?
        // Legacy text is converted before anything is matched; one warning for the file.
        let vietnamese = LegacyText.Scorer(plan: plan)
        let csv = book as? CSVSheet
        var conversions: [LegacyText.Conversion] = []
        var legacySheet: String?
        var hasContent = false
        for info in book.sheets where info.kind == .worksheet && info.name != Metadata.sheetName {
            var grid = try book.loadSheet(info.number)
            guard !grid.rows.isEmpty else { continue }
            if grid.rows.contains(where: { $0.cells.contains { !Folding.isBlank($0.value.displayText) } }) {
                hasContent = true
            }
            var sheetName = info.name
            let before = conversions.count
            if let e = csv?.encoding.legacy {
                conversions += LegacyText.decoded(grid, from: e)
            }
            let repaired = LegacyText.repair(&grid, score: vietnamese)
            conversions += repaired
            if let e = repaired.first?.encoding { sheetName = LegacyText.convert(info.name, as: e, score: vietnamese) }
            if conversions.count > before, legacySheet == nil { legacySheet = info.name }
            // The form whose columns this sheet fits best, helped by what its titles say.
            // Only the table chosen needs its body found.
            // Each form's header is matched without building its layout: only the table chosen
            // needs its columns and body.
            var candidates: [(LayoutDetector.HeaderMatch, Double)] = []
            let headers = LayoutDetector.HeaderCandidates(grid)
            for match in LayoutDetector.matchHeaders(headers, forms: plan.forms) {
                guard let match else { continue }
                candidates.append((match, match.fit(plan.forms[match.form])))
            }
            let title = titleText(grid, above: candidates.compactMap { headers.spans[$0.0.span]?.top }.min() ?? 12) + " " + sheetName
            let titlePeriods = Identifier.periods(in: title, defaultYear: plan.year)
            let namePeriods = Identifier.periods(in: fileName, defaultYear: plan.year)
            let titleHay = " " + Folding.key(title) + " "
            let phrases = LayoutDetector.HeaderTable.of(plan.forms)
            func score(_ match: LayoutDetector.HeaderMatch, _ fit: Double) -> Double {
                let f = plan.forms[match.form]
                var s = fit
                if let m = metadata?.form { s += m == f.id ? 10 : -10 }
                s += 0.002 * Double(Identifier.formScore(hay: titleHay, phrases: phrases.titleWords[match.form]))
                s += 0.001 * Double(Identifier.formScore(hay: fileNameHay, phrases: phrases.fileNameWords[match.form]))
                if titlePeriods.contains(where: { $0.kind == f.periodKind }) { s += 0.05 }
                return s
            }
            // Each candidate scored once; the first of equal scores wins, as `max(by:)` has it.
            let scores = candidates.map { score($0.0, $0.1) }
            var chosen: Int?
            for i in scores.indices where chosen == nil || scores[chosen!] < scores[i] { chosen = i }
            guard let best = chosen.map({ candidates[$0] }), best.1 >= minimumFit || metadata?.form != nil,
                  let span = headers.spans[best.0.span], var layout = LayoutDetector.header(span, form: plan.forms[best.0.form]) else {
                let fit = candidates.map(\.1).max() ?? 0
                if bestMiss == nil || fit > bestMiss!.fit { bestMiss = (info.name, fit) }
                continue
            }
            LayoutDetector.findBody(grid, &layout)
            // "Did you mean" only for the table chosen: edit distances are not free.
            LayoutDetector.suggest(&layout)
            let form = layout.form
            let clues = IdentityClues(title: title, titlePeriods: titlePeriods, folder: folderText, fileName: fileName,
                                      namePeriods: namePeriods, metadata: metadata)
            let identified = identify(form: form, from: clues, plan: plan, file: relative, sheet: info.name)
            let identity = identified.identity
            var findings = identified.findings
            var validator = SubmissionValidator(plan: plan, form: form, unit: identity.unit, layout: layout, file: relative, sheet: info.name)
            let checked = validator.run()
            findings += checked.findings
            result.submissions.append(SubmissionResult(unit: identity.unit, form: form, period: identity.period, sheet: info.name,
                                                       findings: findings, rows: checked.rows,
                                                       columns: Dictionary(layout.columns.map { ($0.value.key, $0.key) }, uniquingKeysWith: { a, _ in a })))
        }
        if let f = LegacyText.finding(conversions, file: relative, decodedBytes: csv?.encoding.legacy != nil) {
            if let i = result.submissions.firstIndex(where: { $0.sheet == legacySheet }) {
                result.submissions[i].findings.insert(f, at: 0)
            } else {
                result.findings.append(f)
            }
        }
        if let csv, let invalid = csv.invalidUTF8 {
            let f = LegacyText.finding(invalid, file: relative, sheet: csv.sheets[0].name)
            if result.submissions.isEmpty { result.findings.append(f) } else { result.submissions[0].findings.insert(f, at: 0) }
        }
        if result.submissions.isEmpty && !hasContent {
            result.findings.append(Finding(.error, .emptyFile, file: relative, Say.emptyFile))
            return result
        }
        if result.submissions.isEmpty {
            let sheetNames = book.sheets.map(\.name).joined(separator: ", ")
            let units = Identifier.units(in: folderText + " " + fileName, plan: plan)
            result.findings.append(Finding(.error, .unidentified, file: relative, sheet: bestMiss?.sheet,
                                           Say.noFormFound(unitFound: !units.isEmpty, sheets: sheetNames)))
        }
        return result
    }

    /// Text of the rows above the table (titles, cover block), joined.
    static func titleText(_ grid: SheetGrid, above row: Int) -> String {
        grid.rows.prefix { $0.number < row }.flatMap { r in r.cells.compactMap { c -> String? in
            if case .text(let s) = c.value { return s }
            return nil
        } }.joined(separator: " \n ")
    }
}

/// The hidden sheet `tonghop template` writes: unit code, form id and period, one per row.
struct Metadata: Sendable {
    static let sheetName = FormLayout.metadataSheet
    var unit: String?
    var form: String?
    var period: Period?

    static func read(_ book: any Spreadsheet) throws -> Metadata? {
        guard let s = book.sheets.first(where: { $0.name == sheetName && $0.state != .visible }) else { return nil }
        var m = Metadata()
        for row in try book.loadSheet(s.number).rows {
            let key = row.value(at: 1).displayText, value = row.value(at: 2).displayText
            switch key {
            case "unit": m.unit = value
            case "form": m.form = value
            case "period": m.period = Period(value)
            default: break
            }
        }
        return m
    }
}
