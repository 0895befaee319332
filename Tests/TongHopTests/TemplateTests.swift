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

    // MARK: - On paper

    /// `ht` of every row written with one, by row number.
    func heights(_ sheetXML: String) -> [Int: Double] {
        let re = try! NSRegularExpression(pattern: #"<row r="(\d+)" ht="([0-9.]+)" customHeight="1""#)
        var out: [Int: Double] = [:]
        for m in re.matches(in: sheetXML, range: NSRange(sheetXML.startIndex..., in: sheetXML)) {
            out[Int(sheetXML[Range(m.range(at: 1), in: sheetXML)!])!] = Double(sheetXML[Range(m.range(at: 2), in: sheetXML)!])!
        }
        return out
    }

    func attribute(_ name: String, of element: String, in xml: String) -> String? {
        guard let e = xml.range(of: "<\(element) [^>]*>", options: .regularExpression),
              let a = xml[e].range(of: "\(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
        return String(xml[e][a].dropFirst(name.count + 2).dropLast())
    }

    func breaks(_ kind: String, in xml: String) -> [Int] {
        guard let r = xml.range(of: "<\(kind)\\b.*?</\(kind)>", options: .regularExpression) else { return [] }
        let re = try! NSRegularExpression(pattern: #"<brk id="(\d+)""#)
        let s = String(xml[r])
        return re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { Int(s[Range($0.range(at: 1), in: s)!])! + 1 }
    }

    @Test func theHeaderRowIsAsTallAsItsWrappedTextAndEveryRowHasAHeight() throws {
        let form = Self.plan.form("capital-quarterly")!
        let path = try write(FormTemplate.draft(plan: Self.plan, form: form, unit: Self.plan.unit("573"), period: Period("2019-Q4")!))
        let sheet = try part(path, "xl/worksheets/sheet1.xml")
        let h = heights(sheet)
        // "Tổng dư nợ ủy thác (triệu đồng)" in a 12-character column takes three lines of 11-point bold.
        #expect(h[7, default: 0] >= 3 * 11 * 1.2, "the header row is \(h[7] ?? 0) pt")
        #expect(h[7, default: 0] <= 6 * 11 * 1.2 + 10)
        // Every row down to the signature block, so that pages fall where they were computed.
        for r in 1...(23 + 2 + FormTemplate.signatureLines - 1) { #expect(h[r] != nil, "row \(r) has no height") }
        // The codes row and the total row have styles of their own.
        let grid = try Spreadsheets.open(path: path).loadSheet(1)
        #expect(grid.value(CellReference("C8")!) == .text("1"))
        let codes = try #require(sheet.range(of: #"<c r="C8" s="(\d+)""#, options: .regularExpression))
        let total = try #require(sheet.range(of: #"<c r="C23" s="(\d+)""#, options: .regularExpression))
        #expect(sheet[codes].contains("s=\"\(WorkbookDraft.Style.codes.rawValue)\""))
        #expect(sheet[total].contains("s=\"\(WorkbookDraft.Style.totalDecimal.rawValue)\""))
    }

    @Test func aWideFormContinuesAcrossPagesUnderRepeatedTitlesAtAReadableScale() throws {
        let form = Self.plan.form("capital-quarterly")!
        let path = try write(FormTemplate.draft(plan: Self.plan, form: form, unit: Self.plan.unit("568"), period: Period("2019-Q4")!))
        let sheet = try part(path, "xl/worksheets/sheet1.xml")
        #expect(attribute("paperSize", of: "pageSetup", in: sheet) == "9")
        #expect(attribute("orientation", of: "pageSetup", in: sheet) == "landscape")
        #expect(attribute("fitToWidth", of: "pageSetup", in: sheet) == nil)
        let scale = try #require(attribute("scale", of: "pageSetup", in: sheet).flatMap(Int.init))
        #expect(scale >= 70 && scale <= 100)
        #expect(sheet.contains("<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter>"))
        // Two pages across, cut between columns; 27 communes need a second page down.
        let columns = breaks("colBreaks", in: sheet), rows = breaks("rowBreaks", in: sheet)
        #expect(columns.count == 1)
        #expect(rows.count == 1)
        // The last commune, the total and the signatures are on one page.
        let lastCommune = 9 + 27 - 1
        #expect(rows.allSatisfy { $0 <= lastCommune })
        let workbook = try part(path, "xl/workbook.xml")
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Biểu'!$A:$B,'Biểu'!$7:$8</definedName>"))
        #expect(!workbook.contains("localSheetId=\"1\""), "the hidden sheet has no print set-up")
    }

    @Test(arguments: ["monthly", "poverty-plan", "savings-eval", "revolving-fund", "capital-quarterly", "capital-annual"])
    func everyFormPrintsWithEachPageWithinThePaperAndTextAtSevenPointsOrMore(id: String) throws {
        let form = Self.plan.form(id)!
        for unit in [Self.plan.unit("568"), Self.plan.unit("575"), nil] {
            let draft = FormTemplate.draft(plan: Self.plan, form: form, unit: unit, period: Self.plan.periods(of: form).last!)
            let sheet = draft.sheets[0]
            let page = sheet.page
            #expect(page.scale >= 70, "\(id): \(page.scale) %")
            // The smallest text, the 10-point codes, at print size.
            #expect(Double(page.scale) / 100 * 10 >= 7)
            let (width, height) = page.printableSize
            let last = sheet.widths.keys.max()!
            let starts = [1] + page.columnBreaks
            for (i, start) in starts.enumerated() {
                let end = i + 1 < starts.count ? starts[i + 1] - 1 : last
                var columns = Array(start...end)
                if i > 0, let repeated = page.repeatColumns { columns = Array(repeated) + columns }
                let points = columns.map { TextMeasure.columnPoints(sheet.widths[$0]!) }.reduce(0, +)
                #expect(points * Double(page.scale) / 100 <= width, "\(id) page across \(i + 1): \(points) pt at \(page.scale) %")
            }
            let lastRow = sheet.rowHeights.keys.max()!
            let downStarts = [1] + page.rowBreaks
            for (i, start) in downStarts.enumerated() {
                let end = i + 1 < downStarts.count ? downStarts[i + 1] - 1 : lastRow
                var rows = Array(start...end)
                if i > 0 { rows = Array(page.repeatRows!) + rows }
                let points = rows.map { sheet.rowHeights[$0]! }.reduce(0, +)
                #expect(points * Double(page.scale) / 100 <= height, "\(id) page down \(i + 1)")
            }
            // The signature block from the plan, under the table.
            let texts = sheet.cells.compactMap { c -> (Int, String)? in if case .text(let t) = c.value { return (c.row, t) }; return nil }
            let place = unit.map { Self.plan.official.place(of: $0) } ?? "……………"
            let dateRow = try #require(texts.first { $0.1 == "\(place), ngày … tháng … năm …" }?.0, "\(id): no date line")
            #expect(texts.contains { $0 == (dateRow, "Người lập biểu") })
            #expect(texts.contains { $0.1 == "TM. BAN THƯỜNG VỤ" && $0.0 > dateRow })
            #expect(texts.contains { $0.1 == "CHỦ TỊCH" && $0.0 > dateRow })
            // No page break between the last data row and the signatures.
            let lastData = dateRow - 2 - (form.rows == .perCommune ? 1 : 0)
            #expect(page.rowBreaks.allSatisfy { $0 <= lastData }, "\(id): \(page.rowBreaks) parts the table's end from the signatures")
        }
    }

    @Test func aFormThePlanPrintsOnA3() throws {
        let folder = try editedPlan("forms/capital-annual.yml", replacing: "rows: per-commune\n", with: "rows: per-commune\nprint:\n  paper: A3\n")
        let plan = try PlanLoader.load(folder: folder)
        let form = plan.form("capital-annual")!
        #expect(form.print.paper == .a3)
        let a3 = FormTemplate.draft(plan: plan, form: form, unit: plan.unit("573"), period: Period("2019")!).sheets[0].page
        let a4 = FormTemplate.draft(plan: Self.plan, form: Self.plan.form("capital-annual")!, unit: plan.unit("573"), period: Period("2019")!).sheets[0].page
        #expect(a3.paper == .a3 && a4.paper == .a4)
        #expect(a3.columnBreaks.count < a4.columnBreaks.count || a3.scale > a4.scale)
        let path = try write(FormTemplate.draft(plan: plan, form: form, unit: plan.unit("573"), period: Period("2019")!))
        #expect(attribute("paperSize", of: "pageSetup", in: try part(path, "xl/worksheets/sheet1.xml")) == "8")
    }

    @Test func aFilledSingleRowFormEndsAtItsSignatureBlock() throws {
        let form = Self.plan.form("revolving-fund")!
        var draft = FormTemplate.draft(plan: Self.plan, form: form, unit: Self.plan.unit("574"), period: Period("2019-H2")!)
        let values: [String: Double] = ["allocated": 5000, "opening": 4000, "lent": 1200, "borrower_turns": 60, "repaid": 1000,
                                        "closing": 4200, "overdue": 10, "escaped": 12]
        for (i, f) in form.fields.enumerated() {
            draft.sheets[0].cells.removeAll { $0.row == 9 && $0.column == i + 2 }
            draft.sheets[0].set(9, i + 2, .number(values[f.key]!), .decimal)
        }
        let r = FileCheck.check(path: try write(draft), relative: "x.xlsx", plan: Self.plan)
        #expect(r.status == .accepted)
        #expect(r.allFindings.isEmpty, "\(r.allFindings.map(\.vi))")
        #expect(r.submissions.first?.rows.count == 1)
    }

    @Test func theOfficialBlockIsReadAndItsMistakesNamed() throws {
        let o = Self.plan.official
        #expect(o.parentBody == "HỘI LHPN TỈNH KHÁNH HÒA")
        #expect(o.issuingBody == "BAN THƯỜNG VỤ")
        #expect(o.place == "Khánh Hòa")
        #expect(o.signer == OfficialInfo.Signer(onBehalf: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: nil))
        #expect(o.reportNumber == "Số: …/BC-HPN" && o.letterNumber == "Số: …/CV-HPN")
        #expect(o.recipients.first == "Trung ương Hội LHPN Việt Nam (để báo cáo);")
        #expect(o.place(of: Self.plan.unit("573")!) == "Khánh Vĩnh")

        let named = try editedPlan("plan.yml", replacing: "  unit-places: {}", with: "  unit-places: {\"570\": Cam Đức}")
        #expect(try PlanLoader.load(folder: named).official.place(of: Self.plan.unit("570")!) == "Cam Đức")

        let broken = try editedPlan("plan.yml", replacing: "  unit-places: {}\n", with: """
              unit-places: {"537": Khánh Vĩnh}
              recipient: x

            """)
        let wrongNumber = try editedPlan("plan.yml", replacing: "report: \"Số: …/BC-HPN\"", with: "report: \"Số: 12/BC-HPN\"")
        let noTitle = try editedPlan("plan.yml", replacing: "  signer:\n    on-behalf: TM. BAN THƯỜNG VỤ\n    title: CHỦ TỊCH\n",
                                     with: "  signer:\n    on-behalf: TM. BAN THƯỜNG VỤ\n")
        let badPaper = try editedPlan("forms/monthly.yml", replacing: "rows: per-commune\n", with: "rows: per-commune\nprint: {paper: A5, min-scale: 40}\n")
        let p1 = problems(broken)
        #expect(p1.contains { $0.key == "official.unit-places.537" && $0.vi.contains("không có đơn vị mã \"537\"") })
        #expect(p1.contains { $0.key == "official.recipient" && $0.vi.contains("có phải là \"recipients\"?") })
        #expect(problems(wrongNumber).contains { $0.key == "official.numbers.report" && $0.vi.contains("cần dấu …") && $0.line != nil })
        #expect(problems(noTitle).contains { $0.key == "official.signer.title" })
        let p2 = problems(badPaper)
        #expect(p2.contains { $0.file == "forms/monthly.yml" && $0.key == "print.paper" && $0.vi.contains("A4 hoặc A3") })
        #expect(p2.contains { $0.key == "print.min-scale" })
    }
}
