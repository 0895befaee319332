import Foundation
import Sheets
import Testing
@testable import TongHop

/// The rendered reports of the sample inbox, pinned as golden files. Re-record them, after
/// looking at what changed, with TONGHOP_RECORD_GOLDEN=1 swift test --filter ReportGolden.
/// Recording fails every test it rewrote (so that it can never be left on): run once more
/// without the variable, after reading `git diff Tests/TongHopTests/Golden`, to see them pass.
@Suite struct ReportGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let work: String = {
        let w = temporaryFolder("golden")
        _ = try! runJob(inbox: Repo.root.appendingPathComponent("samples/inbox").path, work: w)
        return w
    }()

    static let pinned = ["2019-11/index.html", "2019-11/phan-hoi/573.html", "2019-11/phan-hoi/570.html",
                         "2019-11/csv/trang-thai-nop.csv", "2019-11/csv/chi-tieu.csv",
                         "2019-11/csv/tong-hop-capital-quarterly-2019-Q3.csv", "2019-11/summary.json", "index.html"]

    @Test(arguments: pinned)
    func matchesGolden(file: String) throws {
        let produced = try #require(FileManager.default.contents(atPath: Self.work + "/reports/" + file))
        let goldenPath = Self.golden + "/" + file
        if ProcessInfo.processInfo.environment["TONGHOP_RECORD_GOLDEN"] != nil {
            try FileManager.default.createDirectory(atPath: (goldenPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let before = FileManager.default.contents(atPath: goldenPath)
            try produced.write(to: URL(fileURLWithPath: goldenPath))
            Issue.record("""
                TONGHOP_RECORD_GOLDEN is set: \(file) was re-recorded (\(before == produced ? "unchanged" : "changed")) \
                instead of compared. Read git diff \(goldenPath), then run again without the variable.
                """)
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: goldenPath), "no golden file \(file): record it")
        #expect(produced == expected, "\(file) differs from its golden file (diff \(Self.work)/reports/\(file) \(goldenPath))")
    }

    @Test func theReportIsSelfContained() throws {
        let html = try String(contentsOfFile: Self.work + "/reports/2019-11/index.html", encoding: .utf8)
        #expect(html.contains("default-src 'none'"))
        #expect(!html.contains("<script"))
        // Nothing loaded from anywhere: no link, script, image or style source by URL.
        #expect(!html.contains("<link") && !html.contains("src=") && !html.contains("url("))
        let outside = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!outside.contains("http://") && !outside.contains("https://"))
        #expect(html.contains("<svg"))
        #expect(html.contains("Khánh Hòa, ngày 05 tháng 12 năm 2019"))
        #expect(html.contains("ĐVT: tiền tính bằng triệu đồng"))
        // Vietnamese number style in the page, plain numbers in the CSV.
        #expect(html.contains("0,25"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.work + "/reports/2019-11/csv/chi-tieu.csv"))
        #expect(bytes.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let csv = String(decoding: bytes, as: UTF8.self)
        #expect(csv.contains(",0.25,"))
    }

    /// The sample inbox's story as the board reads it: coverage, like-for-like changes,
    /// progress, unions and verdict digits (issue 12, items 2, 4, 8, 9 and 10).
    @Test func theBoardSeesWhatEachFigureStandsOn() throws {
        let html = try String(contentsOfFile: Self.work + "/reports/2019-11/index.html", encoding: .utf8)
        // Diên Khánh's November is missing; Cam Lâm's 2018 evaluation was an unreadable .xls.
        #expect(html.contains("Toàn tỉnh <span class=\"muted\">(7/8 đơn vị — thiếu Huyện Diên Khánh)</span>"))
        #expect(html.contains("Toàn tỉnh <span class=\"muted\">(7/8 đơn vị — thiếu Huyện Cam Lâm)</span>"))
        #expect(html.contains("Toàn tỉnh: thiếu số liệu của Huyện Diên Khánh"))
        // Q2 → Q3 on the 6 districts with both (Cam Lâm's Q2 was rejected, Diên Khánh's Q3
        // savings were typed in đồng and its report refused).
        #expect(html.contains("So sánh trên 6 đơn vị có số liệu cả hai kỳ (không tính Huyện Cam Lâm, Huyện Diên Khánh)."))
        // December is still to come: progress, not ✗.
        #expect(html.contains("<span class=\"mark\">→</span> 79,9"))
        #expect(html.contains("mức cần đạt đến nay ≥ 68,75%"))
        // Per union, and the district only when all its unions are.
        #expect(html.contains("67/118 cơ sở Hội đạt; huyện đạt khi mọi cơ sở Hội của huyện đạt"))
        // Cam Ranh's 0,31 next to Nha Trang's 0,25 against ≤ 0,3.
        #expect(html.contains("<span class=\"mark\">✗</span> 0,31</td>"))
        #expect(html.contains("<span class=\"mark\">✓</span> 0,25</td>"))
        // Numerators, denominators and baselines.
        #expect(html.contains("mẫu số: Số hộ đăng ký giúp năm 2019 = 164"))
        #expect(html.contains("Dư nợ tín chấp qua Hội (Agribank) tại 31/12/2018 = 115.100"))
        let csv = try String(contentsOfFile: Self.work + "/reports/2019-11/csv/tong-hop-capital-quarterly-2019-Q3.csv", encoding: .utf8)
        // The province row stands on 7 units; Diên Khánh's row is empty (no data), never 0.
        #expect(csv.contains("\r\nunits_with_data,Số đơn vị có số liệu,7,7,"))
        #expect(csv.contains("\r\n574,Huyện Diên Khánh,,,"))
    }

    @Test func lateReportsAndOutliersFromTheLedger() throws {
        let html = try String(contentsOfFile: Self.work + "/reports/2019-11/index.html", encoding: .utf8)
        // Diên Khánh's Q3 savings typed in đồng are refused at each cell and never summed:
        // no figure of 738.000.000 triệu đồng anywhere, and so no outlier either.
        #expect(html.contains("[unit-suspect]") && html.contains("nhập theo triệu đồng: "))
        #expect(!html.contains("738.000.000"))
        #expect(!html.contains("[outlier]"))
        // Vạn Ninh's October report, three days late.
        #expect(html.contains("Tháng 10/2019 nộp muộn 3 ngày (hạn 16/10/2019, nhận 19/10/2019)"))
        let page = try String(contentsOfFile: Self.work + "/reports/2019-11/phan-hoi/571.html", encoding: .utf8)
        #expect(page.contains("[late]"))
    }

    @Test func everyDistrictGetsItsFeedbackPage() throws {
        for code in ["568", "569", "570", "571", "572", "573", "574", "575"] {
            #expect(FileManager.default.fileExists(atPath: Self.work + "/reports/2019-11/phan-hoi/\(code).html"))
        }
        let page = try String(contentsOfFile: Self.work + "/reports/2019-11/phan-hoi/570.html", encoding: .utf8)
        #expect(page.contains("Kính gửi: <strong>Hội LHPN huyện Cam Lâm</strong>"))
        #expect(page.contains("Sheet1!C21"))
        #expect(page.contains("Bị từ chối, cần sửa và gửi lại"))
        // Its own workbook comes back with the wrong total marked.
        #expect(page.contains("href=\"570/BC%20von%20quy%202%20-%20Cam%20Lam%20(gop%20y).xlsx\""))
        let copy = try Spreadsheets.open(path: Self.work + "/reports/2019-11/phan-hoi/570/BC von quy 2 - Cam Lam (gop y).xlsx")
        #expect(copy.sheets.map(\.name) == ["Góp ý", "Sheet1"])
        let notes = try copy.loadSheet(1)
        #expect(notes.value(CellReference("B4")!) == .text("C21"))
        #expect(notes.value(CellReference("D4")!) == .text("total-mismatch"))
        let original = try Spreadsheets.open(path: Repo.root.appendingPathComponent("samples/inbox/Cam Lam/BC von quy 2 - Cam Lam.xlsx").path)
        #expect(try copy.loadSheet(2).rows.map(\.cells) == original.loadSheet(1).rows.map(\.cells))
        // Files with nothing to fix get no copy.
        #expect(!FileManager.default.fileExists(atPath: Self.work + "/reports/2019-11/phan-hoi/568"))
    }
}

