// Rendering: the same period of last year beside a province target, as the ledger holds it
// (`Ledger.lastYearTargets`), or saying plainly that there is none.
import Foundation

extension ReportModel {
    /// "cùng kỳ năm 2018 (Tháng 11/2018): 61,5%", or "không có số liệu cùng kỳ năm trước (…)".
    func lastYearText(_ point: TargetPoint?, _ t: TargetDefinition, year: Int) -> String {
        let label = input.period.yearBefore?.vietnamese ?? "năm \(year)"
        guard let point, let value = point.value else {
            return "không có số liệu cùng kỳ năm trước (\(label))"
        }
        return "cùng kỳ năm \(year) (\(label)): " + Show.number(value, digits: digits(t)) + (t.unit == "%" ? "%" : "")
    }
}
