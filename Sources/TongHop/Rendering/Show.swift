// Rendering: values as the pages show them — numbers the Vietnamese way, a report's status
// and a target's verdict as symbol, text and CSS class, names safe as file names.
import Foundation

enum Show {
    static func number(_ d: Double?, digits: Int = 1) -> String {
        guard let d else { return "—" }
        return VietnameseFormat.number(d, maxFractionDigits: digits)
    }

    static func status(_ s: ReportStatus) -> (symbol: String, text: String, css: String) {
        switch s.kind {
        case .onTime: return ("✓", "Đúng hạn", "ontime")
        case .late: return ("!", "Muộn \(s.daysLate ?? 0) ngày", "late")
        case .missing: return ("✗", "Thiếu", "missing")
        case .rejected: return ("⊘", s.unread.map { $0.vietnamese.prefix(1).uppercased() + $0.vietnamese.dropFirst() } ?? "Bị từ chối", "rejected")
        case .pending: return ("…", "Chưa đến hạn", "pending")
        case .exempt: return ("–", "Được miễn", "exempt")
        }
    }

    static func target(_ s: TargetResult.Status) -> (symbol: String, text: String, css: String) {
        switch s {
        case .met: return ("✓", "Đạt", "met")
        case .notMet: return ("✗", "Không đạt", "notmet")
        case .noData: return ("?", "Không đánh giá được", "nodata")
        case .onTrack: return ("→", "Đang thực hiện", "ontrack")
        case .behind: return ("↘", "Chậm tiến độ", "behind")
        }
    }

    /// A value with enough digits that its verdict shows: 0,31 against ≤ 0,3, not 0,3. At
    /// least `digits`, and as many as the bound has.
    static func verdict(_ value: Double?, bound: Double?, comparison: Threshold.Comparison, digits: Int) -> String {
        guard let value else { return "—" }
        guard let bound else { return number(value, digits: digits) }
        var d = digits
        let truth = TargetEvaluation.compare(value, comparison, bound)
        while d < 4 {
            let scale = pow(10, Double(d))
            let shown = (value * scale).rounded() / scale
            let boundShown = (bound * scale).rounded() / scale
            if TargetEvaluation.compare(shown, comparison, bound) == truth && (shown != boundShown || value == bound) { break }
            d += 1
        }
        return number(value, digits: d)
    }

    static func fractionDigits(_ d: Double) -> Int {
        for n in 0..<6 where abs(d * pow(10, Double(n)) - (d * pow(10, Double(n))).rounded()) < 1e-9 { return n }
        return 6
    }

    /// A name safe as a file name: district codes from the plan, never file text.
    static func fileName(_ s: String) -> String {
        let ok = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.value < 0x80 || $0 == "-" || $0 == "_" }
        return ok && !s.isEmpty ? s : "u" + String(FileDigest.sha256(Data(s.utf8)).prefix(12))
    }
}
