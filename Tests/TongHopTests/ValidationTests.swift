import Foundation
import Sheets
import Testing
@testable import TongHop

/// A Khánh Vĩnh capital-quarterly report for Q3/2019 in the province's template, with clean
/// figures, that each test edits the way people edit their files.
struct QuarterlyReport {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let form = plan.form("capital-quarterly")!
    static let unit = plan.unit("573")!

    var draft: WorkbookDraft

    init() {
        let rows: [[String: WorkbookDraft.Value]] = Self.unit.communes.enumerated().map { i, commune in
            let groups = 10 + i % 3
            return ["commune": .text(commune), "outstanding": .number(8000 + Double(i) * 10.5), "households": .number(300),
                    "groups": .number(Double(groups)), "groups_good": .number(Double(groups - 3)), "groups_fair": .number(2),
                    "groups_average": .number(1), "groups_weak": .number(0), "overdue": .number(12.5), "members": .number(350),
                    "members_saving": .number(300), "group_savings": .number(35.2), "agribank_outstanding": .number(400),
                    "overdue_recovered": .number(1.5), "interest_arrears": .number(2), "interest_recovered": .number(0.5),
                    "misappropriated": .number(0), "proxy_cases": .number(0), "proxy_outstanding": .number(0),
                    "new_proxy_cases": .number(0), "new_misappropriation_cases": .number(0),
                    "misappropriated_proxy_recovered": .number(0.3), "agribank_groups": .number(1), "agribank_borrowers": .number(12)]
        }
        draft = FormLayout.draft(plan: Self.plan, form: Self.form, unit: Self.unit, period: Period("2019-Q3")!, rows: rows)
    }

    /// Column of a field in the template (STT is column 1).
    static func column(_ key: String) -> Int { form.fields.firstIndex { $0.key == key }! + 2 }

    var cells: [WorkbookDraft.WrittenCell] {
        get { draft.sheets[0].cells }
        set { draft.sheets[0].cells = newValue }
    }

    mutating func set(_ ref: String, _ value: WorkbookDraft.Value) {
        let r = CellReference(ref)!
        cells.removeAll { $0.row == r.row && $0.column == r.column }
        cells.append(.init(row: r.row, column: r.column, value: value))
    }

    mutating func setHeader(_ key: String, _ text: String) {
        set(CellReference(row: FormLayout.headerRow, column: Self.column(key)).description, .text(text))
    }

    /// Writes the workbook and checks it as `name` (a path inside the inbox).
    func check(_ name: String = "Khanh Vinh/BC von quy 3 - Khanh Vinh.xlsx") throws -> FileResult {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).xlsx").path
        try XLSXWriter.write(draft, to: path)
        return FileCheck.check(path: path, relative: name, plan: Self.plan)
    }
}

func codes(_ r: FileResult) -> [String] {
    r.allFindings.map { "\($0.code.rawValue)@\($0.cell ?? "-")" }.sorted()
}

@Suite struct ValidationTests {
    @Test func cleanReportIsAcceptedWithNoFinding() throws {
        let r = try QuarterlyReport().check()
        #expect(r.allFindings.isEmpty, "\(r.allFindings.map(\.vi))")
        #expect(r.status == .accepted)
        let s = try #require(r.submissions.first)
        #expect(s.unit?.code == "573" && s.form.id == "capital-quarterly" && s.period == Period("2019-Q3"))
        #expect(s.rows.count == 14)
        #expect(s.rows[1].key == "Khánh Bình" && s.rows[1].numbers["outstanding"] == 8010.5)
    }

    // MARK: Edits people make that must not change what is read

    func numbers(_ r: FileResult) -> [[String: Double]] { r.submissions.first?.rows.map(\.numbers) ?? [] }

    @Test func columnMoved() throws {
        let original = try QuarterlyReport().check()
        var report = QuarterlyReport()
        let a = QuarterlyReport.column("outstanding"), b = QuarterlyReport.column("overdue")
        report.cells = report.cells.map { c in
            var c = c
            if c.column == a { c.column = b } else if c.column == b { c.column = a }
            return c
        }
        let moved = try report.check()
        #expect(moved.allFindings.isEmpty)
        #expect(numbers(moved) == numbers(original))
    }

