import Foundation
import Sheets
import Testing
@testable import TongHop

/// Every commune, form title and header of the plan typed in TCVN3 and VNI, as Excel keeps it
/// in cells and as raw CSV bytes: read back exactly and identified, with one warning.
@Suite struct LegacyEncodingTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    /// A Unicode text as a legacy font holds it. TCVN3 has no codes for most capitals with a
    /// tone: a clerk types such a line in the capitals font (.VnTimeH) with the lowercase
    /// codes, so it reads back in lowercase. `cells`: as Excel stores the bytes (Windows-1252
    /// characters); else the bytes.
    static func legacy(_ text: String, _ e: LegacyVietnamese.Encoding, cells: Bool) -> (bytes: [UInt8], expected: String) {
        if let b = LegacyVietnamese.encode(text, as: e), !(cells && e == .tcvn3 && b.contains { (0x80...0x9F).contains($0) && ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains($0) }) {
            return (b, text)
        }
        let lower = text.lowercased()
        return (LegacyVietnamese.encode(lower, as: e)!, lower)
    }

    /// Zero in every number column (every rule holds), the commune's name or the first
    /// allowed value in the text columns.
    static func draft(_ form: FormDefinition, _ unit: ReportingUnit) -> WorkbookDraft {
        let names = form.rows == .perCommune ? unit.communes : [unit.name]
        let rows: [[String: WorkbookDraft.Value]] = names.map { name in
            var row: [String: WorkbookDraft.Value] = [:]
            for f in form.fields {
                switch f.type {
                case .text: row[f.key] = .text(f.isRowKey ? name : "Không có")
                case .enumeration: row[f.key] = .text(f.values[0])
                case .date: row[f.key] = .date(year: plan.year, month: 6, day: 30)
                default: row[f.key] = .number(0)
                }
            }
            return row
        }
        return FormLayout.draft(plan: plan, form: form, unit: unit, period: plan.periods(of: form)[0], rows: rows)
    }

    /// The cases: every per-commune form for every unit (so every commune), the other forms
    /// for one unit.
    static var cases: [(FormDefinition, ReportingUnit)] {
        plan.forms.flatMap { f in (f.rows == .perCommune ? plan.units : [plan.units[0]]).map { (f, $0) } }
    }

    func temporary(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// What a user would check: the file is placed, every commune is read under its own name,
    /// no header is missed, and there is exactly one legacy warning, naming `encoding`.
    func expectIdentified(_ r: FileResult, _ form: FormDefinition, _ unit: ReportingUnit, keys: [String], encoding: String,
                          _ context: String, period: Period? = nil) {
        #expect(r.submissions.count == 1, "\(context): \(r.allFindings.map(\.vi))")
        guard let s = r.submissions.first else { return }
        #expect(s.unit?.code == unit.code && s.form.id == form.id && s.period == (period ?? Self.plan.periods(of: form)[0]), "\(context)")
        if form.rows == .perCommune { #expect(s.rows.map(\.key) == keys, "\(context)") }
        let legacy = r.allFindings.filter { $0.code == .legacyEncoding }
        #expect(legacy.count == 1 && legacy.first?.value == encoding, "\(context): \(legacy.map(\.vi))")
        #expect(legacy.first?.vi.contains(" → ") == true)
        let wrong: Set<Finding.Code> = [.unidentified, .missingColumn, .unknownColumn, .unknownUnit, .missingRow, .identificationConflict]
        // Trường Sa reports nothing in 2019: that is said, and only that.
        let misread = r.allFindings.filter { wrong.contains($0.code) && !($0.code == .unknownUnit && $0.cell == nil && !unit.active) }
        #expect(misread.isEmpty, "\(context): \(misread.map(\.vi))")
    }

    @Test(arguments: LegacyVietnamese.Encoding.allCases)
    func workbookCellsReadBackExactly(_ e: LegacyVietnamese.Encoding) throws {
        let score = LegacyText.Scorer(plan: Self.plan)
        var communes = Set<String>()
        for (form, unit) in Self.cases {
            var draft = Self.draft(form, unit)
            var expected: [String: String] = [:]
            for i in draft.sheets[0].cells.indices {
                guard case .text(let t) = draft.sheets[0].cells[i].value else { continue }
                let (bytes, text) = Self.legacy(t, e, cells: true)
                draft.sheets[0].cells[i].value = .text(LegacyVietnamese.windows1252Text(bytes))
                let c = draft.sheets[0].cells[i]
                expected[CellReference(row: c.row, column: c.column).description] = text
            }
            // A neutral file name: the unit, form and period come from the converted title rows.
            let path = temporary("Book1.xlsx")
            try XLSXWriter.write(draft, to: path)
            // Every text cell, titles and headers included, reads back exactly.
            var grid = try Spreadsheets.open(path: path).loadSheet(1)
            _ = LegacyText.repair(&grid, score: score)
            for row in grid.rows {
                for c in row.cells {
                    guard case .text(let t) = c.value else { continue }
                    let ref = CellReference(row: row.number, column: c.column).description
                    #expect(t == expected[ref], "\(e) \(form.id) \(unit.code) \(ref)")
                }
            }
            let r = FileCheck.check(path: path, relative: "Book1.xlsx", plan: Self.plan)
            let keys = form.rows == .perCommune ? unit.communes : []
            expectIdentified(r, form, unit, keys: keys, encoding: e.rawValue, "\(e) \(form.id) \(unit.code)")
            if form.rows == .perCommune { communes.formUnion(r.submissions.first?.rows.compactMap(\.key) ?? []) }
        }
        #expect(communes.count == Set(Self.plan.units.flatMap(\.communes)).count)
    }

    /// The draft as CSV text (formulas as their value), one line per row.
    static func csvLines(_ draft: WorkbookDraft) -> [[String]] {
        let cells = draft.sheets[0].cells
        let lastRow = cells.map(\.row).max() ?? 0, lastColumn = cells.map(\.column).max() ?? 0
        var grid = Array(repeating: Array(repeating: "", count: lastColumn), count: lastRow)
        for c in cells {
            switch c.value {
            case .text(let t): grid[c.row - 1][c.column - 1] = t
            case .number(let d), .formula(_, let d): grid[c.row - 1][c.column - 1] = NumberText.format(d)
            case .date(let y, let m, let d): grid[c.row - 1][c.column - 1] = String(format: "%02d/%02d/%04d", d, m, y)
            case .bool(let b): grid[c.row - 1][c.column - 1] = b ? "TRUE" : "FALSE"
            case .blank: break
            }
        }
        return grid
    }

    @Test(arguments: LegacyVietnamese.Encoding.allCases)
    func csvBytesReadBackExactly(_ e: LegacyVietnamese.Encoding) throws {
        for (form, unit) in Self.cases {
            var bytes: [UInt8] = []
            var expected: [[String]] = []
            for line in Self.csvLines(Self.draft(form, unit)) {
                var out: [String] = []
                for (i, field) in line.enumerated() {
                    if i > 0 { bytes.append(0x3B) }
                    let (b, text) = Self.legacy(field, e, cells: false)
                    bytes += b
                    out.append(text)
                }
                bytes += [0x0D, 0x0A]
                expected.append(out)
            }
            let path = temporary("Book1.csv")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let book = try Spreadsheets.open(path: path, score: LegacyText.score(for: Self.plan))
            #expect((book as? CSVSheet)?.encoding.legacy == e, "\(e) \(form.id) \(unit.code)")
            for row in try book.loadSheet(1).rows {
                for c in row.cells {
                    #expect(c.value.displayText == expected[row.number - 1][c.column - 1], "\(e) \(form.id) \(unit.code) row \(row.number)")
                }
            }
            let r = FileCheck.check(path: path, relative: "Book1.csv", plan: Self.plan)
            expectIdentified(r, form, unit, keys: form.rows == .perCommune ? unit.communes : [], encoding: e.rawValue, "\(e) \(form.id) \(unit.code)")
        }
    }

    @Test func unicodeFilesWithTheSameTextNeverWarn() throws {
        for (form, unit) in Self.cases {
            let path = temporary("Book1.xlsx")
            try XLSXWriter.write(Self.draft(form, unit), to: path)
            let r = FileCheck.check(path: path, relative: "Book1.xlsx", plan: Self.plan)
            #expect(r.submissions.first?.unit?.code == unit.code)
            #expect(!r.allFindings.contains { $0.code == .legacyEncoding }, "\(form.id) \(unit.code): \(r.allFindings.map(\.vi))")
            let csv = temporary("Book1.csv")
            try Data(Self.csvLines(Self.draft(form, unit)).map { $0.joined(separator: ";") }.joined(separator: "\r\n").utf8)
                .write(to: URL(fileURLWithPath: csv))
            let c = FileCheck.check(path: csv, relative: "Book1.csv", plan: Self.plan)
            #expect(c.submissions.first?.unit?.code == unit.code)
            #expect(!c.allFindings.contains { $0.code == .legacyEncoding }, "\(form.id) \(unit.code)")
        }
    }

    @Test func noSampleFileIsTakenForLegacy() throws {
        let inbox = Repo.root.appendingPathComponent("samples/inbox").path
        let files = try FileManager.default.subpathsOfDirectory(atPath: inbox).filter { p in
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: inbox + "/" + p, isDirectory: &dir) && !dir.boolValue
                && p != "so-cong-van-den.csv"  // the incoming register, not a report
        }
        #expect(files.count == 148)
        for f in files {
            let r = FileCheck.check(path: inbox + "/" + f, relative: f, plan: Self.plan)
            #expect(!r.allFindings.contains { $0.code == .legacyEncoding }, "\(f): \(r.allFindings.filter { $0.code == .legacyEncoding }.map(\.vi))")
        }
    }

    @Test func theIssuesMisreadsAreReadRight() throws {
        // Names the old per-cell guess left alone or read in the wrong encoding.
        var report = QuarterlyReport()
        let tcvn = ["B9": "Diªn Kh¸nh", "B10": "Cam Hßa", "B11": "Ngäc HiÖp", "B12": "Cam Lîi", "B13": "Kh¸nh Hßa"]
        for (ref, t) in tcvn { report.set(ref, .text(t)) }
        var grid = try gridOf(report)
        _ = LegacyText.repair(&grid, score: LegacyText.Scorer(plan: Self.plan))
        #expect(["B9", "B10", "B11", "B12", "B13"].map { grid.value(CellReference($0)!).displayText } == ["Diên Khánh", "Cam Hòa", "Ngọc Hiệp", "Cam Lợi", "Khánh Hòa"])
        var vni = QuarterlyReport()
        let names = ["B9": "Dieân Laâm", "B10": "Cam Taân", "B11": "Vónh Haûi", "B12": "Ninh Thuûy", "B13": "Khaùnh Hoøa"]
        for (ref, t) in names { vni.set(ref, .text(t)) }
        grid = try gridOf(vni)
        let conversions = LegacyText.repair(&grid, score: LegacyText.Scorer(plan: Self.plan))
        #expect(["B9", "B10", "B11", "B12", "B13"].map { grid.value(CellReference($0)!).displayText } == ["Diên Lâm", "Cam Tân", "Vĩnh Hải", "Ninh Thủy", "Khánh Hòa"])
        #expect(Set(conversions.map(\.encoding)) == [.vni])
    }

    @Test(arguments: LegacyVietnamese.Encoding.allCases)
    func legacyNamesInTheProvincesUnicodeTemplate(_ e: LegacyVietnamese.Encoding) throws {
        // The template's title and headers are Unicode; the clerk typed the communes in the old font.
        var report = QuarterlyReport()
        let communes = QuarterlyReport.unit.communes
        for (i, c) in communes.enumerated() {
            report.set("B\(FormLayout.firstDataRow + i)", .text(LegacyVietnamese.windows1252Text(Self.legacy(c, e, cells: true).bytes)))
        }
        let r = try report.check("Book1.xlsx")
        expectIdentified(r, QuarterlyReport.form, QuarterlyReport.unit, keys: communes, encoding: e.rawValue, "\(e)", period: Period("2019-Q3"))
        #expect(r.status == .accepted)
    }

    func gridOf(_ report: QuarterlyReport) throws -> SheetGrid {
        let path = temporary("r.xlsx")
        try XLSXWriter.write(report.draft, to: path)
        return try Spreadsheets.open(path: path).loadSheet(1)
    }

    @Test func warningShowsThreeExamples() throws {
        var draft = Self.draft(Self.plan.form("capital-quarterly")!, Self.plan.unit("573")!)
        for i in draft.sheets[0].cells.indices {
            guard case .text(let t) = draft.sheets[0].cells[i].value else { continue }
            draft.sheets[0].cells[i].value = .text(LegacyVietnamese.windows1252Text(Self.legacy(t, .vni, cells: true).bytes))
        }
        let path = temporary("Book1.xlsx")
        try XLSXWriter.write(draft, to: path)
        let r = FileCheck.check(path: path, relative: "Book1.xlsx", plan: Self.plan)
        let f = try #require(r.allFindings.first { $0.code == .legacyEncoding })
        #expect(f.severity == .warning)
        #expect(f.vi.contains("VNI (VNI-Times)"))
        #expect(f.vi.components(separatedBy: " → ").count == 4)
        #expect(f.vi.contains("\"HOÄI LHPN HUYEÄN KHAÙNH VÓNH\" → \"HỘI LHPN HUYỆN KHÁNH VĨNH\""))
        #expect(r.status == .accepted)
    }

    @Test func utf8WithOneWindows1258WordIsReportedAndIdentified() throws {
        var lines = Self.csvLines(Self.draft(Self.plan.form("capital-quarterly")!, Self.plan.unit("573")!))
        lines[9][1] = "Khánh Bình"
        var bytes = Array(lines.map { $0.joined(separator: ";") }.joined(separator: "\r\n").utf8)
        // "Khánh Bình" on row 10 with its "ì" as Windows-1258 writes it: i, then 0xCC.
        let word = Array("Khánh Bình".utf8)
        let at = try #require(bytes.indices.first { Array(bytes[$0..<min(bytes.count, $0 + word.count)]) == word })
        bytes.replaceSubrange(at..<(at + word.count), with: Array("Khánh Bi".utf8) + [0xCC] + Array("nh".utf8))
        let path = temporary("Book1.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = FileCheck.check(path: path, relative: "Book1.csv", plan: Self.plan)
        #expect(r.submissions.first?.unit?.code == "573")
        #expect(r.submissions.first?.rows.map(\.key).contains("Khánh Bình") == true)
        let f = try #require(r.allFindings.first { $0.code == .legacyEncoding })
        #expect(f.vi.contains("1 byte không phải UTF-8") && f.vi.contains("dòng 10") && f.vi.contains("Windows-1258"))
    }
}

/// Empty files: nothing to identify, and the clerk is told to send it again.
@Suite struct EmptyFileTests {
    @Test(arguments: [("zero", [UInt8]()), ("bom", [0xEF, 0xBB, 0xBF]), ("blank lines", Array("\r\n\r\n   \n\n".utf8)),
                      ("separators", Array(";;;\r\n;;\r\n".utf8))])
    func emptyFileIsEmpty(_ name: String, _ bytes: [UInt8]) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = FileCheck.check(path: path, relative: "Cam Lam/BC thang 11.csv", plan: LegacyEncodingTests.plan)
        // Its folder and name say Cam Lâm's November: the empty file reaches that report.
        #expect(r.allFindings.map(\.code) == [.emptyFile], "\(name)")
        #expect(r.allFindings.first?.vi.contains("tệp không có nội dung — gửi lại") == true)
        #expect(r.submissions.first?.unit?.code == "570")
        #expect(r.status == .rejected)
    }
}
