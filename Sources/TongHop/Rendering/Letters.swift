// Rendering: the công văn đôn đốc — a numbered reminder letter to each unit that owes a report
// (`cong-van/<unit code>.html`) and one to all of them (`cong-van/cac-don-vi.html`): the
// official heading from the plan, the number from the plan's pattern and the ledger's
// counter, Kính gửi, the reports owed with due dates and state, the day to send by (working
// days on the plan's calendar), nơi nhận and the signature. No letter for a unit owing nothing.
import Foundation
import Mustache

public enum Letters {
    /// The consolidated letter's file name (without extension).
    public static let allUnits = "cac-don-vi"

    /// The ledger key of a letter: the plan's year, the report's period, the recipient.
    public static func key(year: Int, period: Period, unit: String?) -> String {
        "cong-van|\(year)|\(period)|\(unit ?? "*")"
    }

    /// The plan's pattern with the number written in: `Số: …/CV-HPN` → `Số: 12/CV-HPN`.
    public static func number(_ pattern: String, _ n: Int) -> String {
        let digits = n < 10 ? "0\(n)" : "\(n)"
        if pattern.contains("…") { return pattern.replacingOccurrences(of: "…", with: digits) }
        return pattern.replacingOccurrences(of: "...", with: digits)
    }

    /// The letter's official blocks: the board report's (OfficialBlocks, the partials
    /// official-heading and official-signature), with the letter's number and its Nơi nhận.
    static func official(_ plan: Plan, renderer: ReportRenderer, number: String, date: Day) throws(RenderError) -> (heading: String, signature: String) {
        var blocks = OfficialBlocks(plan: plan, kind: .letter, date: date)
        blocks.number = number
        var recipients = ["Như trên;"]
        recipients += plan.official.recipients.filter { $0.lowercased().hasPrefix("lưu") }
        if recipients.count == 1 { recipients.append("Lưu VT.") }
        blocks.recipients = recipients
        return try renderer.official(blocks)
    }

    /// The letter's template, `letter.mustache` beside the report's own.
    static func library(_ folder: String) throws(RenderError) -> MustacheLibrary {
        try ReportRenderer.compile(["letter"], from: [folder])
    }

    /// The page of one letter: to one unit, or (`consolidated`) to all the owing ones.
    static func page(_ input: ReportInput, renderer: ReportRenderer, dues: [UnitDues], number: String, consolidated: Bool) throws(RenderError) -> LetterPage {
        let plan = input.plan
        let unionNames = dues.map { $0.unit.unionName }
        let addressees = consolidated ? ["Ban Thường vụ Hội LHPN các huyện, thị xã, thành phố"] + unionNames.map { "Ban Thường vụ \($0)" }
                                      : ["Ban Thường vụ \(unionNames[0])"]
        var items: [LetterPage.Item] = []
        for d in dues {
            for o in d.owed {
                items.append(.init(n: items.count + 1, unit: d.unit.shortName, title: o.title, period: o.period.vietnamese,
                                   due: o.due.vietnamese, state: o.state.prefix(1).uppercased() + o.state.dropFirst()))
            }
        }
        let late = dues.flatMap { d in d.late.map { "\($0.title) \($0.period.vietnamese.lowercased())\(consolidated ? " (\(d.unit.shortName))" : "") — \($0.state)" } }
        let blocks = try official(plan, renderer: renderer, number: number, date: input.asOf)
        let issuer = "Ban Thường vụ \(plan.organisation.replacingOccurrences(of: "Hội Liên hiệp Phụ nữ", with: "Hội LHPN"))"
        return LetterPage(
            officialHeading: blocks.heading, officialSignature: blocks.signature, number: number,
            subject: "V/v đôn đốc nộp báo cáo", addressees: addressees, consolidated: consolidated,
            plan: "Kế hoạch năm \(plan.year) của \(plan.organisation)", asOf: input.asOf.vietnamese, issuer: issuer,
            owingWho: consolidated ? "\(dues.count) đơn vị" : unionNames[0],
            owingWhoShort: consolidated ? "Ban Thường vụ Hội LHPN các đơn vị nêu trên" : "Ban Thường vụ \(unionNames[0])",
            items: items, late: late.joined(separator: "; "),
            resendBy: Dues.resendBy(input).vietnamese, resendDays: plan.official.resendWorkingDays,
            period: input.period.vietnamese.prefix(1).lowercased() + input.period.vietnamese.dropFirst(),
            hasRejected: dues.contains { $0.owed.contains { $0.kind == .rejected } })
    }

