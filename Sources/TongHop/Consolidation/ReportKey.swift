// Consolidation: one report a unit owes — a form for a period — as one value, the key under
// which its submissions are grouped and its status is found.
import Foundation

public struct ReportKey: Hashable, Sendable {
    /// The unit's code.
    public var unit: String
    /// The form's id.
    public var form: String
    /// The period as written (`2019-11`, `2019-Q3`, `2019`).
    public var period: String

    public init(unit: String, form: String, period: String) {
        self.unit = unit
        self.form = form
        self.period = period
    }

    public init(unit: String, form: String, period: Period) {
        self.init(unit: unit, form: form, period: period.description)
    }

    /// The report a stored submission is for; nil when its unit or period is not known.
    public init?(_ s: Ledger.StoredSubmission) {
        guard let unit = s.unit, let period = s.period else { return nil }
        self.init(unit: unit, form: s.form, period: period)
    }

    /// The report a status is about.
    public init(_ s: ReportStatus) {
        self.init(unit: s.unit, form: s.form, period: s.period)
    }
}
