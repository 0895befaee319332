import Foundation
import Sheets
import Testing

enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func open(_ name: String, limits: ReadLimits = .default) throws -> any Spreadsheet {
        try Spreadsheets.open(path: path(name), limits: limits)
    }

    /// A sheet as text lines of comma-joined display values, row 1 to the last row.
    static func text(_ book: any Spreadsheet, sheet: Int = 1) throws -> [[String]] {
        let grid = try book.loadSheet(sheet)
        var out: [[String]] = []
        for r in 1...max(grid.summary.lastRow, 1) {
            var line: [String] = []
            for c in 1...max(grid.summary.lastColumn, 1) {
                line.append(grid.value(CellReference(row: r, column: c)).displayText)
            }
            out.append(line)
        }
        return grid.summary.lastRow == 0 ? [] : out
    }

    /// The error a file is refused with, or nil when it opens and reads.
    static func refusal(_ name: String, limits: ReadLimits = .default) -> SheetsError? {
        do {
            let book = try open(name, limits: limits)
            for s in book.sheets { try book.readSheet(s.number) { _ in } }
            return nil
        } catch let e as SheetsError {
            return e
        } catch {
            return SheetsError(.io("\(error)"))
        }
    }
}

/// The shared corpus of workbooks made by other software, read in place when present. Absent,
/// its tests are skipped with a reason on a developer's machine and fail under CI (the
/// variable `CI` set), where a missing corpus would otherwise pass unseen.
enum Corpus {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static var exists: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("oracles").path) }

    /// Whether a missing corpus is a failure: under CI.
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static var skipReason: Comment {
        "the shared corpus \(folder.path) is absent: skipped (under CI, with CI set, this fails)"
    }
}
