import Foundation
import Sheets
import Testing

/// Runs everywhere: under CI a missing corpus is a failure, not a silent skip; present, it
/// must hold oracles, or the comparison below would pass by comparing nothing.
@Suite struct CorpusPresenceTests {
    @Test func theCorpusIsThereWhenCIRequiresIt() {
        if Corpus.exists {
            #expect(!CorpusTests.oracleFiles.isEmpty, "\(Corpus.folder.path)/oracles holds no oracle file")
        } else if Corpus.required {
            Issue.record("CI is set but the shared corpus \(Corpus.folder.path) is missing: the corpus tests would be skipped")
        }
    }
}

/// Reads every workbook of the shared corpus in place and compares each cell with what
/// python-calamine read from it (the oracle JSON beside the corpus: first 40 × 20 cells).
@Suite(.enabled(if: Corpus.exists, Corpus.skipReason))
struct CorpusTests {
    /// Where we differ from python-calamine on purpose.
    static let knownDifferences: Set<String> = [
        // python-calamine returns error cells as None; tonghop keeps "#DIV/0!" and the rest.
        "calamine__errors.xlsx/Feuil1",
    ]

    static var oracleFiles: [String] {
        let dir = Corpus.folder.appendingPathComponent("oracles").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// Whether our typed value is the one python-calamine returned: numbers compared as
    /// doubles, dates by their ISO text, strings exactly, None as empty.
    static func agrees(_ cell: Any, _ value: CellValue) -> Bool {
        guard let cell = cell as? [String: Any], let t = cell["t"] as? String else { return value == .empty }
        let v = cell["v"]
        switch (t, value) {
        case ("str", .text(let s)): return s == v as? String
        case ("float", .number(let d)): return Double(v as? String ?? "") == d
        case ("int", .number(let d)): return (v as? Int).map(Double.init) == d
        case ("bool", .bool(let b)): return (v as? Bool) == b
        case ("date", .dateTime(let dt)), ("time", .dateTime(let dt)): return dt.isoText == v as? String
        case ("datetime", .dateTime(let dt)):
            let s = v as? String ?? ""
            return dt.isoText == (s.hasSuffix("T00:00:00") ? String(s.dropLast(9)) : s)
        case ("timedelta", .duration(let days)): return abs(days * 86_400 - ((v as? Double) ?? .nan)) < 0.5
        default: return false
        }
    }

    @Test(arguments: oracleFiles)
    func agreesWithCalamine(oracleFile: String) throws {
        let data = try Data(contentsOf: Corpus.folder.appendingPathComponent("oracles/" + oracleFile))
        let oracle = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let file = try #require(oracle["file"] as? String)
        let path = Corpus.folder.appendingPathComponent("xlsx/" + file).path
        let calamine = try #require(oracle["python_calamine_0.9.1"] as? [String: Any])
        guard let sheets = calamine["sheets"] as? [[String: Any]] else {
            // python-calamine refused it (bad CRC, password): so must we, with an error.
            #expect(throws: SheetsError.self, "\(file) was read although it is damaged or encrypted") {
                let book = try Spreadsheets.open(path: path)
                for s in book.sheets { try book.readSheet(s.number) { _ in } }
            }
            return
        }
        let book = try Spreadsheets.open(path: path)
        #expect(book.sheets.map(\.name) == sheets.map { $0["name"] as? String ?? "" })
        for (i, sheet) in sheets.enumerated() {
            let name = sheet["name"] as? String ?? ""
            let grid = try book.loadSheet(i + 1)
            let rows = sheet["rows"] as? [[Any]] ?? []
            var differences: [String] = []
            for (r, row) in rows.prefix(40).enumerated() {
                for (c, cell) in row.prefix(20).enumerated() {
                    let ref = CellReference(row: r + 1, column: c + 1)
                    let got = grid.value(ref)
                    if !Self.agrees(cell, got) { differences.append("\(ref): calamine \(cell), tonghop \(got)") }
                }
            }
            let key = "\(file)/\(name)"
            if Self.knownDifferences.contains(key) {
                #expect(!differences.isEmpty, "\(key) is listed as differing but now agrees: remove it from the list")
            } else {
                #expect(differences.isEmpty, "\(key): \(differences.prefix(5).joined(separator: "; "))")
            }
        }
    }

    @Test func the1904TrapInExtLst() throws {
        // An x15:workbookPr inside extLst must not switch the 1904 system off.
        let book = try Spreadsheets.open(path: Corpus.folder.appendingPathComponent("xlsx/calamine__date_1904_extlst.xlsx").path)
        #expect((book as? XLSXWorkbook)?.date1904 == true)
        #expect(try book.loadSheet(1).value(CellReference("A1")!).displayText == "2021-01-01")
    }

    @Test func damagedEntryIsCalledDamaged() throws {
        // xl/_rels/workbook.xml.rels inflates past the size its header declares (and its CRC
        // is wrong): the XML breaks first, but the error says the file is damaged.
        let path = Corpus.folder.appendingPathComponent("xlsx/calamine__issue252.xlsx").path
        do {
            _ = try Spreadsheets.open(path: path)
            Issue.record("a damaged workbook was opened")
        } catch let e as SheetsError {
            guard case .corrupt(let detail) = e.kind else { Issue.record("\(e)"); return }
            #expect(detail.contains("declares") || detail.contains("CRC"))
            #expect(e.entry == "xl/_rels/workbook.xml.rels")
        }
    }

    @Test func csvFilesOfTheCorpusRead() throws {
        let dir = Corpus.folder.appendingPathComponent("csv")
        let locale = try Spreadsheets.open(path: dir.appendingPathComponent("csvkit__test_locale.csv").path)
        let values = try locale.loadSheet(1).rows.flatMap { $0.cells.map(\.value.displayText) }
        #expect(values.contains("1,7"))
        #expect(values.contains("200.000.000"))
        let mac = try Spreadsheets.open(path: dir.appendingPathComponent("csvkit__mac_newlines.csv").path)
        #expect(try mac.loadSheet(1).summary.lastRow >= 3)
        let bom = try Spreadsheets.open(path: dir.appendingPathComponent("csvkit__test_utf8_bom.csv").path) as? CSVSheet
        #expect(bom?.encoding == .utf8BOM)
        #expect(try bom?.loadSheet(1).value(CellReference("A1")!) == .text("foo"))
    }
}
