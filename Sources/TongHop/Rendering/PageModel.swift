// Rendering: how the typed page models meet the Mustache templates. Every page, section and
// row is a struct of ready-to-show text; it names its fields for the templates in
// `child(named:)` (swift-mustache's `MustacheParent`), a switch on the name, so that a render
// never walks the values by reflection (`Mirror`), which costs on the ~700 district pages of a
// national run.
//
// Two kinds of "nothing", as Mustache reads them:
// - nil: the field is absent; the template looks the name up in the enclosing sections.
// - `false` (`String?.orFalse`): the section is skipped right here. An empty text is not
//   nothing to Mustache: `{{#unit}}` shows its section for "".
import Mustache

/// A page or a part of one that the report templates read.
typealias PageModel = MustacheParent

extension Optional where Wrapped == String {
    /// The text, or `false` for a section that is skipped without looking further out.
    var orFalse: Any { map { $0 as Any } ?? false }
}

/// A line of text in a list (`{{#notes}}{{text}}{{/notes}}`).
struct TextItem: PageModel {
    var text: String
    func child(named name: String) -> Any? { name == "text" ? text : nil }
}

/// A label at a position along an axis: a chart's tick, a month of a small chart.
struct Tick: PageModel {
    var x: String
    var label: String

    func child(named name: String) -> Any? {
        switch name {
        case "x": x
        case "label": label
        default: nil
        }
    }
}

/// One finding as a table row: file (the report's appendix only), cell, severity, message.
struct FindingRow: PageModel {
    var file: String?
    var place: String?
    var severity: String
    var css: String
    var code: String
    var message: String

    init(file: String? = nil, place: String? = nil, finding: Finding, message: String? = nil) {
        self.file = file
        self.place = place
        severity = finding.severity.vietnamese
        css = finding.severity.rawValue
        code = finding.code.rawValue
        self.message = message ?? finding.vi
    }

    func child(named name: String) -> Any? {
        switch name {
        case "file": file
        case "place": place
        case "severity": severity
        case "css": css
        case "code": code
        case "message": message
        default: nil
        }
    }
}

/// A correction accepted in the period: the cell, old → new, the effect on the unit's total.
struct CorrectionRow: PageModel {
    var unit, form, period, field, place, old, new, file, received, previousFile, effect: String

    func child(named name: String) -> Any? {
        switch name {
        case "unit": unit
        case "form": form
        case "period": period
        case "field": field
        case "place": place
        case "old": old
        case "new": new
        case "file": file
        case "received": received
        case "previousFile": previousFile
        case "effect": effect
        default: nil
        }
    }
}

/// What the board's report and a district's feedback page both carry: the plan's names, the
/// dates, the official blocks and the report's state.
struct PageCommon: PageModel {
    var heading, organisation, province, dateLine, periodTitle, asOf, year: String
    var official: OfficialSection
    var periodRange, periodTitleLower, runningHeader: String
    var state: StateSection

    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "organisation": organisation
        case "province": province
        case "dateLine": dateLine
        case "periodTitle": periodTitle
        case "asOf": asOf
        case "year": year
        case "official": official
        case "periodRange": periodRange
        case "periodTitleLower": periodTitleLower
        case "runningHeader": runningHeader
        case "state": state
        default: nil
        }
    }
}

extension ReportModel {
    var common: PageCommon {
        PageCommon(heading: plan.heading, organisation: plan.organisation, province: plan.province,
                   dateLine: dateLine, periodTitle: input.period.vietnamese, asOf: input.asOf.vietnamese,
                   year: String(plan.year), official: OfficialSection(OfficialBlocks(plan: plan, kind: .report, date: input.asOf)),
                   periodRange: periodRange, periodTitleLower: input.period.vietnamese.prefix(1).lowercased() + input.period.vietnamese.dropFirst(),
                   runningHeader: runningHeader, state: stateSection)
    }
}

/// The official blocks under the key `official`, as the partials `official-heading` and
/// `official-signature` read them.
struct OfficialSection: PageModel {
    struct Recipient: PageModel {
        var line: String
        func child(named name: String) -> Any? { name == "line" ? line : nil }
    }

    var blocks: OfficialBlocks

    init(_ blocks: OfficialBlocks) { self.blocks = blocks }

    func child(named name: String) -> Any? {
        switch name {
        case "parentBody": blocks.parentBody
        case "issuingBody": blocks.issuingBody
        case "number": blocks.number
        case "placeAndDate": blocks.placeAndDate
        case "signerTitle": blocks.signerTitle
        case "recipients": blocks.recipients.map(Recipient.init)
        case "hasRecipients": !blocks.recipients.isEmpty
        case "hasNumber": !blocks.number.isEmpty
        case "hasOnBehalf": !(blocks.onBehalf ?? "").isEmpty
        case "hasSignerName": !(blocks.signerName ?? "").isEmpty
        case "onBehalf": blocks.onBehalf ?? ""
        case "signerName": blocks.signerName ?? ""
        default: nil
        }
    }
}

/// The page of the official blocks alone (`ReportRenderer.official`).
struct OfficialPage: PageModel {
    var official: OfficialSection
    func child(named name: String) -> Any? { name == "official" ? official : nil }
}
