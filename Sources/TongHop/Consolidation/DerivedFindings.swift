// Consolidation: findings that only the ledger can give — a report received late, and a
// district total far from the same district's own history (a warning, never a rejection).
import Foundation

public struct DerivedFinding: Sendable {
    public var unit: String
    public var form: String
    public var period: Period
    public var finding: Finding
}

public enum DerivedFindings {
    public static func compute(plan: Plan, statuses: [ReportStatus], consolidation: Consolidation) -> [DerivedFinding] {
        var out: [DerivedFinding] = []
        for s in statuses where s.kind == .late {
            let title = plan.form(s.form)?.title ?? s.form
            out.append(DerivedFinding(unit: s.unit, form: s.form, period: s.period, finding: Finding(
                .warning, .late, file: s.file ?? "", value: s.received?.vietnamese,
                vi: "\(title) \(s.period.vietnamese) nộp muộn \(s.daysLate ?? 0) ngày (hạn \(s.due.vietnamese), nhận \(s.received?.vietnamese ?? "?")). Cách sửa: gửi báo cáo trước hạn; nếu có lý do, đề nghị Ban Thường vụ gia hạn.",
                en: "\(s.form) \(s.period) was \(s.daysLate ?? 0) days late (due \(s.due), received \(s.received?.description ?? "?")).")))
        }
        // The file of each report (the first status of its unit, form and period), found once,
        // when a first outlier needs one.
        struct Key: Hashable { var unit, form: String, period: Period }
        var files: [Key: String]?
        func file(_ key: Key) -> String {
            if files == nil {
                var found: [Key: String] = [:]
                for s in statuses where found[Key(unit: s.unit, form: s.form, period: s.period)] == nil {
                    found[Key(unit: s.unit, form: s.form, period: s.period)] = s.file ?? ""
                }
                files = found
            }
            return files?[key] ?? ""
        }
        // A total more than three times the district's highest before, or under a third of
        // its lowest, with at least two earlier periods to judge by.
        for form in plan.forms where form.periodKind != .year {
            guard let periods = consolidation.unitTotals[form.id] else { continue }
            let ordered = periods.keys.sorted()
            for unit in plan.activeUnits {
                // The unit's totals of each period, looked up once.
                let series = ordered.map { periods[$0]?[unit.code] }
                for (i, p) in ordered.enumerated() {
                    guard let now = series[i] else { continue }
                    let earlier = series[..<i].compactMap { $0 }
                    guard earlier.count >= 2 else { continue }
                    for f in form.fields where f.type == .integer || f.type == .decimal {
                        guard let v = now[f.key] else { continue }
                        let history = earlier.compactMap { $0[f.key] }
                        guard history.count >= 2, let hi = history.max(), let lo = history.min() else { continue }
                        let high = v > 3 * hi && v - hi > 10
                        let low = lo > 10 && v < lo / 3
                        guard high || low else { continue }
                        let shown = VietnameseFormat.number(v, maxFractionDigits: 2)
                        let range = "\(VietnameseFormat.number(lo, maxFractionDigits: 2)) – \(VietnameseFormat.number(hi, maxFractionDigits: 2))"
                        out.append(DerivedFinding(unit: unit.code, form: form.id, period: p, finding: Finding(
                            .warning, .outlier, file: file(Key(unit: unit.code, form: form.id, period: p)), value: shown,
                            vi: "\(f.header) của \(p.vietnamese) là \(shown)\(f.unit.map { " \($0)" } ?? ""), \(high ? "cao" : "thấp") bất thường so với các kỳ trước của đơn vị (\(range)). Cách sửa: kiểm tra lại số liệu và đơn vị tính (tiền tính bằng triệu đồng); nếu số liệu đúng, ghi rõ lý do khi gửi báo cáo.",
                            en: "\(f.header) for \(p) is \(shown), unusually \(high ? "high" : "low") against the unit's earlier periods (\(range)). To fix: check the figure and its unit (money in million đồng); if it is right, say why when sending the report.")))
                    }
                }
            }
        }
        return out
    }
}
