import Foundation
import Mustache
import Testing
@testable import TongHop

/// The shortcuts rendering takes for speed give exactly what the long way gives.
@Suite struct RenderingHotPathTests {
    static let texts = ["Huyện Cam Lâm", "a < b & c > d", "\"trích\" và 'nháy'", "<\u{301}b", "&\u{20DD}", "Tổng số".decomposedStringWithCanonicalMapping,
                        "", "x\u{202E}y", "👩‍👩‍👧 <3", "a&amp;b", "\u{FEFF}'"]

    /// The report templates escape HTML as swift-mustache's own escaping does, character for
    /// character (a < followed by a combining mark is one Character, left as it is by both).
    @Test(arguments: texts)
    func escapesAsMustacheDoes(_ text: String) throws {
        let plain = try MustacheTemplate(string: "<p title=\"{{x}}\">{{x}}</p>\n{{#list}}{{.}};{{/list}}")
        let fast = try MustacheTemplate(string: HTMLText.pragma + "<p title=\"{{x}}\">{{x}}</p>\n{{#list}}{{.}};{{/list}}")
        let context: [String: Any] = ["x": text, "list": [text, "<" + text]]
        #expect(Array(fast.render(context).unicodeScalars) == Array(plain.render(context).unicodeScalars))
    }

    /// A district's copy names made all at once are the names made one by one: names equal
    /// but for case or accents' encoding, the same name in two folders, names unlike any other.
    @Test func copyNamesAsOneByOne() {
        let names = ["BC Khánh Sơn.xlsx", "bc khánh sơn.xlsx", "2019-11/BC Khánh Sơn.xlsx", "BC Khánh Sơn.xlsx".decomposedStringWithCanonicalMapping,
                     "Biểu 1.xlsx", "Biểu 2.xlsm", "x\u{202E}y.xlsx", "Biểu 1.xlsx"]
        let all = FeedbackWorkbooks.outputNames(names)
        for n in names {
            #expect(all[n] == FeedbackWorkbooks.outputName(n, among: names))
        }
        #expect(Set(all.values).count >= 4)
    }

    /// Days and periods are written as String(format:) wrote them.
    @Test func daysWrittenAsFormatted() {
        for n in [0, 1, 9, 10, 99, 100, 999, 1000, 2019, 12345, -1, -42] {
            #expect(Day.padded(n, 2) == String(format: "%02d", n))
            #expect(Day.padded(n, 4) == String(format: "%04d", n))
        }
        let day = Day(year: 2019, month: 3, day: 7)!
        #expect(day.description == "2019-03-07")
        #expect(day.vietnamese == "07/03/2019")
        #expect(Period(kind: .month, year: 2019, index: 3)!.description == "2019-03")
        #expect(Period(kind: .month, year: 2019, index: 11)!.description == "2019-11")
    }

    /// Pieces made on all cores come back in their order, and a failure is the first piece's.
    @Test func piecesInOrder() throws {
        #expect(Parallel.map(500) { $0 * 2 } == Array(0..<500).map { $0 * 2 })
        struct Failed: Error { var index: Int }
        #expect(throws: Failed.self) {
            _ = try Parallel.map(200) { i in if i == 37 || i == 150 { throw Failed(index: i) }; return i }
        }
        do {
            _ = try Parallel.map(200) { i in if i == 37 || i == 150 { throw Failed(index: i) }; return i }
        } catch let e as Failed {
            #expect(e.index == 37)
        }
        let files = try Parallel.files((0..<50).map { i in { [("f\(i % 10)", Data([UInt8(i)]))] } })
        #expect(files.count == 10)
        #expect(files["f3"] == Data([43]))
    }
}
