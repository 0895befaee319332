// Rendering: CSV files that open correctly in Excel — UTF-8 with a BOM, RFC 4180 quoting,
// plain numbers with a `.` decimal point — and that cannot run a formula: a text cell that
// begins with = + - @, a tab or a line break is prefixed with ' (OWASP's advice).
import Foundation
import Sheets

public enum CSVExport {
    public enum Value: Sendable {
        case text(String)
        case number(Double?)
    }

    public static func neutralise(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return "=+-@\t\r\n\0".unicodeScalars.contains(first) ? "'" + s : s
    }

    public static func render(header: [String], rows: [[Value]]) -> Data {
        var out = "\u{FEFF}"
        out += CSVWriter.record(header.map(neutralise))
        for row in rows {
            out += CSVWriter.record(row.map { v in
                switch v {
                case .text(let s): return neutralise(s)
                case .number(let d): return d.map { NumberText.format(($0 * 1e9).rounded() / 1e9) } ?? ""
                }
            })
        }
        return Data(out.utf8)
    }
}
