// Rendering: the pages beside the periods' folders — `reports/index.html`, every period newest
// first with its issues, and the secretariat's guide.
import Foundation

struct PeriodsPage: PageModel {
    struct Row: PageModel {
        var title, code, state: String
        var closed: Bool
        var issues: [Issue]

        func child(named name: String) -> Any? {
            switch name {
            case "title": title
            case "code": code
            case "state": state
            case "closed": closed
            case "issues": issues
            default: nil
            }
        }
    }

    /// One issue's links: the page, the CSV folder, and the PDF and workbook when there.
    struct Issue: PageModel {
        var href, csv, label, asOf: String
        var pdf, xlsx: String?

        func child(named name: String) -> Any? {
            switch name {
            case "href": href
            case "csv": csv
            case "label": label
            case "asOf": asOf
            case "hasPDF": pdf != nil
            case "hasXLSX": xlsx != nil
            case "pdf": pdf
            case "xlsx": xlsx
            default: nil
            }
        }
    }

    var heading, organisation: String
    var periods: [Row]
    var asOf: String

    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "organisation": organisation
        case "periods": periods
        case "asOf": asOf
        default: nil
        }
    }

    init(plan: Plan, entries: [ReportRenderer.PeriodEntry], asOf: Day) {
        heading = plan.heading
        organisation = plan.organisation
        self.asOf = asOf.vietnamese
        periods = entries.sorted { $0.period > $1.period }.map { e in
            Row(title: e.period.vietnamese, code: e.period.description,
                   state: e.closedOn.map { "đã chốt ngày \($0.vietnamese)" } ?? "tạm tính", closed: e.closedOn != nil,
                   issues: e.issues.map { i in
                       Issue(href: "\(i.folder)/index.html", csv: "\(i.folder)/csv/",
                             label: e.issues.count > 1 || i.issue > 1 ? "Lần \(i.issue)" : "Báo cáo",
                             asOf: i.asOf?.vietnamese ?? "—", pdf: i.pdf.map { "\(i.folder)/\($0)" }, xlsx: i.xlsx.map { "\(i.folder)/\($0)" })
                   })
        }
    }
}

/// The guide: the plan's heading and the guide's text as HTML.
struct GuidePage: PageModel {
    var heading, body: String

    func child(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "body": body
        default: nil
        }
    }
}