@Suite struct HostileTextTests {
    @Test func nothingFromAFileBecomesMarkupOrAFormula() throws {
        let inbox = temporaryFolder("hostile")
        var report = QuarterlyReport()
        report.set("B10", .text("</style><script>alert(1)</script>"))
        report.set("B11", .text("\"onmouseover=alert(2) x=\""))
        report.set("J12", .text("=HYPERLINK(\"http://evil\")"))
        report.set("J13", .text("@SUM(1+1)"))
        report.draft.sheets[0].name = "<b>Biểu</b>"
        let folder = inbox + "/Khanh Vinh"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = "<img src=x onerror=alert(3)> BC von quy 3.xlsx"
        try XLSXWriter.write(report.draft, to: folder + "/" + name)
        let work = temporaryFolder("hostile-work")
        _ = try runJob(inbox: inbox, work: work)
        let reports = work + "/reports/2019-11"
        for page in ["index.html", "phan-hoi/573.html"] {
            let html = try String(contentsOfFile: reports + "/" + page, encoding: .utf8)
            #expect(!html.contains("<script"), "\(page)")
            #expect(!html.contains("<img"), "\(page)")
            #expect(!html.contains("<b>Biểu"), "\(page)")
            #expect(!html.contains("\"onmouseover"), "\(page)")
            #expect(html.components(separatedBy: "</style>").count == 2, "\(page): a </style> from a file closed the style")
        }
        let feedback = try String(contentsOfFile: reports + "/phan-hoi/573.html", encoding: .utf8)
        #expect(feedback.contains("&lt;img src=x onerror=alert(3)&gt;"))
        #expect(feedback.contains("&lt;/style&gt;&lt;script&gt;"))
        let csv = try String(contentsOfFile: reports + "/csv/chat-luong-du-lieu.csv", encoding: .utf8)
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","))
        #expect(csv.contains(",'@SUM(1+1)"))
        #expect(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"))
        #expect(!csv.contains(",@SUM"))
    }

    @Test func csvNeutralisation() {
        #expect(CSVExport.neutralise("=1+1") == "'=1+1")
        #expect(CSVExport.neutralise("+84 90") == "'+84 90")
        #expect(CSVExport.neutralise("-x") == "'-x")
        #expect(CSVExport.neutralise("\tx") == "'\tx")
        #expect(CSVExport.neutralise("Khánh Vĩnh") == "Khánh Vĩnh")
        let data = CSVExport.render(header: ["a"], rows: [[.number(-5)], [.text("-5")]])
        #expect(String(decoding: data, as: UTF8.self) == "\u{FEFF}a\r\n-5\r\n'-5\r\n")
    }

    @Test func unitCodesNeverBecomeUnsafePaths() {
        #expect(Show.fileName("573") == "573")
        #expect(Show.fileName("01-002") == "01-002")
        #expect(!Show.fileName("../../etc").contains("/"))
        #expect(!Show.fileName("a b").contains(" "))
    }
}