    @Test func headerRetypedWithoutDiacritics() throws {
        let original = try QuarterlyReport().check()
        var report = QuarterlyReport()
        report.setHeader("outstanding", "TONG DU NO UY THAC (trieu dong)")
        report.setHeader("groups_weak", "to xep loai yeu")
        let retyped = try report.check()
        #expect(retyped.allFindings.isEmpty)
        #expect(numbers(retyped) == numbers(original))
    }

    @Test func blankRowInserted() throws {
        let original = try QuarterlyReport().check()
        var report = QuarterlyReport()
        report.cells = report.cells.map { c in var c = c; if c.row >= 12 { c.row += 1 }; return c }
        let edited = try report.check()
        #expect(edited.allFindings.isEmpty)
        #expect(numbers(edited) == numbers(original))
    }

    @Test func totalRowRemovedOrTypedByHand() throws {
        let original = try QuarterlyReport().check()
        var report = QuarterlyReport()
        let totalRow = FormLayout.firstDataRow + 14
        report.cells.removeAll { $0.row == totalRow }
        let without = try report.check()
        #expect(without.allFindings.isEmpty)
        #expect(numbers(without) == numbers(original))
        // A hand-made "Cộng" row with the right figure for one column is checked and passes.
        report.set("B\(totalRow)", .text("Cộng"))
        report.set("\(CellReference.columnName(QuarterlyReport.column("households")))\(totalRow)", .number(300 * 14))
        let handTotal = try report.check()
        #expect(handTotal.allFindings.isEmpty)
        #expect(numbers(handTotal) == numbers(original))
    }

    // MARK: One test per finding code

    @Test func missingColumnWithDidYouMean() throws {
        var report = QuarterlyReport()
        report.setHeader("groups", "Số tổ TK VV lập")
        let r = try report.check()
        let f = try #require(r.allFindings.first { $0.code == .missingColumn })
        #expect(f.severity == .error)
        #expect(f.vi.contains("có phải là \"Số tổ TK&VV\"?"))
        #expect(f.cell == "E7")
        #expect(r.status == .rejected)
    }

    @Test func missingColumnDeleted() throws {
        var report = QuarterlyReport()
        let c = QuarterlyReport.column("members")
        report.cells.removeAll { $0.column == c }
        let r = try report.check()
        #expect(codes(r) == ["missing-column@-"])
        #expect(r.allFindings[0].vi.contains("Thiếu cột bắt buộc \"Số tổ viên\""))
    }

    @Test func unknownAndDuplicateColumns() throws {
        var report = QuarterlyReport()
        report.set("AA7", .text("Ghi chú của xã"))
        report.set("AB7", .text("Nợ quá hạn"))
        let r = try report.check()
        #expect(codes(r) == ["duplicate-column@AB7", "unknown-column@AA7"])
        #expect(r.allFindings.first { $0.code == .unknownColumn }?.severity == .info)
    }

    @Test func textInANumberCell() throws {
        var report = QuarterlyReport()
        report.set("J10", .text("chưa có"))
        let r = try report.check()
        #expect(codes(r) == ["type-error@J10"])
        #expect(r.allFindings[0].value == "chưa có")
    }

    @Test func ambiguousNumberIsNeverGuessed() throws {
        var report = QuarterlyReport()
        report.set("J10", .text("2.535"))    // decimal column: 2,535 or 2535?
        report.set("D10", .text("1.234"))    // integer column (households): one thousand two hundred and thirty-four
        report.set("C11", .text("8.010,5"))  // unambiguous Vietnamese decimal
        let r = try report.check()
        #expect(codes(r).contains("ambiguous-number@J10"))
        #expect(r.allFindings.first { $0.code == .ambiguousNumber }?.vi.contains("2,535 hoặc 2.535") == true)
        let rows = try #require(r.submissions.first?.rows)
        #expect(rows[1].numbers["households"] == 1234)
        #expect(rows[2].numbers["outstanding"] == 8010.5)
    }

    @Test func outOfRange() throws {
        var report = QuarterlyReport()
        report.set("J10", .number(-5))
        #expect(codes(try report.check()).contains("out-of-range@J10"))
    }

