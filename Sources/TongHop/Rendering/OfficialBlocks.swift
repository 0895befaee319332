// Rendering: the blocks every signed document of the province carries — the heading (cơ
// quan chủ quản and ban hành on the left, quốc hiệu and tiêu ngữ on the right), the number
// line and the place and date, and at the end Nơi nhận beside the signature block — built
// from the plan's `official:` block. The board's báo cáo renders them through the partials
// `official-heading` and `official-signature`; a reminder công văn renders the same ones.
import Foundation

public struct OfficialBlocks: Sendable, Equatable {
    public enum Kind: Sendable { case report, letter }

    /// The body above the issuer, plain (`HỘI LHPN TỈNH KHÁNH HÒA`).
    public var parentBody: String
    /// The issuer, bold (`BAN THƯỜNG VỤ`).
    public var issuingBody: String
    /// `Số: …/BC-HPN`.
    public var number: String
    /// `Khánh Hòa, ngày 05 tháng 12 năm 2019`.
    public var placeAndDate: String
    /// Nơi nhận, one line each.
    public var recipients: [String]
    /// `TM. BAN THƯỜNG VỤ`, `CHỦ TỊCH`, the name (empty: a line left to write it on).
    public var onBehalf: String?
    public var signerTitle: String
    public var signerName: String?

    public init(parentBody: String, issuingBody: String, number: String, placeAndDate: String, recipients: [String],
                onBehalf: String?, signerTitle: String, signerName: String?) {
        self.parentBody = parentBody
        self.issuingBody = issuingBody
        self.number = number
        self.placeAndDate = placeAndDate
        self.recipients = recipients
        self.onBehalf = onBehalf
        self.signerTitle = signerTitle
        self.signerName = signerName
    }

    /// The province's blocks for a document of `kind` dated `date` (nil: the day left blank
    /// for the signer, `ngày … tháng … năm …`).
    public init(plan: Plan, kind: Kind, date: Day?) {
        let o = plan.official
        let place = o.place == "……" ? plan.province : o.place
        self.init(parentBody: o.parentBody == "HỘI LHPN ……" ? plan.heading : o.parentBody,
                  issuingBody: o.issuingBody,
                  number: kind == .report ? o.reportNumber : o.letterNumber,
                  placeAndDate: date.map { Self.dateLine(place: place, $0) } ?? OfficialInfo.dateLine(place: place),
                  recipients: o.recipients,
                  onBehalf: o.signer.onBehalf, signerTitle: o.signer.title, signerName: o.signer.name)
    }

    /// `Khánh Hòa, ngày 05 tháng 12 năm 2019`.
    public static func dateLine(place: String, _ d: Day) -> String {
        "\(place), ngày \(Day.padded(d.day, 2)) tháng \(Day.padded(d.month, 2)) năm \(Day.padded(d.year, 4))"
    }
}

extension ReportModel {
    /// The days the period covers: `từ ngày 15/10/2019 đến ngày 14/11/2019` (Decree 09's
    /// cut-off for a month, or the calendar month, as the plan says).
    var periodRange: String {
        let c = plan.cutoff
        return "số liệu từ ngày \(c.start(of: input.period).vietnamese) đến ngày \(c.end(of: input.period).vietnamese)"
    }
}

extension ReportModel {
    /// The line printed at the top of every page after the first, as CSS string content:
    /// only letters, digits, spaces and plain punctuation (nothing that ends the string).
    var runningHeader: String {
        let text = "\(plan.official.parentBody == "HỘI LHPN ……" ? plan.heading : plan.official.parentBody) — Báo cáo \(input.period.vietnamese)"
        return String(text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || " -—/().,:".unicodeScalars.contains($0) }.map(Character.init))
    }
}
