// The fixes for quirks met in third-party workbooks, each on a minimal fixture made by
// Fixtures/make_quirk_fixtures.py.
import Foundation
import Testing
@testable import Sheets

@Suite struct QuirkTests {
    /// .NET writes 29 significant digits and Gnumeric 21: each is the nearest double, read
    /// as a number (never a crash, never text).
    @Test func longDecimalsAreNumbers() throws {
        let book = try Fixture.open("quirk_long_decimals.xlsx")
        let grid = try book.loadSheet(1)
        #expect(grid.summary.lastRow == 12)
        for r in 1...grid.summary.lastRow {
            guard case .text(let written) = grid.value(CellReference(row: r, column: 1)) else {
                Issue.record("row \(r): no text in A"); continue
            }
            let value = grid.value(CellReference(row: r, column: 2))
            #expect(value == .number(strtod(written, nil)), "row \(r): \(written) read as \(value)")
        }
        #expect(grid.value(CellReference(row: 2, column: 2)).displayText == "2.63033230469628")
    }
}

@Suite struct AttributeReferenceTests {
    /// Sheet names come back as Excel shows them, however the XML escaped them.
    @Test func sheetNamesWithAmpersandAndReferences() throws {
        let book = try Fixture.open("quirk_ampersand_names.xlsx")
        #expect(book.sheets.map(\.name) == ["5&4", "a<b> \"c\" 'd'", "Đại &amp; T&#38;"])
        #expect(book.sheetNumber(named: "5&4") == 1)
        // The number format `"Ngày "dd/mm/yyyy` is still a date once its quotes are decoded.
        let grid = try book.loadSheet(1)
        #expect(grid.value(CellReference(row: 1, column: 1)) == .dateTime(ExcelDateTime(year: 2020, month: 1, day: 1)))
    }

    @Test func decoder() {
        func d(_ s: String) -> String { Array(s.utf8).withUnsafeBufferPointer { XMLAttributes.decodeReferences($0) } }
        #expect(d("5&#38;4") == "5&4")
        #expect(d("&#x1EA1;&lt;&unknown;&#xFFFFFFFF;&") == "ạ<&unknown;&#xFFFFFFFF;&")
        #expect(d("&#38;#38;") == "&#38;")
        #expect(d("no refs") == "no refs")
    }
}

@Suite struct UnlocatedSheetTests {
    /// Without `xl/_rels/workbook.xml.rels` no sheet can be found: refused, not three empty sheets.
    @Test func noWorkbookRelationships() {
        let e = Fixture.refusal("quirk_no_workbook_rels.xlsx")
        #expect(e?.kind == .missingPart("xl/_rels/workbook.xml.rels"))
    }

    @Test func relationshipIdNotInTheRelationships() {
        let e = Fixture.refusal("quirk_unknown_relationship.xlsx")
        #expect(e?.kind == .unlocatedSheet(name: "Lost", relationshipId: "rId9", detail: "xl/_rels/workbook.xml.rels"))
    }

    /// A sheet with `r:id=""` beside a sheet part nobody names: which is whose cannot be told.
    @Test func emptyRelationshipIdWithAnOrphanPart() {
        let e = Fixture.refusal("quirk_sheet_without_relid.xlsx")
        #expect(e?.kind == .unlocatedSheet(name: "Data", relationshipId: "", detail: "worksheets/sheet2.xml"))
    }

    /// Excel's placeholders for VBA modules are not sheets: left out of the list.
    @Test func vbaModuleEntriesAreNotSheets() throws {
        let book = try Fixture.open("quirk_vba_module_entries.xlsm")
        #expect(book.sheets.map(\.name) == ["Sheet1"])
        #expect(try book.loadSheet(1).value(CellReference(row: 1, column: 1)) == .number(7))
    }

    @Test func missingSheetPartIsDamageWhenRead() throws {
        let book = try Fixture.open("quirk_missing_sheet_part.xlsx")
        #expect(book.sheets.count == 2)
        #expect(throws: SheetsError.self) { try book.readSheet(2) { _ in } }
        #expect(Fixture.refusal("quirk_missing_sheet_part.xlsx")?.kind == .missingPart("xl/worksheets/sheet9.xml"))
    }

