// Plan: reading the `official:` block of plan.yml and the `print:` key of a form file.
import Foundation
import Yams

extension PlanReader {
    /// The official particulars; without the block, the heading and the province stand in for
    /// them and the usual titles (TM. BAN THƯỜNG VỤ, CHỦ TỊCH) are used.
    func loadOfficial(_ node: Node?, heading: String, province: String, units: [ReportingUnit]) -> OfficialInfo {
        var info = OfficialInfo()
        info.parentBody = heading
        info.place = province
        guard let node else { return info }
        guard let m = fields(node, "official", allowed: ["parent-body", "issuing-body", "place", "signer", "unit-signer", "preparer",
                                                          "numbers", "recipients", "unit-places", "upper", "resend-working-days"]) else { return info }
        if let s = string(m, "parent-body", "official") { info.parentBody = s }
        if let s = string(m, "issuing-body", "official") { info.issuingBody = s }
        if let s = string(m, "place", "official") { info.place = s }
        if let s = string(m, "preparer", "official", required: false) { info.preparer = s }
        if m["signer"] == nil {
            problem(node, "official.signer", "thiếu khóa \"signer\" (người ký: on-behalf, ví dụ TM. BAN THƯỜNG VỤ, và title, ví dụ CHỦ TỊCH)",
                    "missing key \"signer\" (who signs: on-behalf, e.g. TM. BAN THƯỜNG VỤ, and title, e.g. CHỦ TỊCH)")
        } else if let s = signer(m["signer"], "official.signer") {
            info.signer = s
        }
        if let node = m["unit-signer"] {
            if let s = signer(node, "official.unit-signer") { info.unitSigner = s }
        } else {
            info.unitSigner = OfficialInfo.Signer(onBehalf: info.signer.onBehalf, title: info.signer.title, name: nil)
        }
        if let numbers = fields(m["numbers"], "official.numbers", allowed: ["report", "letter"]) {
            for (k, keyPath) in [("report", \OfficialInfo.reportNumber), ("letter", \OfficialInfo.letterNumber)] {
                guard let s = string(numbers, k, "official.numbers", required: false) else { continue }
                if s.contains("…") || s.contains("...") {
                    info[keyPath: keyPath] = s
                } else {
                    problem(numbers[k], "official.numbers.\(k)",
                            "số văn bản \"\(s)\" cần dấu … ở chỗ ghi số, ví dụ \"Số: …/\(k == "report" ? "BC" : "CV")-HPN\"",
                            "the document number \"\(s)\" needs … where the number is written, e.g. \"Số: …/\(k == "report" ? "BC" : "CV")-HPN\"")
                }
            }
        }
        info.recipients = list(m, "recipients", "official")
        if let up = fields(m["upper"], "official.upper", allowed: ["code", "kind"]) {
            info.upperCode = string(up, "code", "official.upper")
            if let k = string(up, "kind", "official.upper", required: false) { info.upperKind = k }
        }
        if let node = m["resend-working-days"] {
            if let n = node.scalar.flatMap({ Int($0.string) }), (1...60).contains(n) { info.resendWorkingDays = n } else {
                problem(node, "official.resend-working-days", "số ngày làm việc để gửi lại phải là số nguyên từ 1 đến 60, ví dụ 5",
                        "the working days to send again must be a whole number from 1 to 60, e.g. 5")
            }
        }
        if let ps = pairs(m["unit-places"], "official.unit-places") {
            let codes = units.map(\.code)
            for (code, v) in ps {
                let path = "official.unit-places.\(code)"
                if !codes.contains(code) {
                    let s = Folding.suggestion(for: code, among: codes)
                    problem(v, path, "không có đơn vị mã \"\(code)\"" + (s.map { " (có phải là \"\($0)\"?)" } ?? ""),
                            "no unit with code \"\(code)\"" + (s.map { " (did you mean \"\($0)\"?)" } ?? ""))
                    continue
                }
                guard let place = v.scalar?.string, !place.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problem(v, path, "cần tên địa danh, ví dụ Nha Trang", "expected a place name, e.g. Nha Trang")
                    continue
                }
                info.unitPlaces[code] = place
            }
        }
        return info
    }

    func signer(_ node: Node?, _ path: String) -> OfficialInfo.Signer? {
        guard let m = fields(node, path, allowed: ["on-behalf", "title", "name"]) else { return nil }
        guard let title = string(m, "title", path) else { return nil }
        return OfficialInfo.Signer(onBehalf: string(m, "on-behalf", path, required: false), title: title,
                                   name: string(m, "name", path, required: false))
    }

    /// `print: {paper: A3, min-scale: 70}`.
    func loadPrint(_ node: Node?) -> FormPrint {
        var out = FormPrint()
        guard let node, let m = fields(node, "print", allowed: ["paper", "min-scale"]) else { return out }
        if let p = string(m, "paper", "print", required: false) {
            if let v = FormPrint.Paper(rawValue: p.uppercased()) { out.paper = v } else {
                problem(m["paper"], "print.paper", "khổ giấy \"\(p)\" không có; dùng A4 hoặc A3", "unknown paper \"\(p)\"; use A4 or A3")
            }
        }
        if let node = m["min-scale"] {
            if let n = node.scalar.flatMap({ Int($0.string.replacingOccurrences(of: "%", with: "")) }), (50...100).contains(n) {
                out.minimumScale = n
            } else {
                problem(node, "print.min-scale", "tỷ lệ in nhỏ nhất phải là số nguyên từ 50 đến 100 (phần trăm), ví dụ 70",
                        "the smallest print scale must be a whole number from 50 to 100 (percent), e.g. 70")
            }
        }
        return out
    }
}
