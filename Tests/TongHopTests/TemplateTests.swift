import Foundation
@testable import Sheets
import Testing
@testable import TongHop

@Suite struct TemplateTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/templates").path

    func write(_ draft: WorkbookDraft) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-template.xlsx").path
        try XLSXWriter.write(draft, to: path)
        return path
    }

    func part(_ path: String, _ name: String) throws -> String {
        let archive = try ZipArchive(path: path, limits: .default)
        return String(decoding: try archive.readAll(try #require(archive.entry(named: name))), as: UTF8.self)
    }

    @Test func theTemplateSaysWhoWhatAndWhen() throws {
        let draft = FormTemplate.draft(plan: Self.plan, form: Self.plan.form("capital-quarterly")!, unit: Self.plan.unit("573"), period: Period("2019-Q4")!)
        let path = try write(draft)
        let book = try Spreadsheets.open(path: path)
        #expect(book.sheets.map(\.name) == ["Biểu", "tonghop"])
        #expect(book.sheets[1].state == .hidden)
        let grid = try book.loadSheet(1)
        #expect(grid.value(CellReference("A1")!) == .text("HỘI LHPN HUYỆN KHÁNH VĨNH"))
        #expect(grid.value(CellReference("A4")!) == .text("Kỳ báo cáo: Quý IV/2019"))
        #expect(grid.value(CellReference("A5")!) == .text("Đơn vị: Hội LHPN huyện Khánh Vĩnh"))
        #expect(grid.value(CellReference("C7")!) == .text("Tổng dư nợ ủy thác (triệu đồng)"))
        // One row per commune of the district, already named, then the total of SUM formulas.
        let communes = (9..<(9 + 14)).map { grid.value(CellReference(row: $0, column: 2)) }
        #expect(communes == Self.plan.unit("573")!.communes.map { CellValue.text($0) })
        #expect(grid.value(CellReference("B23")!) == .text("Tổng cộng"))
        let sheet = try part(path, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<f>SUM(C9:C22)</f>"))
        #expect(sheet.contains("state=\"frozen\"") && sheet.contains("topLeftCell=\"C9\""))
        #expect(sheet.contains("<dataValidation type=\"whole\" operator=\"greaterThanOrEqual\""))
        #expect(sheet.contains("sqref=\"F9:F22\""))
        #expect(sheet.contains("<legacyDrawing r:id=\"rIdVml\"/>"))
        let comments = try part(path, "xl/comments1.xml")
        #expect(comments.contains("<comment ref=\"C7\""))
        #expect(comments.contains("Đơn vị tính: triệu đồng."))
        let meta = try book.loadSheet(2)
        #expect(meta.value(CellReference("B1")!) == .text("573"))
        #expect(meta.value(CellReference("B2")!) == .text("capital-quarterly"))
        #expect(meta.value(CellReference("B3")!) == .text("2019-Q4"))
    }

    @Test func anUnfilledTemplateIsIdentifiedButNotAccepted() throws {
        let draft = FormTemplate.draft(plan: Self.plan, form: Self.plan.form("monthly")!, unit: Self.plan.unit("575"), period: Period("2019-12")!)
        let r = FileCheck.check(path: try write(draft), relative: "x.xlsx", plan: Self.plan)
        #expect(r.submissions.first?.unit?.code == "575")
        #expect(r.submissions.first?.period == Period("2019-12"))
        #expect(r.submissions.first?.form.id == "monthly")
    }

    @Test(arguments: ["capital_quarterly_573_filled_openpyxl.xlsx", "capital_quarterly_573_filled_resaved_libreoffice.xlsx",
                      "monthly_generic_filled_openpyxl.xlsx"])
    func filledByOtherSoftwareIsAcceptedWithNoFinding(file: String) throws {
        let r = FileCheck.check(path: Self.fixtures + "/" + file, relative: file, plan: Self.plan)
        #expect(r.status == .accepted)
        #expect(r.allFindings.isEmpty, "\(r.allFindings.map(\.vi))")
    }

    @Test func resavedByLibreOfficeKeepsItsTotalsRight() throws {
        let r = FileCheck.check(path: Self.fixtures + "/capital_quarterly_573_filled_resaved_libreoffice.xlsx", relative: "x", plan: Self.plan)
        let rows = try #require(r.submissions.first?.rows)
        #expect(rows.count == 14)
        let total: Double = rows.compactMap { $0.numbers["outstanding"] }.reduce(0, +)
        let expected: Double = 8000 * 14 + 10.5 * 91
        #expect(total == expected)
    }

    @Test func nextPeriodsToFill() {
        let next = FormTemplate.nextPeriods(plan: Self.plan, asOf: Day("2019-12-05")!)
        #expect(next.map { "\($0.0.id) \($0.1)" }.sorted() == ["capital-quarterly 2019-Q4", "monthly 2019-12", "revolving-fund 2019-H2"])
    }
}
