import ArgumentParser
import Foundation
import Sheets
import TongHop

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Xem chương trình đọc được gì từ một tệp: các trang, kích thước, và giá trị ô dạng CSV.",
        discussion: """
            Không có --csv: liệt kê các trang (số, tên, trạng thái, số hàng × cột, số vùng ô gộp) \
            và định dạng tệp. Có --csv: ghi giá trị của một trang ra màn hình dạng CSV (RFC 4180).
            """
    )

    @Argument(help: "Tệp .xlsx, .xlsm hoặc .csv cần xem.")
    var file: String

    @Option(name: .long, help: "Trang cần xem, theo tên hoặc số thứ tự (mặc định: trang đầu).")
    var sheet: String?

    @Flag(name: .long, help: "Ghi giá trị các ô của trang ra dạng CSV.")
    var csv = false

    @Option(name: .long, help: "Ngôn ngữ thông báo: vi hoặc en.")
    var lang: Language = .vi

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        defer { Output.flush() }
        let book: any Spreadsheet
        do {
            book = try Spreadsheets.open(path: file)
        } catch let e as SheetsError {
            throw Exit.fail(describe(e))
        }
        do {
            if csv {
                try writeCSV(book)
            } else {
                try list(book)
            }
        } catch let e as SheetsError {
            var e = e
            e.file = e.file ?? file
            throw Exit.fail(describe(e))
        }
    }

    private func describe(_ e: SheetsError) -> String {
        "\(file): \(ReadProblem(e).message(lang))"
    }

    /// The sheet named by --sheet; without it the first visible sheet, as Excel opens on a
    /// visible one (a very hidden first sheet is usually a macro's data).
    private func chosenSheet(_ book: any Spreadsheet) throws -> Int {
        guard let sheet else {
            return book.sheets.first { $0.state == .visible }?.number ?? 1
        }
        guard let n = book.sheetNumber(named: sheet) else {
            let names = book.sheets.map { "\($0.number). \($0.name)" }.joined(separator: ", ")
            throw Exit.fail(lang == .vi
                ? "\(file): không có trang \"\(sheet)\". Các trang của tệp: \(names)."
                : "\(file): no sheet \"\(sheet)\". The file's sheets: \(names).")
        }
        return n
    }

    /// Bytes of CSV held for one sheet before the padding to the widest row is known; a
    /// sheet larger than this is read a second time instead of held.
    static let heldCSVBytes = 256 << 20

    private struct TooLargeToHold: Error {}

    /// One pass: each row's fields are written as bytes into one buffer, then every line is
    /// padded to the sheet's width (known only at the end) on its way out. A sheet whose CSV
    /// would not fit in `heldCSVBytes` is measured first and streamed.
    private func writeCSV(_ book: any Spreadsheet) throws {
        let number = try chosenSheet(book)
        guard !book.sheets.isEmpty else { return }
        Output.flush()
        var held: [UInt8] = []
        held.reserveCapacity(1 << 20)
        // Per written line: end offset in `held` and number of fields on it.
        var lineEnds: [Int] = []
        var lineFields: [Int32] = []
        var next = 1
        do {
            let summary = try book.readSheet(number) { row in
                while next < row.number {
                    lineEnds.append(held.count); lineFields.append(0)
                    next += 1
                }
                var column = 1
                for c in row.cells {
                    while column < c.column { held.append(UInt8(ascii: ",")); column += 1 }
                    CSVWriter.appendCell(c.value, to: &held)
                }
                lineEnds.append(held.count); lineFields.append(Int32(column))
                next = row.number + 1
                if held.count > Inspect.heldCSVBytes { throw TooLargeToHold() }
            }
            let width = summary.lastColumn
            var out: [UInt8] = []
            out.reserveCapacity(1 << 16)
            var start = 0
            for (end, fields) in zip(lineEnds, lineFields) {
                out.append(contentsOf: held[start..<end])
                var f = max(Int(fields), 1)
                while f < width { out.append(UInt8(ascii: ",")); f += 1 }
                out.append(0x0D); out.append(0x0A)
                start = end
                if out.count >= 1 << 16 { Inspect.writeOut(out); out.removeAll(keepingCapacity: true) }
            }
            Inspect.writeOut(out)
        } catch is TooLargeToHold {
            held = []; lineEnds = []; lineFields = []
            try streamCSV(book, number)
        }
    }

    /// Two passes for a sheet too large to hold: the width first, then the lines.
    private func streamCSV(_ book: any Spreadsheet, _ number: Int) throws {
        let width = try book.readSheet(number) { _ in }.lastColumn
        var next = 1
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        func endLine(_ fields: Int) {
            var f = max(fields, 1)
            while f < width { out.append(UInt8(ascii: ",")); f += 1 }
            out.append(0x0D); out.append(0x0A)
            if out.count >= 1 << 16 { Inspect.writeOut(out); out.removeAll(keepingCapacity: true) }
        }
        try book.readSheet(number) { row in
            while next < row.number { endLine(0); next += 1 }
            var column = 1
            for c in row.cells {
                while column < c.column { out.append(UInt8(ascii: ",")); column += 1 }
                CSVWriter.appendCell(c.value, to: &out)
            }
            endLine(column)
            next = row.number + 1
        }
        Inspect.writeOut(out)
    }

    /// Writes bytes to standard output; a reader that went away ends the program quietly.
    static func writeOut(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(STDOUT_FILENO, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    Foundation.exit(0)
                }
                offset += n
            }
        }
    }

    private func list(_ book: any Spreadsheet) throws {
        let vi = lang == .vi
        var header = (vi ? "Tệp: " : "File: ") + file + "\n"
        var formatLine = (vi ? "Định dạng: " : "Format: ") + book.format.displayName
        if let x = book as? XLSXWorkbook {
            formatLine += vi ? (x.date1904 ? ", hệ ngày 1904" : ", hệ ngày 1900")
                             : (x.date1904 ? ", 1904 date system" : ", 1900 date system")
        }
        if let c = book as? CSVSheet {
            let delimiter = c.delimiter == "\t" ? "tab" : "'\(c.delimiter)'"
            formatLine += vi ? ", mã chữ \(c.encoding.rawValue), dấu phân cách \(delimiter)"
                             : ", encoding \(c.encoding.rawValue), delimiter \(delimiter)"
        }
        header += formatLine + "\n"
        header += (vi ? "Số trang: " : "Sheets: ") + String(book.sheets.count) + "\n\n"
        // Every sheet is read before anything is printed: a file that fails half-way prints
        // only its error.
        var table: [[String]] = [vi ? ["#", "Tên trang", "Trạng thái", "Hàng × Cột", "Vùng gộp", "Loại"]
                                    : ["#", "Sheet", "State", "Rows × Cols", "Merged", "Kind"]]
        for s in book.sheets {
            let summary = try book.readSheet(s.number) { _ in }
            let state: String
            switch s.state {
            case .visible: state = vi ? "hiện" : "visible"
            case .hidden: state = vi ? "ẩn" : "hidden"
            case .veryHidden: state = vi ? "ẩn sâu" : "very hidden"
            }
            let kind: String
            switch s.kind {
            case .worksheet: kind = vi ? "trang tính" : "worksheet"
            case .chartsheet: kind = vi ? "biểu đồ" : "chart sheet"
            case .dialogsheet: kind = vi ? "hộp thoại" : "dialog sheet"
            case .macrosheet: kind = vi ? "macro" : "macro sheet"
            }
            table.append([String(s.number), s.name, state, "\(summary.lastRow) × \(summary.lastColumn)",
                          String(summary.merged.count), kind])
        }
        Output.write(header)
        let widths = table[0].indices.map { i in table.map { $0[i].count }.max() ?? 0 }
        for row in table {
            let line = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
            Output.write(line + "\n")
        }
    }
}