    /// Sheets cost memory only for their list entry: 1,024 are read; the limit stops a list
    /// that grows past it while it is parsed.
    @Test func sheetCountLimit() throws {
        var limits = ReadLimits()
        #expect(limits.maxSheets == 10_000)
        limits.maxSheets = 1
        #expect(Fixture.refusal("quirk_no_workbook_rels.xlsx", limits: limits)?.kind == .limitExceeded(.sheetCount, limit: 1))
    }
}

@Suite struct FormatAndPackageQuirkTests {
    @Test func amPmOnlyFormatsAreTimes() throws {
        #expect(NumberFormatClassifier.custom("A/P") == .time)
        #expect(NumberFormatClassifier.custom("AM/PM") == .time)
        #expect(NumberFormatClassifier.custom("am/pm") == .time)
        #expect(NumberFormatClassifier.custom("h AM/PM") == .time)
        #expect(NumberFormatClassifier.custom("\"AM/PM\"0") == .plain)
        #expect(NumberFormatClassifier.custom("General") == .plain)
        let grid = try Fixture.open("quirk_ampm_formats.xlsx").loadSheet(1)
        #expect((1...4).map { grid.value(CellReference(row: 1, column: $0)).displayText }
                == ["18:00:00", "06:00:00", "12:00:00", "0.5"])
    }

    /// Parts of a workbook but no workbook part: a damaged workbook, named as such.
    @Test func workbookPartMissing() {
        #expect(Fixture.refusal("quirk_no_workbook_part.xlsx")?.kind == .missingPart("xl/workbook.xml"))
    }
}

