import Foundation
import Testing
@testable import TongHop

/// The official blocks of a signed document — heading, number line, place and date, Nơi nhận
/// and the signature — as the plan's `official:` block makes them, pinned as a golden file.
/// Re-record after looking at the diff: TONGHOP_RECORD_GOLDEN=1 swift test --filter OfficialBlocks.
@Suite struct OfficialBlocksTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/official-blocks.html").path

    @Test func theBlocksMatchTheirGoldenFile() throws {
        let renderer = try ReportRenderer(plan: Self.plan)
        let report = try renderer.official(OfficialBlocks(plan: Self.plan, kind: .report, date: Day(year: 2019, month: 12, day: 5)))
        let letter = try renderer.official(OfficialBlocks(plan: Self.plan, kind: .letter, date: nil))
        let produced = Data(("<!-- báo cáo -->\n" + report.heading + report.signature
                             + "<!-- công văn, ngày để trống -->\n" + letter.heading + letter.signature).utf8)
        if ProcessInfo.processInfo.environment["TONGHOP_RECORD_GOLDEN"] != nil {
            try produced.write(to: URL(fileURLWithPath: Self.goldenPath))
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: Self.goldenPath), "no golden file: record it")
        #expect(String(decoding: produced, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func theParentBodyIsPlainAndTheIssuerBold() throws {
        let renderer = try ReportRenderer(plan: Self.plan)
        let html = try renderer.official(OfficialBlocks(plan: Self.plan, kind: .report, date: Day(year: 2019, month: 12, day: 5)))
        #expect(html.heading.contains("<span class=\"parent\">HỘI LHPN TỈNH KHÁNH HÒA</span><strong class=\"issuer\">BAN THƯỜNG VỤ</strong>"))
        #expect(html.heading.contains("Số: …/BC-HPN"))
        #expect(html.heading.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        #expect(html.heading.contains("Độc lập - Tự do - Hạnh phúc"))
        #expect(html.heading.contains("Khánh Hòa, ngày 05 tháng 12 năm 2019"))
        #expect(html.signature.contains("<li>Lưu VT.</li>"))
        #expect(html.signature.contains("<strong>TM. BAN THƯỜNG VỤ</strong><strong>CHỦ TỊCH</strong>"))
        let letter = try renderer.official(OfficialBlocks(plan: Self.plan, kind: .letter, date: nil))
        #expect(letter.heading.contains("Số: …/CV-HPN"))
        #expect(letter.heading.contains("Khánh Hòa, ngày … tháng … năm …"))
    }

    @Test func textFromThePlanIsEscaped() throws {
        var blocks = OfficialBlocks(plan: Self.plan, kind: .report, date: nil)
        blocks.recipients = ["<b>Ban Tổ chức</b> & Văn phòng"]
        blocks.signerName = "Nguyễn Thị <A>"
        let html = try ReportRenderer(plan: Self.plan).official(blocks)
        #expect(html.signature.contains("&lt;b&gt;Ban Tổ chức&lt;/b&gt; &amp; Văn phòng"))
        #expect(html.signature.contains("<strong>Nguyễn Thị &lt;A&gt;</strong>"))
        #expect(!html.signature.contains("………………………"))
    }
}
