// Conformance on third-party workbooks read in place from ../shared/fixtures/real-world/:
// every sheet of every file against expectations derived from python-calamine (openpyxl where
// calamine cannot read the file) by scripts/real-world-expectations.py, which documents the
// canonical form. Dates and error cells are counted, not compared (README, "Reader").
import Crypto
import Foundation
import Testing
@testable import Sheets

enum RealWorld {
    static let repo = Fixture.folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repo.deletingLastPathComponent().appendingPathComponent("shared/fixtures/real-world")
    static let expectations = Fixture.folder.deletingLastPathComponent().appendingPathComponent("RealWorld/expectations.tsv")
    static var present: Bool { FileManager.default.fileExists(atPath: folder.path) }

    struct Expected {
        var number: Int, name: String, values: Int, dates: Int, digest: String
    }

    static func unescape(_ s: Substring) -> String {
        var out = "", escaped = false
        for ch in s {
            if escaped {
                switch ch { case "t": out.append("\t"); case "n": out.append("\n"); case "r": out.append("\r"); default: out.append(ch) }
                escaped = false
            } else if ch == "\\" { escaped = true } else { out.append(ch) }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func text(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard scalars.count > 4096 else { return escape(s) }
        func str(_ x: ArraySlice<Unicode.Scalar>) -> String { var t = ""; t.unicodeScalars.append(contentsOf: x); return t }
        return "\(scalars.count):\(escape(str(scalars.prefix(32))))...\(escape(str(scalars.suffix(32))))"
    }

    /// The canonical lines of a sheet, as the script makes them, and the counts.
    static func canonical(_ book: any Spreadsheet, _ number: Int) throws -> (lines: [String], dates: Int, errors: Int) {
        var lines: [String] = [], dates = 0, errors = 0
        try book.readSheet(number) { row in
            for c in row.cells {
                let key = "\(row.number),\(c.column)\t"
                switch c.value {
                case .empty: break
                case .number(let d):
                    lines.append(key + "n\t" + String(format: "%016llx", (d == 0 ? 0.0 : d).bitPattern) + "\n")
                case .text(let s): lines.append(key + "s\t" + text(s) + "\n")
                case .bool(let b): lines.append(key + "b\t" + (b ? "1" : "0") + "\n")
                case .dateTime, .duration: dates += 1
                case .error: errors += 1
                }
            }
        }
        return (lines, dates, errors)
    }
}

@Suite(.enabled(if: RealWorld.present, "../shared/fixtures/real-world is absent: conformance skipped"))
struct RealWorldTests {
    @Test func everySheetAsTheReferenceReadsIt() throws {
        let text = try String(contentsOf: RealWorld.expectations, encoding: .utf8)
        var expected: [String: [RealWorld.Expected]] = [:]
        var refused: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f[1] == "refused" { refused[String(f[0])] = String(f[2]); continue }
            expected[String(f[0]), default: []].append(RealWorld.Expected(
                number: Int(f[1])!, name: RealWorld.unescape(f[2]), values: Int(f[3])!, dates: Int(f[4])!, digest: String(f[6])))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: RealWorld.folder.path)
            .filter { $0.hasSuffix(".xlsx") || $0.hasSuffix(".xlsm") }.sorted()
        #expect(files.count == expected.count + refused.count, "files without expectations: rerun scripts/real-world-expectations.py")
        var sheetsCompared = 0, cellsCompared = 0, datesSeen = 0, errorsSeen = 0
        let dump = FileManager.default.temporaryDirectory.appendingPathComponent("real-world-differences")
        for file in files {
            let path = RealWorld.folder.appendingPathComponent(file).path
            let start = Date()
            if let reason = refused[file] {
                // Damaged on purpose: refused with the reason the script names.
                do {
                    let book = try Spreadsheets.open(path: path)
                    for s in book.sheets { try book.readSheet(s.number) { _ in } }
                    Issue.record("\(file): read, but it is damaged (\(reason))")
                } catch let e as SheetsError {
                    let words = reason.split(separator: " ", maxSplits: 1).map(String.init)
                    switch e.kind {
                    case .missingPart(let p): #expect(words == ["missingPart", p], "\(file): \(e)")
                    case .unlocatedSheet(let name, _, _): #expect(words == ["unlocatedSheet", name], "\(file): \(e)")
                    case .limitExceeded(let limit, _): #expect(words == ["limitExceeded", limit.rawValue], "\(file): \(e)")
                    default: Issue.record("\(file): refused for another reason: \(e)")
                    }
                }
                continue
            }
            let want = expected[file] ?? []
            let book: any Spreadsheet
            do { book = try Spreadsheets.open(path: path) } catch {
                Issue.record("\(file): refused: \(error)"); continue
            }
            #expect(book.sheets.map(\.name) == want.map(\.name), "\(file): sheet names")
            for w in want where w.number <= book.sheets.count {
                let got = try RealWorld.canonical(book, w.number)
                let digest = SHA256.hash(data: Data(got.lines.joined().utf8)).map { String(format: "%02x", $0) }.joined()
                sheetsCompared += 1
                cellsCompared += got.lines.count
                datesSeen += got.dates
                errorsSeen += got.errors
                if digest != w.digest || got.lines.count != w.values || got.dates != w.dates {
                    try? FileManager.default.createDirectory(at: dump, withIntermediateDirectories: true)
                    let out = dump.appendingPathComponent("\(file)-\(w.number).txt")
                    try? got.lines.joined().write(to: out, atomically: true, encoding: .utf8)
                    Issue.record("\(file) / \(w.name): \(got.lines.count) values (expected \(w.values)), \(got.dates) dates (expected \(w.dates)); lines in \(out.path)")
                }
            }
            let seconds = Date().timeIntervalSince(start)
            #expect(seconds < 20, "\(file): \(seconds) s")
        }
        print("real-world: \(files.count) files, \(sheetsCompared) sheets, \(cellsCompared) cells equal, \(datesSeen) dates and \(errorsSeen) errors not compared")
    }
}
