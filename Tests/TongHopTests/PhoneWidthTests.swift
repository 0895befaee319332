import Foundation
import Testing
@testable import TongHop

/// No page is wider than a phone: the period index, the province's report and a district's
/// page, laid out by headless Chromium in a frame 390 px wide (a window cannot be made that
/// narrow), scroll only vertically; a wide table scrolls inside its own box, and no text
/// (a chart's label included) reaches past the right edge. Skipped, saying so, on a machine
/// without Chromium.
@Suite struct PhoneWidthTests {
    struct Layout: Decodable {
        var scrollWidth: Double
        var clientWidth: Double
        var outside: [String]
    }

    /// The page's layout at `width` px: its copy measures itself (the page's own policy
    /// forbids scripts, so the copy is made without it) and tells the frame around it.
    static func layout(_ page: String, width: Int) throws -> Layout {
        let browser = try #require(PDFPrinter.browser())
        let folder = (page as NSString).deletingLastPathComponent
        let stamp = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let probe = folder + "/.tmp-probe-\(stamp).html", frame = folder + "/.tmp-frame-\(stamp).html"
        defer { unlink(probe); unlink(frame) }
        var html = try String(contentsOfFile: page, encoding: .utf8)
        html = html.replacingOccurrences(of: #"<meta http-equiv="Content-Security-Policy"[^>]*>"#, with: "", options: .regularExpression)
        let script = """
            <script>(function () {
              var w = document.documentElement.clientWidth, outside = [];
              document.querySelectorAll('body *').forEach(function (e) {
                var r = e.getBoundingClientRect();
                if (r.width > 0 && r.right > w + 0.5 && !(e.parentElement && e.parentElement.closest('.scroll')))
                  outside.push(e.tagName.toLowerCase() + ' to ' + Math.round(r.right) + ' px: ' + (e.textContent || '').trim().slice(0, 50));
              });
              parent.postMessage(JSON.stringify({scrollWidth: document.documentElement.scrollWidth, clientWidth: w, outside: outside.slice(0, 12)}), '*');
            })();</script>
            """
        html = html.replacingOccurrences(of: "</body>", with: script + "</body>")
        try html.write(toFile: probe, atomically: true, encoding: .utf8)
        try """
            <!DOCTYPE html><html><body style="margin:0"><iframe src="\((probe as NSString).lastPathComponent)" style="width:\(width)px;height:900px;border:0"></iframe>
            <script>window.addEventListener('message', function (e) { document.body.setAttribute('data-layout', e.data); });</script></body></html>
            """.write(toFile: frame, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900",
                       "--virtual-time-budget=5000", "--dump-dom", URL(fileURLWithPath: frame).absoluteString]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let dom = String(decoding: data, as: UTF8.self)
        let attribute = try #require(dom.range(of: #"data-layout="[^"]*""#, options: .regularExpression).map { String(dom[$0]) },
                                     "Chromium did not lay out \(page)")
        let json = attribute.dropFirst("data-layout=\"".count).dropLast()
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Layout.self, from: Data(json.utf8))
    }

    @Test(.enabled(if: PDFPrinter.browser() != nil, "Chromium is not installed (apt-get install chromium): the pages' width on a phone is not checked"))
    func noPageIsWiderThanAPhone() throws {
        let report = MachineCSVTests.report
        for page in [report + "/../index.html", report + "/index.html", report + "/phan-hoi/574.html"] {
            let l = try Self.layout(page, width: 390)
            #expect(l.clientWidth == 390)
            #expect(l.scrollWidth <= l.clientWidth, "\(page) is \(l.scrollWidth) px wide at 390 px: \(l.outside.joined(separator: "; "))")
            #expect(l.outside.isEmpty, "\(page): past the right edge at 390 px: \(l.outside.joined(separator: "; "))")
        }
    }

    /// The check can fail: a table outside any scrolling box widens the page.
    @Test(.enabled(if: PDFPrinter.browser() != nil, "Chromium is not installed"))
    func aTooWidePageIsCaught() throws {
        let page = temporaryFolder("wide") + "/wide.html"
        try "<!DOCTYPE html><html><body><table><tr><td style=\"white-space:nowrap\">\(String(repeating: "Trang!Ô ", count: 40))</td></tr></table></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        let l = try Self.layout(page, width: 390)
        #expect(l.scrollWidth > 390)
        #expect(!l.outside.isEmpty)
    }
}
