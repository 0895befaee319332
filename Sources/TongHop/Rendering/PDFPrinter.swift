// Rendering: the report printed to PDF by headless Chromium, when it is installed.
import Foundation

public enum PDFPrinter {
    static let browsers = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    public static func browser() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in browsers {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Prints `html` to `pdf` (replaced atomically). Returns why it could not, or nil.
    public static func print(html: String, to pdf: String, timeout: TimeInterval = 120) -> String? {
        guard let browser = browser() else { return "không có Chromium (apt-get install chromium)" }
        let temp = (pdf as NSString).deletingLastPathComponent + "/.tmp-\(getpid())-" + (pdf as NSString).lastPathComponent
        // Printed from a copy without links: a link in the PDF would be the machine's own
        // file:///… path, dead for anyone the PDF is sent to.
        let page = (html as NSString).deletingLastPathComponent + "/.tmp-\(getpid())-print.html"
        guard let text = FileManager.default.contents(atPath: html).map({ String(decoding: $0, as: UTF8.self) }) else {
            return "không đọc được \(html)"
        }
        guard FileManager.default.createFile(atPath: page, contents: Data(withoutLinks(text).utf8)) else { return "không ghi được \(page)" }
        defer { unlink(page) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(temp)",
                       URL(fileURLWithPath: page).absoluteString]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "không chạy được \(browser): \(error.localizedDescription)" }
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(100_000) }
        if p.isRunning { p.terminate(); return "Chromium không xong sau \(Int(timeout)) giây" }
        guard p.terminationStatus == 0, FileManager.default.fileExists(atPath: temp) else {
            unlink(temp)
            return "Chromium không in được (mã \(p.terminationStatus))"
        }
        guard rename(temp, pdf) == 0 else { unlink(temp); return String(cString: strerror(errno)) }
        return nil
    }

    /// The page with every `<a …>` made a `<span>`: same text, no link.
    static func withoutLinks(_ html: String) -> String {
        var out = html.replacingOccurrences(of: "</a>", with: "</span>")
        out = out.replacingOccurrences(of: "<a\\s[^>]*>", with: "<span>", options: .regularExpression)
        return out
    }
}
