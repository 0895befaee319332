// Rendering: feedback inside the district's own workbook — a copy of each file with errors
// or warnings, the cells marked red (error) or yellow (warning) with the fix as a comment,
// and a first sheet listing every finding. Their data is otherwise untouched.
import Foundation
import Sheets

enum FeedbackWorkbooks {
    /// The output name of a file's annotated copy: its name folded to plain letters (a name
    /// from the inbox never becomes a path as it is), with " (gop y)".
    static func outputName(_ inboxName: String) -> String {
        let base = ((inboxName as NSString).lastPathComponent as NSString).deletingPathExtension
        var safe = ""
        for ch in SampleInbox.asciiName(base).unicodeScalars.prefix(80) {
            safe.unicodeScalars.append(CharacterSet.alphanumerics.contains(ch) && ch.value < 0x80 || " -_().".unicodeScalars.contains(ch) ? ch : "_")
        }
        safe = safe.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return (safe.isEmpty ? "tep" : safe) + " (gop y).xlsx"
    }

    /// Path inside the period folder → bytes, for every file worth annotating.
    static func make(_ input: ReportInput, inbox: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("gop-y-\(getpid())-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: temp) }
        for file in input.files {
            let findings = (input.findings[file.id] ?? []).filter { $0.severity != .info }
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            guard !findings.isEmpty, units.count == 1, let unit = units.first,
                  file.name.lowercased().hasSuffix(".xlsx") || file.name.lowercased().hasSuffix(".xlsm") else { continue }
            let source = (inbox as NSString).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: source) else { continue }
            let marks = findings.compactMap { f -> CellMark? in
                guard let sheet = f.sheet, let ref = f.cell.flatMap({ CellReference($0) }) else { return nil }
                return CellMark(sheet: sheet, cell: ref, level: f.severity == .error ? .error : .warning,
                                note: "\(f.severity == .error ? "LỖI" : "CẢNH BÁO"): \(f.vi)")
            }
            let rows = findings.map { f in [f.sheet ?? "", f.cell ?? "", f.severity.vietnamese, f.code.rawValue, f.vi] }
            let destination = (temp as NSString).appendingPathComponent("\(file.id).xlsx")
            do {
                try XLSXAnnotator.annotate(source: source, destination: destination, marks: marks, summaryName: "Góp ý",
                                           summaryTitle: "Góp ý của \(input.plan.organisation) về tệp \(file.name), nhận ngày \(file.receivedOn.vietnamese). Ô tô đỏ: lỗi phải sửa; ô tô vàng: cảnh báo cần xem lại. Di chuột lên ô để đọc cách sửa.",
                                           summaryHeader: ["Trang", "Ô", "Mức", "Mã", "Nội dung và cách sửa"], summaryRows: rows)
                if let data = FileManager.default.contents(atPath: destination) {
                    out["phan-hoi/\(Show.fileName(unit))/\(outputName(file.name))"] = data
                }
            } catch {
                // A workbook we can read but not safely copy gets no annotated copy; its
                // findings are still on the feedback page.
                continue
            }
        }
        return out
    }
}
