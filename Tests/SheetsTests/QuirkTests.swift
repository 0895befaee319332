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