    /// Hundreds of digits typed (or pasted) into a number column read as infinity: refused
    /// with the cell named, never counted into a total no report could show.
    @Test func numberTooLargeToCountIsRefused() throws {
        var report = QuarterlyReport()
        report.set("D10", .text("1" + String(repeating: "0", count: 320)))
        let r = try report.check()
        #expect(codes(r).contains("out-of-range@D10"))
        #expect(r.status == .rejected)
        let f = try #require(r.allFindings.first { $0.cell == "D10" })
        #expect(f.vi.contains("quá lớn") && f.vi.contains("…"))
        #expect(r.submissions.first?.rows.allSatisfy { $0.numbers.values.allSatisfy(\.isFinite) } == true)
    }

    @Test func ruleBetweenFields() throws {
        var report = QuarterlyReport()
        report.set("J10", .number(99999))  // overdue above the outstanding balance
        let r = try report.check()
        let f = try #require(r.allFindings.first { $0.code == .ruleViolation })
        #expect(f.cell == "J10")
        #expect(f.vi.contains("Nợ quá hạn không được lớn hơn tổng dư nợ ủy thác"))
        #expect(f.vi.contains("xã Khánh Bình"))
        #expect(f.vi.contains("Nợ quá hạn = 99.999"))
    }

    @Test func wrongTotal() throws {
        var report = QuarterlyReport()
        report.set("D23", .number(4000))
        let r = try report.check()
        #expect(codes(r) == ["total-mismatch@D23"])
        #expect(r.allFindings[0].vi.contains("ghi 4.000 nhưng cộng các hàng trên được 4.200"))
    }

    @Test func moneyInDong() throws {
        var report = QuarterlyReport()
        report.set("V12", .number(35_200_000))
        report.set("V23", .formula("SUM(V9:V22)", cached: 35.2 * 13 + 35_200_000))
        let r = try report.check()
        #expect(codes(r) == ["unit-suspect@V12"])
        #expect(r.allFindings[0].severity == .error && r.allFindings[0].vi.contains("nhập theo triệu đồng: 35,2."))
        #expect(r.status == .rejected)
    }

    @Test func legacyEncodingsAreConvertedAndReported() throws {
        var report = QuarterlyReport()
        report.set("B11", .text("Khaùnh Ñoâng"))  // VNI
        report.set("B12", .text(tcvn3("Khánh Hiệp")))
        let r = try report.check()
        // One warning for the file, naming both encodings.
        #expect(codes(r).filter { $0.hasPrefix("legacy") } == ["legacy-encoding@B11"])
        #expect(r.allFindings.first { $0.code == .legacyEncoding }?.value == "TCVN3, VNI" || r.allFindings.first { $0.code == .legacyEncoding }?.value == "VNI, TCVN3")
        let keys = try #require(r.submissions.first?.rows.map(\.key))
        #expect(keys[2] == "Khánh Đông")
        #expect(keys[3] == "Khánh Hiệp")
    }

    @Test func unknownAndDuplicateCommunes() throws {
        var report = QuarterlyReport()
        report.set("B10", .text("Xã Không Có"))
        report.set("B12", .text("xa khanh vinh"))
        let r = try report.check()
        #expect(codes(r).contains("unknown-unit@B10"))
        #expect(codes(r).contains("duplicate-row@B12"))
        #expect(codes(r).contains { $0.hasPrefix("missing-row") })
    }

    @Test func blankRequiredCell() throws {
        var report = QuarterlyReport()
        report.cells.removeAll { $0.row == 10 && $0.column == QuarterlyReport.column("members") }
        #expect(codes(try report.check()).contains("missing-value@T10"))
    }

    @Test func nothingToTellWhoSentIt() throws {
        var report = QuarterlyReport()
        report.cells.removeAll { $0.row < FormLayout.headerRow }
        let r = try report.check("BC moi.xlsx")
        #expect(r.status == .unidentified)
        #expect(codes(r) == ["unidentified@-"])
        #expect(r.allFindings[0].vi.contains("không xác định được đơn vị"))
        // The folder alone is enough to place it.
        let placed = try report.check("Khanh Vinh/BC von quy 3.xlsx")
        #expect(placed.status == .accepted && placed.submissions.first?.unit?.code == "573")
    }

