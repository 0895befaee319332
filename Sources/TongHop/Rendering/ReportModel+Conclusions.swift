// Rendering: "I. Kết quả chính", the half page the board reads first — how complete the
// period's reports are, how the province's targets stand, the three largest problems and
// what the secretariat will do — written from the same facts as the sections below it.
import Foundation

/// "I. Kết quả chính": completeness, the targets in a line, the largest problems, the actions.
struct Conclusions: PageModel {
    var completeness, targetsLine: String
    var problems: [TextItem]
    var actions: [TextItem]

    func child(named name: String) -> Any? {
        switch name {
        case "completeness": completeness
        case "targetsLine": targetsLine
        case "problems": problems
        case "hasProblems": !problems.isEmpty
        case "actions": actions
        default: nil
        }
    }
}

extension ReportModel {
    /// One problem worth the board's attention, with its weight for ordering.
    struct Problem {
        var weight: Double
        var text: String
        var action: String
    }

    func conclusions() -> Conclusions {
        let due = input.statuses.filter { $0.kind != .pending && $0.kind != .exempt }
        let all = Completeness.rates(input.statuses) { _ in "all" }["all"] ?? Rate()
        func count(_ k: ReportStatus.Kind) -> Int { due.filter { $0.kind == k }.count }
        var completeness = "Đã nhận \(all.received)/\(all.expected) báo cáo đến hạn (\(Show.number(all.receivedRate, digits: 1))%), "
            + "trong đó \(all.onTime) báo cáo đúng hạn (\(Show.number(all.onTimeRate, digits: 1))%)"
        let gaps = [(count(.missing), "còn thiếu"), (count(.late), "nộp muộn"), (count(.rejected), "bị từ chối, chờ gửi lại")]
            .filter { $0.0 > 0 }.map { "\($0.0) báo cáo \($0.1)" }
        completeness += gaps.isEmpty ? "; không còn báo cáo nào thiếu hay bị từ chối." : "; " + gaps.joined(separator: ", ") + "."

        let province = plan.targets.compactMap { t in result(t, "province").map { (t, $0) } }
        func n(_ s: TargetResult.Status) -> Int { province.filter { $0.1.status == s }.count }
        var parts: [String] = []
        for (s, word) in [(TargetResult.Status.met, "đạt"), (.onTrack, "đúng tiến độ"), (.behind, "chậm tiến độ"),
                          (.notMet, "không đạt"), (.noData, "không đánh giá được (thiếu số liệu)")] where n(s) > 0 {
            parts.append("\(n(s)) \(word)")
        }
        let targets = "Chỉ tiêu toàn tỉnh năm \(plan.year) (\(province.count) chỉ tiêu): " + (parts.isEmpty ? "chưa có kết quả" : parts.joined(separator: ", ")) + "."

        let open = due.filter { $0.kind == .missing || $0.kind == .rejected }
        let top = problems(open: open, province: province).prefix(3)
        var actions = top.map(\.action)
        if !actions.contains(where: { $0.hasPrefix("Gửi công văn") }), !open.isEmpty {
            actions.append("Gửi công văn đôn đốc các đơn vị còn thiếu báo cáo.")
        }
        if !input.state.closed {
            actions.append("Cập nhật báo cáo khi nhận thêm tệp của kỳ; chốt số liệu (tonghop close \(input.period)) khi Ban Thường vụ thông qua.")
        }
        return Conclusions(completeness: completeness, targetsLine: targets,
                           problems: top.map { TextItem(text: $0.text) }, actions: actions.map(TextItem.init))
    }

    /// The problems worth the board's attention, weightiest first: reports missing or
    /// rejected by unit, targets not met or behind by how far, targets not evaluable for
    /// missing data.
    func problems(open: [ReportStatus], province: [(TargetDefinition, TargetResult)]) -> [Problem] {
        var problems: [Problem] = []
        for (unit, items) in Dictionary(grouping: open, by: \.unit) {
            let name = self.unit(unit)?.name ?? unit
            let missing = items.filter { $0.kind == .missing }.count, rejected = items.count - missing
            let what = [missing > 0 ? "thiếu \(missing) báo cáo" : nil, rejected > 0 ? "\(rejected) báo cáo bị từ chối" : nil]
                .compactMap { $0 }.joined(separator: " và ")
            problems.append(Problem(weight: Double(items.count) * 10, text: "\(name) \(what) đã đến hạn.",
                                    action: "Gửi công văn đôn đốc \(name) nộp (hoặc sửa và gửi lại) báo cáo còn thiếu."))
        }
        for (t, r) in province where r.status == .notMet || r.status == .behind {
            let bound = r.status == .behind ? r.expected : r.threshold
            let gap = (r.value != nil && bound != nil && bound! != 0) ? abs(r.value! - bound!) / abs(bound!) : 0.5
            let op = comparisonSymbol(t.threshold.comparison)
            let level = r.status == .behind ? "mức cần đạt đến nay \(op) \(Show.number(bound, digits: digits(t)))\(t.unit == "%" ? "%" : "")"
                : "ngưỡng \(thresholdText(t))"
            let pct = t.unit == "%" && r.unions == nil ? "%" : ""
            let failing = plan.activeUnits.filter { u in result(t, u.code).map { $0.status == .notMet || $0.status == .behind } ?? false }
                .map(\.shortName)
            let who = failing.isEmpty ? "" : " (đơn vị chưa đạt: \(list(failing, noun: "đơn vị")))"
            problems.append(Problem(weight: 20 + 100 * min(gap, 1),
                                    text: "\(t.name): toàn tỉnh \(shownValue(t, r))\(pct), \(Show.target(r.status).text.lowercased()) (\(level))\(who).",
                                    action: "Làm việc với các đơn vị chưa đạt chỉ tiêu \(t.name.prefix(1).lowercased() + t.name.dropFirst()), đề ra biện pháp cho thời gian còn lại."))
        }
        let noData = province.filter { $0.1.status == .noData }
        if !noData.isEmpty {
            let units = Set(noData.flatMap(\.1.missing)).compactMap { self.unit($0)?.name }.sorted()
            problems.append(Problem(weight: 15 + Double(noData.count),
                                    text: "\(noData.count) chỉ tiêu không đánh giá được do thiếu số liệu" + (units.isEmpty ? "." : " của \(list(units, noun: "đơn vị"))."),
                                    action: "Yêu cầu các đơn vị bổ sung số liệu còn thiếu để đánh giá đủ các chỉ tiêu."))
        }
        problems.sort { ($0.weight, $1.text) > ($1.weight, $0.text) }
        return problems
    }
}
