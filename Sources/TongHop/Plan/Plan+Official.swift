// Plan: the official particulars every signed document takes from the plan — the heading's
// bodies, the place a document is dated at, who signs and with which titles, document numbers
// and recipients — and how each form prints. The forms districts fill use them now; the
// board's báo cáo and the reminder công văn are meant to read the same block.
import Foundation

/// The `official:` block of plan.yml.
public struct OfficialInfo: Sendable, Equatable {
    /// Who signs, and for whom: `TM. BAN THƯỜNG VỤ` (thay mặt, on behalf of), `CHỦ TỊCH`, a name.
    public struct Signer: Sendable, Equatable {
        public var onBehalf: String?
        public var title: String
        public var name: String?

        public init(onBehalf: String? = "TM. BAN THƯỜNG VỤ", title: String = "CHỦ TỊCH", name: String? = nil) {
            self.onBehalf = onBehalf
            self.title = title
            self.name = name
        }
    }

    /// The body above the issuer in a heading (cơ quan chủ quản): `HỘI LHPN TỈNH KHÁNH HÒA`.
    public var parentBody = "HỘI LHPN ……"
    /// The issuer under it (cơ quan ban hành): `BAN THƯỜNG VỤ`.
    public var issuingBody = "BAN THƯỜNG VỤ"
    /// Where the province's documents are dated (địa danh): `Khánh Hòa, ngày … tháng … năm …`.
    public var place = "……"
    /// Who signs the province's documents.
    public var signer = Signer()
    /// The titles a district union signs its reports with (no name: each district has its own).
    public var unitSigner = Signer()
    /// The one who fills the form in (`Người lập biểu`).
    public var preparer = "Người lập biểu"
    /// Document numbers as printed, `…` where the number is written: `Số: …/BC-HPN` for a
    /// báo cáo, `Số: …/CV-HPN` for a công văn.
    public var reportNumber = "Số: …/BC"
    public var letterNumber = "Số: …/CV"
    /// Nơi nhận: who receives the province's báo cáo and công văn, one line each.
    public var recipients: [String] = []
    /// A district's place name where it is not the unit's name without its kind, by unit code.
    public var unitPlaces: [String: String] = [:]
    /// The province's code in the plan of the level above (`upper: {code: "56", kind: tỉnh}`):
    /// the unit of the workbooks it submits upward. Nil: not set.
    public var upperCode: String?
    /// `tỉnh` or `thành phố` (a centrally-run city), for the province's name as a union.
    public var upperKind = "tỉnh"
    /// Working days (on the plan's calendar) a reminder công văn gives to send what is owed.
    public var resendWorkingDays = 5

    public init() {}

    /// Where a district dates its documents: its own entry, else its name without its kind.
    public func place(of unit: ReportingUnit) -> String {
        unitPlaces[unit.code] ?? unit.shortName
    }

    /// `Khánh Vĩnh, ngày … tháng … năm …` (the day left for the signer to write).
    public static func dateLine(place: String) -> String {
        "\(place), ngày … tháng … năm …"
    }
}

/// How a form prints: the `print:` key of a form file.
public struct FormPrint: Sendable, Equatable {
    public enum Paper: String, Sendable, CaseIterable {
        case a4 = "A4", a3 = "A3"
    }

    public var paper = Paper.a4
    /// The smallest scale, in percent, the form prints at: a form wider than the paper at this
    /// scale continues on more pages, the STT and commune columns and the header repeated.
    public var minimumScale = 70

    public init(paper: Paper = .a4, minimumScale: Int = 70) {
        self.paper = paper
        self.minimumScale = minimumScale
    }
}