    @Test func contentAndFileNameDisagree() throws {
        let r = try QuarterlyReport().check("BC von quy 2 - Khanh Son.xlsx")
        #expect(Set(r.allFindings.map(\.code)) == [.identificationConflict, .periodConflict])
        #expect(r.submissions.first?.unit?.code == "573")
        // A period named two ways is an error held against the name's period; it counts for none.
        #expect(r.status == .rejected)
        #expect(r.submissions.first?.period == Period("2019-Q2"))
        #expect(r.allFindings.first { $0.code == .periodConflict }?.value == "2019-Q3")
    }

    func tcvn3(_ s: String) -> String {
        // glibc's TCVN charset, in reverse: the bytes a .VnTime font would hold, as Windows characters.
        let cd = iconv_open("TCVN", "UTF-8")
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2)
        let n = input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o -> Int in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress!).assumingMemoryBound(to: CChar.self)
                var il = i.count
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
                var ol = o.count
                _ = iconv(cd, &ip, &il, &op, &ol)
                return o.count - ol
            }
        }
        return String(String.UnicodeScalarView(output[0..<n].map { Unicode.Scalar($0) }))
    }
}

@Suite struct VietnameseNumberTests {
    @Test func readings() {
        #expect(VietnameseNumber.read("1.234,5", allowsDecimals: true) == .number(1234.5))
        #expect(VietnameseNumber.read("1,234.5", allowsDecimals: true) == .number(1234.5))
        #expect(VietnameseNumber.read("12,5%", allowsDecimals: true) == .number(12.5))
        #expect(VietnameseNumber.read("2.535", allowsDecimals: false) == .number(2535))
        #expect(VietnameseNumber.read("2.535", allowsDecimals: true) == .ambiguous(2.535, 2535))
        #expect(VietnameseNumber.read("1.234.567", allowsDecimals: true) == .number(1_234_567))
        #expect(VietnameseNumber.read("0,3", allowsDecimals: true) == .number(0.3))
        #expect(VietnameseNumber.read("1 234 567", allowsDecimals: true) == .number(1_234_567))
        #expect(VietnameseNumber.read("(15)", allowsDecimals: true) == .number(-15))
        #expect(VietnameseNumber.read("-", allowsDecimals: true) == .number(0))
        #expect(VietnameseNumber.read("không có", allowsDecimals: true) == .notANumber)
        #expect(VietnameseNumber.read("1.23.4", allowsDecimals: true) == .notANumber)
    }
}

@Suite struct IdentifierTests {
    let plan = try! PlanLoader.load(folder: Repo.plan2019)

    @Test func periodsAsPeopleWriteThem() {
        #expect(Identifier.periods(in: "Kỳ báo cáo: Quý III/2019", defaultYear: 2019) == [Period("2019-Q3")!])
        #expect(Identifier.periods(in: "tháng 10/2019", defaultYear: 2019) == [Period("2019-10")!])
        #expect(Identifier.periods(in: "BC T10-2019", defaultYear: 2019) == [Period("2019-10")!])
        #expect(Identifier.periods(in: "6 tháng đầu năm 2019", defaultYear: 2019).first == Period("2019-H1")!)
        #expect(Identifier.periods(in: "BC von quy 3 - Khanh Vinh", defaultYear: 2019) == [Period("2019-Q3")!])
        #expect(Identifier.periods(in: "Báo cáo năm 2018", defaultYear: 2019) == [Period("2018")!])
    }

    @Test func unitsWithOrWithoutDiacriticsAndPrefixes() {
        for text in ["Đơn vị: Hội LHPN huyện Khánh Vĩnh", "khanh vinh", "KHÁNH VĨNH", "H. Khánh Vĩnh",
                     "Khánh Vĩnh".decomposedStringWithCanonicalMapping] {
            #expect(Identifier.units(in: text, plan: plan).first?.code == "573", "\(text)")
        }
        #expect(Identifier.units(in: "TX. Ninh Hòa", plan: plan).first?.code == "572")
        #expect(Identifier.units(in: "HỘI LHPN TỈNH KHÁNH HÒA", plan: plan).isEmpty)
    }
}
