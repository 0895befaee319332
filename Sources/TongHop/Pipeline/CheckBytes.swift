// Pipeline: checking a file from the bytes the run read and hashed, never from its path.
import Foundation
import Sheets

extension FileCheck {
    /// Checks the bytes of a file named `relative` (its place in the inbox names the unit).
    public static func check(bytes: Data, relative: String, plan: Plan, limits: ReadLimits = .default) -> FileResult {
        received(read(bytes: bytes, relative: relative, plan: plan, limits: limits), plan: plan)
    }

    static func read(bytes: Data, relative: String, plan: Plan, limits: ReadLimits) -> FileResult {
        let name = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
        let book: any Spreadsheet
        do {
            book = try bytes.withUnsafeBytes { try Spreadsheets.open(bytes: $0, name: name, limits: limits, score: LegacyText.score(for: plan)) }
        } catch let e as SheetsError {
            var e = e
            e.file = relative
            return FileResult(file: relative, format: nil, submissions: [], findings: [problem(e, relative)])
        } catch {
            return FileResult(file: relative, format: nil, submissions: [], findings: [
                Finding(.error, .unreadableFile, file: relative, vi: "Không đọc được tệp: \(error)", en: "Cannot read the file: \(error)")])
        }
        do {
            return try check(book, relative: relative, plan: plan)
        } catch let e as SheetsError {
            return FileResult(file: relative, format: book.format, submissions: [], findings: [problem(e, relative)])
        } catch {
            return FileResult(file: relative, format: book.format, submissions: [], findings: [
                Finding(.error, .unreadableFile, file: relative, vi: "Không đọc được tệp: \(error)", en: "Cannot read the file: \(error)")])
        }
    }
}

extension FileResult {
    /// A file that could not be read (so nothing about its bytes is known), with why.
    public static func unread(_ file: String, vi: String, en: String) -> FileResult {
        FileResult(file: file, format: nil, submissions: [], findings: [Finding(.error, .unreadableFile, file: file, vi: vi, en: en)])
    }
}
