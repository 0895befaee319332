// CSV as Excel and other producers write it: RFC 4180 quoting, `,` `;` or tab, any line
// ending, an optional `sep=` line. Every value is text: typing belongs to the form's schema.
import Foundation

public final class CSVSheet: Spreadsheet {
    public let format = SpreadsheetFormat.csv
    public let sheets: [SheetInfo]
    public let encoding: TextEncoding
    public let delimiter: Character
    /// Bytes of a mostly UTF-8 file that are not UTF-8 (with `encoding` `.utf8Mixed`).
    public let invalidUTF8: InvalidUTF8?
    private let rows: [SheetRow]
    private let summary: SheetSummary

    /// Parses CSV bytes; `name` becomes the sheet's name (the file name without extension).
    /// `score` chooses the encoding of bytes that are not UTF-8.
    public init(bytes: UnsafeRawBufferPointer, name: String, limits: ReadLimits = .default,
                score: VietnameseScore = VietnameseScore()) throws {
        if bytes.count > limits.maxFileBytes {
            throw SheetsError(.limitExceeded(.fileBytes, limit: limits.maxFileBytes))
        }
        let (text, encoding, invalid) = try TextDecoding.decode(bytes, score: score)
        self.encoding = encoding
        self.invalidUTF8 = invalid
        var scalars = Substring(text).unicodeScalars[...]
        var explicit: Character?
        // Excel's own hint line: "sep=;" names the delimiter and is not data.
        if text.hasPrefix("sep="), let nl = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = text[text.index(text.startIndex, offsetBy: 4)..<nl]
            if line.count == 1 { explicit = line.first }
            scalars = Substring(text[text.index(after: nl)...]).unicodeScalars[...]
        }
        let delimiter = explicit ?? CSVSheet.sniffDelimiter(scalars)
        self.delimiter = delimiter
        var parsed: [SheetRow] = []
        var summary = SheetSummary()
        try CSVSheet.parse(scalars, delimiter: delimiter.unicodeScalars.first!, limits: limits) { number, fields in
            var cells: [Cell] = []
            for (i, f) in fields.enumerated() where !f.isEmpty {
                cells.append(Cell(column: i + 1, value: .text(NFC.normalize(f))))
            }
            guard !cells.isEmpty else { return }
            summary.cellCount += cells.count
            if summary.cellCount > limits.maxCells {
                throw SheetsError(.limitExceeded(.cellCount, limit: limits.maxCells))
            }
            summary.lastRow = number
            summary.lastColumn = max(summary.lastColumn, cells.last!.column)
            parsed.append(SheetRow(number: number, cells: cells))
        }
        self.rows = parsed
        self.summary = summary
        self.sheets = [SheetInfo(number: 1, name: name, state: .visible, kind: .worksheet)]
    }

    @discardableResult
    public func readSheet(_ number: Int, _ body: (SheetRow) throws -> Void) throws -> SheetSummary {
        guard number == 1 else { throw SheetsError(.noSuchSheet(String(number))) }
        for r in rows { try body(r) }
        return summary
    }

    /// Picks among `,` `;` tab the one that splits the first lines into the same number of
    /// fields most often (quotes respected), preferring more fields on a tie.
    static func sniffDelimiter(_ text: Substring.UnicodeScalarView.SubSequence) -> Character {
        let candidates: [Unicode.Scalar] = [",", ";", "\t"]
        var counts: [[Int]] = Array(repeating: [], count: candidates.count)
        var current = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lines = 0
        var lineHasContent = false
        for s in text {
            if s == "\"" { inQuotes.toggle(); lineHasContent = true; continue }
            if inQuotes { continue }
            if s == "\n" || s == "\r" {
                if lineHasContent {
                    for i in candidates.indices { counts[i].append(current[i]) }
                    lines += 1
                    if lines >= 50 { break }
                }
                current = [Int](repeating: 0, count: candidates.count)
                lineHasContent = false
                continue
            }
            lineHasContent = true
            if let i = candidates.firstIndex(of: s) { current[i] += 1 }
        }
        if lineHasContent { for i in candidates.indices { counts[i].append(current[i]) } }
        var best = 0
        var bestScore = (-1, -1)
        for i in candidates.indices {
            let nonzero = counts[i].filter { $0 > 0 }
            guard let mode = Dictionary(grouping: nonzero, by: { $0 }).max(by: { $0.value.count < $1.value.count }) else { continue }
            let score = (mode.value.count, mode.key)
            if score > bestScore { bestScore = score; best = i }
        }
        return Character(candidates[best])
    }

    /// RFC 4180 with the usual leniency: CR, LF or CRLF ends a record; a quote inside an
    /// unquoted field is kept as text; an unterminated quote runs to the end of the file.
    static func parse(_ text: Substring.UnicodeScalarView.SubSequence, delimiter: Unicode.Scalar,
                      limits: ReadLimits, _ record: (Int, [String]) throws -> Void) throws {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var quotedField = false
        var line = 1
        var fieldBytes = 0
        var it = text.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endField() throws {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            quotedField = false
            fieldBytes = 0
        }
        while let s = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if s == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.append("\""); continue }
                        inQuotes = false
                        pending = n
                    } else {
                        inQuotes = false
                    }
                    continue
                }
                field.append(s)
                fieldBytes += 1
                if fieldBytes > limits.maxCellTextBytes {
                    throw SheetsError(.limitExceeded(.cellText, limit: limits.maxCellTextBytes),
                                      cell: CellReference(row: line, column: fields.count + 1).description)
                }
                continue
            }
            switch s {
            case "\"" where field.isEmpty && !quotedField:
                inQuotes = true
                quotedField = true
            case delimiter:
                try endField()
            case "\r", "\n":
                if s == "\r" {
                    if let n = it.next(), n != "\n" { pending = n }
                }
                try endField()
                try record(line, fields)
                fields.removeAll(keepingCapacity: true)
                line += 1
            default:
                field.append(s)
                fieldBytes += 1
                if fieldBytes > limits.maxCellTextBytes {
                    throw SheetsError(.limitExceeded(.cellText, limit: limits.maxCellTextBytes),
                                      cell: CellReference(row: line, column: fields.count + 1).description)
                }
            }
        }
        if !field.isEmpty || !fields.isEmpty || quotedField {
            try endField()
            try record(line, fields)
        }
    }
}