/// The board's report read as printed and the district pages as read on a phone (issue 15):
/// the official layout, the conclusions first, ties, units, periods said once, nothing asked
/// of a file already replaced.
@Suite struct ReportLayoutTests {
    static var index: String { try! String(contentsOfFile: ReportGoldenTests.work + "/reports/2019-11/index.html", encoding: .utf8) }

    @Test func theReportIsAnOfficialBaoCaoWithItsConclusionsFirst() throws {
        let html = Self.index
        let order = ["<span class=\"parent\">HỘI LHPN TỈNH KHÁNH HÒA</span><strong class=\"issuer\">BAN THƯỜNG VỤ</strong>", "Số: …/BC-HPN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Khánh Hòa, ngày 05 tháng 12 năm 2019",
                     "tháng 11/2019", "số liệu từ ngày 15/10/2019 đến ngày 14/11/2019", "Tạm tính",
                     "<h2>I. Kết quả chính</h2>", "Đã nhận 140/144 báo cáo đến hạn", "Những vấn đề lớn nhất",
                     "<h2>II. Tình hình nộp báo cáo</h2>", "<h2>V. Thay đổi", "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "Phụ lục: Chất lượng số liệu"]
        var at = html.startIndex
        for text in order {
            let r = try #require(html.range(of: text, range: at..<html.endIndex), "\"\(text)\" missing or out of order")
            at = r.upperBound
        }
        #expect(html.components(separatedBy: "<ol class=\"problems\">")[1].components(separatedBy: "</ol>")[0]
            .components(separatedBy: "<li>").count - 1 == 3)
        // Words for the screen are not printed.
        for word in ["Bấm tên đơn vị", "Di chuột"] {
            let before = try #require(html.range(of: word)).lowerBound
            #expect(html[..<before].hasSuffix("<span class=\"screen-only\">"))
        }
        #expect(html.contains("@bottom-center { content: \"Trang \" counter(page)"))
    }

