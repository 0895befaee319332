// Rendering: small helpers the pages share — a form's name with its period said once, and the
// rejected files whose report has since come in accepted (nothing more to ask of them).
import Foundation

extension ReportModel {
    /// "Báo cáo đánh giá hoạt động tiết kiệm năm 2018" and "Năm 2018" say it once; else
    /// "Báo cáo số liệu các nguồn vốn quý — Quý III/2019".
    func formAndPeriod(_ form: String, _ period: Period?) -> String {
        let title = self.form(form)?.title ?? form
        guard let period else { return title + " — ?" }
        if title.lowercased().hasSuffix(period.vietnamese.lowercased()) { return title }
        return "\(title) — \(period.vietnamese)"
    }

    /// The period after a form's title, or nil when the title already says it.
    func periodAfter(_ form: String, _ period: Period) -> String? {
        let title = self.form(form)?.title ?? form
        return title.lowercased().hasSuffix(period.vietnamese.lowercased()) ? nil : period.vietnamese
    }

    /// Files rejected whose every report has since been accepted in a later version.
    var replacedFiles: Set<Int64> {
        var out = Set<Int64>()
        for (file, subs) in submissionsByFile {
            let rejected = subs.filter { $0.status == .rejected }
            guard !rejected.isEmpty else { continue }
            let all = rejected.allSatisfy { r in inUse(unit: r.unit, form: r.form, period: r.period) }
            if all { out.insert(file) }
        }
        return out
    }
}
