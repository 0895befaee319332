// Rendering: feedback inside the district's own workbook — a copy of each file with errors
// or warnings, the cells marked red (error) or yellow (warning) with the fix as a comment,
// and a first sheet listing every finding. Their data is otherwise untouched.
import Foundation
import Sheets

enum FeedbackWorkbooks {
    /// The output name of a file's annotated copy: its own name, NFC, with anything that
    /// cannot stand in a file name (separators, control and direction characters) replaced,
    /// and " (gop y)". Two files of a district whose names would give one copy (the same
    /// name in two folders, or differing only in case) each get a short hash of their path.
    static func outputName(_ inboxName: String, among names: [String] = []) -> String {
        outputNames(names + [inboxName])[inboxName]!
    }

    /// `outputName(name, among: names)` for every name of `names` at once: each name's safe
    /// base is made once, not once per other name (a district of many files made it
    /// quadratic).
    static func outputNames(_ names: [String]) -> [String: String] {
        var byBase: [String: [String]] = [:]
        var bases: [(name: String, base: String)] = []
        for n in names {
            let base = safeBase(n)
            bases.append((n, base))
            byBase[base.lowercased(), default: []].append(n)
        }
        var out: [String: String] = [:]
        for (n, base) in bases where out[n] == nil {
            let clash = byBase[base.lowercased()]!.contains { $0 != n }
            out[n] = base + (clash ? " " + String(FileDigest.sha256(Data(NFC.normalize(n).utf8)).prefix(8)) : "") + " (gop y).xlsx"
        }
        return out
    }

    static func safeBase(_ inboxName: String) -> String {
        let base = NFC.normalize(stem(inboxName))
        // Most names have nothing to replace or trim: kept as they are.
        var scalars = 0
        let clean = base.unicodeScalars.allSatisfy { ch in
            scalars += 1
            return scalars <= 120 && !forbiddenInName(ch)
        }
        if clean, let first = base.unicodeScalars.first, let last = base.unicodeScalars.last,
           first != " ", first != ".", last != " ", last != "." {
            return base
        }
        var safe = ""
        for ch in base.unicodeScalars.prefix(120) {
            safe.unicodeScalars.append(forbiddenInName(ch) ? "_" : ch)
        }
        safe = safe.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        return safe.isEmpty ? "tep" : safe
    }

    /// Separators, control and direction characters: what cannot stand in a file name.
    static func forbiddenInName(_ ch: Unicode.Scalar) -> Bool {
        ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) || TextSafety.isDirectional(ch) || "/\\:*?\"<>|".unicodeScalars.contains(ch)
    }

    /// The name's last path component without its extension. A plain name (no doubled or
    /// trailing slash, one dot, neither first nor last in its part) is cut at its dot; any
    /// other is left to Foundation's path rules.
    static func stem(_ name: String) -> String {
        let u = name.utf8
        let doubled = zip(u, u.dropFirst()).contains { $0 == UInt8(ascii: "/") && $1 == UInt8(ascii: "/") }
        if let lastByte = u.last, lastByte != UInt8(ascii: "/"), !doubled {
            let start = u.lastIndex(of: UInt8(ascii: "/")).map { u.index(after: $0) } ?? u.startIndex
            let part = u[start...]
            // Not after a dot followed by a combining mark, which Foundation reads otherwise.
            if part.count > 1, let dot = part.firstIndex(of: UInt8(ascii: ".")), dot != part.startIndex,
               part.lastIndex(of: UInt8(ascii: ".")) == dot, u.index(after: dot) != part.endIndex, u[u.index(after: dot)] < 0x80 {
                return String(name[start..<dot])
            }
        }
        return ((name as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Path inside the period folder → bytes, for every file worth annotating. Each copy is
    /// made in memory from the file's bytes: district data is not written anywhere but the
    /// report folder.
    static func make(_ input: ReportInput, inbox: String, hooks: RunHooks = RunHooks()) -> [String: Data] {
        var out: [String: Data] = [:]
        let byFile = Dictionary(grouping: input.submissions, by: \.fileId)
        var filesOfUnit: [String: [String]] = [:]
        let names = Dictionary(input.files.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (id, subs) in byFile {
            for u in Set(subs.compactMap(\.unit)) { if let n = names[id] { filesOfUnit[u, default: []].append(n) } }
        }
        // Each district's copies named once, all its files' names in view.
        let outputs = filesOfUnit.mapValues(outputNames)
        // The files worth a copy, then each copy made on any core, the copies kept in the
        // order of the files.
        let wanted: [(file: Ledger.StoredFile, unit: String, findings: [Finding])] = input.files.compactMap { file in
            let findings = (input.findings[file.id] ?? []).filter { $0.severity != .info }
            let units = Set((byFile[file.id] ?? []).compactMap(\.unit))
            guard !findings.isEmpty, units.count == 1, let unit = units.first,
                  file.name.lowercased().hasSuffix(".xlsx") || file.name.lowercased().hasSuffix(".xlsm") else { return nil }
            return (file, unit, findings)
        }
        let organisation = input.plan.organisation
        let copies = Parallel.map(wanted.count) { i -> (String, Data)? in
            let (file, unit, findings) = wanted[i]
            // The copy is made from the very bytes that were checked: under any of the file's
            // names that still holds them.
            let held = ([file.name] + file.names).lazy.compactMap { name -> Data? in
                guard let s = try? FileSnapshot.read(path: (inbox as NSString).appendingPathComponent(name)),
                      file.sha256.isEmpty || s.sha256 == file.sha256 else { return nil }
                return s.bytes
            }.first
            guard let held else { return nil }
            let marks = findings.compactMap { f -> CellMark? in
                guard let sheet = f.sheet, let ref = f.cell.flatMap({ CellReference($0) }) else { return nil }
                return CellMark(sheet: sheet, cell: ref, level: f.severity == .error ? .error : .warning,
                                note: "\(f.severity == .error ? "LỖI" : "CẢNH BÁO"): \(f.vi)")
            }
            let rows = findings.map { f in [f.sheet ?? "", f.cell ?? "", f.severity.vietnamese, f.code.rawValue, f.vi] }
            // Each line links to the cell it names (or its sheet), one click from the note to the fix.
            let links = findings.map { f in f.sheet.map { SheetLocation(sheet: $0, cell: f.cell.flatMap { CellReference($0) }) } }
            do {
                let data = try XLSXAnnotator.annotated(held, marks: marks, summaryName: "Góp ý",
                                                       summaryTitle: "Góp ý của \(organisation) về tệp \(file.name), nhận ngày \(file.receivedOn.vietnamese). Ô tô đỏ: lỗi phải sửa; ô tô vàng: cảnh báo cần xem lại. Di chuột lên ô để đọc cách sửa; bấm vào địa chỉ ô ở cột Ô để đến ô đó.",
                                                       summaryHeader: ["Trang", "Ô", "Mức", "Mã", "Nội dung và cách sửa"], summaryRows: rows,
                                                       summaryLinks: links)
                hooks.afterAnnotatedCopy?()
                return ("phan-hoi/\(Show.fileName(unit))/\(outputs[unit]?[file.name] ?? outputName(file.name))", data)
            } catch {
                // A workbook we can read but not safely copy gets no annotated copy; its
                // findings are still on the feedback page.
                return nil
            }
        }
        for case let (path, data)? in copies { out[path] = data }
        return out
    }
}