@Suite struct AttributeFloodTests {
    /// A workbook whose sheet has one `<c>` with `count` attributes, written to a temporary file.
    private func flooded(_ count: Int) throws -> String {
        var cell = "<c r=\"A1\""
        for i in 0..<count { cell += " a\(i)=\"1\"" }
        cell += "><v>1</v></c>"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts: [(name: String, data: Data)] = [
            ("_rels/.rels", Data("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8)),
            ("xl/workbook.xml", Data("<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ("xl/_rels/workbook.xml.rels", Data("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
            ("xl/worksheets/sheet1.xml", Data("<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\">\(cell)</row></sheetData></worksheet>".utf8)),
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flood-\(count)-\(UUID().uuidString).xlsx").path
        try ZipWriter.write(parts, to: path)
        return path
    }

    /// 200,000 attributes on one element (libxml2 alone would spend minutes on them) are
    /// refused as damage in well under a second; 60 are read.
    @Test func floodOfAttributesIsRefusedFast() throws {
        let path = try flooded(200_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Date()
        var refusal: SheetsError?
        do {
            let book = try Spreadsheets.open(path: path)
            try book.readSheet(1) { _ in }
        } catch let e as SheetsError {
            refusal = e
        }
        #expect(Date().timeIntervalSince(start) < 1)
        guard case .malformedXML(_, let detail)? = refusal?.kind else {
            Issue.record("not refused as damaged XML: \(String(describing: refusal))"); return
        }
        #expect(detail.contains("more than 64 attributes"))
        #expect(refusal?.entry == "xl/worksheets/sheet1.xml")

        let fine = try flooded(60)
        defer { try? FileManager.default.removeItem(atPath: fine) }
        #expect(try Spreadsheets.open(path: fine).loadSheet(1).value(CellReference(row: 1, column: 1)) == .number(1))
    }

    /// Quotes, `>` inside values, comments and chunk boundaries do not confuse the count.
    @Test func counterFollowsQuotesAndChunks() {
        func ok(_ parts: [String]) -> Bool {
            var c = AttributeCounter()
            for p in parts where !Array(p.utf8).withUnsafeBytes({ c.scan($0) }) { return false }
            return true
        }
        let many = (0..<65).map { " a\($0)='x'" }.joined()
        #expect(!ok(["<x" + many + "/>"]))
        #expect(!ok(["<x" + many.prefix(100), String(many.dropFirst(100)) + ">"]))
        let inValue = "<x v=\"" + String(repeating: "a=b>", count: 100) + "\"/>"
        #expect(ok([inValue]))
        #expect(ok(["<!-- " + String(repeating: "=", count: 100) + " -->", "<y a='1'/>"]))
        #expect(ok(["<f>" + String(repeating: "A1=B1 ", count: 100) + "</f>"]))
    }

    private func counts(_ bytes: [UInt8], cuts: [Int]) -> Bool {
        var c = AttributeCounter()
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            if !bytes[start..<end].withUnsafeBytes({ c.scan($0) }) { return false }
            start = end
        }
        return true
    }

    /// The scan looks at few bytes of a part; the smallest element over the limit (65 one-letter
    /// attributes with empty values, 328 bytes) is still caught wherever it starts after dense
    /// tags, and wherever the chunks are cut; 64 such attributes are not refused.
    @Test func smallestFloodIsCaughtAtEveryOffsetAndCut() {
        let flood = "<c" + String(repeating: " a=\"\"", count: 65) + ">"
        let fine = "<c" + String(repeating: " a=\"\"", count: 64) + ">"
        for offset in 0..<300 {
            let lead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w>" + String(repeating: "<v/>", count: offset / 4)
                + String(repeating: "x", count: offset % 4)
            for (element, refused) in [(flood, true), (fine, false)] {
                let bytes = Array((lead + element + "<v>1</v></c></w>").utf8)
                #expect(counts(bytes, cuts: []) == !refused, "offset \(offset)")
                let cut = lead.utf8.count + offset % element.utf8.count
                #expect(counts(bytes, cuts: [cut]) == !refused, "offset \(offset), cut at \(cut)")
            }
        }
    }

    /// Random parts: elements with 0–3 or 60–70 attributes, values and text with `=`, `>` and
    /// quotes, long text, cut into random chunks. Refused exactly when an element has more than 64.
    @Test func randomPartsAgreeWithTheirAttributeCounts() {
        var rng = SplitMix(seed: 13)
        for round in 0..<400 {
            var doc = "<?xml version=\"1.0\"?><worksheet>"
            var over = false
            for _ in 0..<Int.random(in: 1...30, using: &rng) {
                let n = Bool.random(using: &rng) ? Int.random(in: 0...3, using: &rng) : Int.random(in: 60...70, using: &rng)
                over = over || n > 64
                doc += "<e"
                for a in 0..<n {
                    let q = Bool.random(using: &rng) ? "\"" : "'"
                    let value = String(repeating: ["a", "=", ">", "b c", q == "'" ? "\"" : "'"].randomElement(using: &rng)!,
                                       count: Int.random(in: 0...12, using: &rng))
                    doc += String(repeating: " ", count: Int.random(in: 1...2, using: &rng)) + "a\(a)=" + q + value + q
                }
                doc += ">" + String(repeating: ["t", "A1=B1 ", "<v>2</v>", ""].randomElement(using: &rng)!,
                                          count: Int.random(in: 0...80, using: &rng)) + "</e>"
            }
            doc += "</worksheet>"
            let bytes = Array(doc.utf8)
            let cuts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Int.random(in: 0...bytes.count, using: &rng) }.sorted()
            #expect(counts(bytes, cuts: cuts) == !over, "round \(round)")
        }
    }

    /// In UTF-16 a byte 0x3C may be half of another character: such a part is counted byte by
    /// byte, and a flood whose values hide such bytes is still refused.
    @Test func floodInUTF16IsRefused() {
        let element = "<c" + (0..<300).map { " a\($0)=\"\u{3C3C}\"" }.joined() + ">"
        let doc = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-16\"?><w>" + element + "</c>"
            + String(repeating: "<v/>", count: 500) + "</w>"
        let le = doc.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(!counts(le, cuts: []))
        #expect(!counts(le, cuts: [301]))
    }
}

/// A small seeded generator, so that a failing random case can be run again.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