    @Test func tiedDistrictsShareARank() throws {
        let body = Self.index.components(separatedBy: "<h3>Xếp hạng thi đua</h3>")[1].components(separatedBy: "</table>")[0]
        let rows = body.components(separatedBy: "<tr><td class=\"num\">").dropFirst().map { row -> (String, String) in
            let cells = row.components(separatedBy: "</td>")
            return (cells[0], cells[2].replacingOccurrences(of: "<td class=\"num\">", with: ""))
        }
        #expect(rows.count == 8)
        for (a, b) in zip(rows, rows.dropFirst()) where a.1 == b.1 { #expect(a.0 == b.0, "\(a) and \(b) tie but rank differently") }
        #expect(Set(rows.map(\.0)).count < rows.count, "the sample has ties")
    }

    @Test func unitsAndPeriodsAreSaidOnce() throws {
        let pages = try [Self.index] + (FileManager.default.contentsOfDirectory(atPath: ReportGoldenTests.work + "/reports/2019-11/phan-hoi"))
            .filter { $0.hasSuffix(".html") }
            .map { try String(contentsOfFile: ReportGoldenTests.work + "/reports/2019-11/phan-hoi/" + $0, encoding: .utf8) }
        for page in pages {
            #expect(!page.contains("(trường hợp)<br><span class=\"muted\">(trường hợp)"))
            #expect(!page.contains("năm 2018 — Năm 2018") && !page.contains("năm 2018</strong> — Năm 2018"))
            #expect(!page.contains("<br><span class=\"muted\">()</span>"))
        }
    }

    @Test func aFileAlreadyReplacedIsNotAskedFor() throws {
        let appendix = Self.index.components(separatedBy: "Phụ lục: Chất lượng số liệu")[1]
        let ninhHoa = try #require(appendix.components(separatedBy: "<h3>").first { $0.hasPrefix("Thị xã Ninh Hòa") })
        #expect(ninhHoa.contains("Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx"))
        #expect(ninhHoa.contains("không cần gửi lại"))
        let camLam = try #require(appendix.components(separatedBy: "<h3>").first { $0.hasPrefix("Huyện Cam Lâm") })
        #expect(!camLam.contains("không cần gửi lại"))
    }

    @Test func aDistrictPageStartsWithWhatToDo() throws {
        let page = try String(contentsOfFile: ReportGoldenTests.work + "/reports/2019-11/phan-hoi/570.html", encoding: .utf8)
        let todo = try #require(page.range(of: "<h2>1. Việc cần làm</h2>"))
        let reports = try #require(page.range(of: "<h2>3. Các báo cáo của đơn vị</h2>"))
        #expect(todo.lowerBound < reports.lowerBound)
        #expect(page.contains("<span class=\"chip rejected\"><span class=\"mark\">⊘</span> Bị từ chối</span> <strong>Báo cáo số liệu các nguồn vốn quý</strong> — Quý II/2019"))
        // No wide table of cells: findings are a list; the page's tables stack on a phone.
        #expect(!page.contains("<th>Trang!Ô</th>"))
        #expect(page.contains("<ul class=\"findings\">"))
        #expect(page.contains("table.stack thead { display: none; }"))
    }
}