    /// `cong-van/<unit code>.html` for every unit owing a report, and `cong-van/cac-don-vi.html`
    /// to all of them; numbered from the ledger. Nothing when no unit owes anything.
    public static func make(_ input: ReportInput, renderer: ReportRenderer, numbers: ([String]) throws -> [String: Int]) throws -> [String: Data] {
        try Parallel.files(pieces(input, renderer: renderer, dues: Dues.compute(input), numbers: numbers))
    }

    /// The letters as pieces to make side by side (one per owing unit, then the one to all),
    /// from the units' dues; the numbers are taken from the ledger first, in that order.
    static func pieces(_ input: ReportInput, renderer: ReportRenderer, dues: [UnitDues],
                       numbers: ([String]) throws -> [String: Int]) throws -> [Parallel.Piece] {
        let templates = renderer.folder
        let owing = dues.filter(\.owes)
        // A plan whose own report/ templates predate letters gets none (its report is unchanged).
        guard !owing.isEmpty, FileManager.default.fileExists(atPath: (templates as NSString).appendingPathComponent("letter.mustache")) else { return [] }
        let library = try Self.library(templates)
        let year = input.plan.year
        let keys = owing.map { key(year: year, period: input.period, unit: $0.unit.code) } + [key(year: year, period: input.period, unit: nil)]
        let given = try numbers(keys)
        let pattern = input.plan.official.letterNumber
        var out: [Parallel.Piece] = []
        for d in owing {
            let n = given[key(year: year, period: input.period, unit: d.unit.code)] ?? 0
            out.append(piece(input, renderer: renderer, library: library, dues: [d], number: number(pattern, n), consolidated: false,
                             path: "cong-van/\(Show.fileName(d.unit.code)).html"))
        }
        let n = given[key(year: year, period: input.period, unit: nil)] ?? 0
        out.append(piece(input, renderer: renderer, library: library, dues: owing, number: number(pattern, n), consolidated: true,
                         path: "cong-van/\(allUnits).html"))
        return out
    }

    /// One letter as a piece of the folder.
    static func piece(_ input: ReportInput, renderer: ReportRenderer, library: MustacheLibrary, dues: [UnitDues], number: String,
                      consolidated: Bool, path: String) -> Parallel.Piece {
        return {
            let letter = try page(input, renderer: renderer, dues: dues, number: number, consolidated: consolidated)
            return [(path, Data(try ReportRenderer.render(letter, with: "letter", library: library, folder: renderer.folder).utf8))]
        }
    }

    /// With `--pdf`: each letter of the folder printed beside it (skipped, with the reason,
    /// when Chromium is missing). Returns the reason of the first skip.
    public static func printPDFs(reportFolder: String) -> String? {
        let folder = (reportFolder as NSString).appendingPathComponent("cong-van")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".html") }.sorted()
        for name in names {
            let html = (folder as NSString).appendingPathComponent(name)
            let pdf = (html as NSString).deletingPathExtension + ".pdf"
            if let skipped = PDFPrinter.print(html: html, to: pdf) { return skipped }
        }
        return nil
    }
}

/// A công văn đôn đốc as `letter.mustache` reads it; the official blocks come rendered.
struct LetterPage: PageModel {
    /// A report owed: its number in the list, the unit (in the letter to all), the form, period,
    /// due day and state.
    struct Item: PageModel {
        var n: Int
        var unit, title, period, due, state: String

        func child(named name: String) -> Any? {
            switch name {
            case "n": n
            case "unit": unit
            case "title": title
            case "period": period
            case "due": due
            case "state": state
            default: nil
            }
        }
    }

    var officialHeading, officialSignature, number, subject: String
    var addressees: [String]
    var consolidated: Bool
    var plan, asOf, issuer, owingWho, owingWhoShort: String
    var items: [Item]
    /// The reports received late, in a sentence (empty: none).
    var late: String
    var resendBy: String
    var resendDays: Int
    var period: String
    var hasRejected: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "officialHeading": officialHeading
        case "officialSignature": officialSignature
        case "number": number
        case "subject": subject
        case "addressees": addressees
        case "consolidated": consolidated
        case "plan": plan
        case "asOf": asOf
        case "issuer": issuer
        case "owingWho": owingWho
        case "owingWhoShort": owingWhoShort
        case "items": items
        case "hasLate": !late.isEmpty
        case "late": late
        case "resendBy": resendBy
        case "resendDays": resendDays
        case "period": period
        case "hasRejected": hasRejected
        default: nil
        }
    }
}
