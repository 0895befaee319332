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
            throw Exit.fail(file + ": " + Say.noSheet(sheet, known: names).text(lang))
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
        var header = Say.file.text(lang) + file + "\n"
        var formatLine = Say.format.text(lang) + book.format.displayName
        if let x = book as? XLSXWorkbook {
            formatLine += Say.dateSystem(x.date1904 ? 1904 : 1900).text(lang)
        }
        if let c = book as? CSVSheet {
            let delimiter = c.delimiter == "\t" ? "tab" : "'\(c.delimiter)'"
            formatLine += Say.csv(encoding: c.encoding.rawValue, delimiter: delimiter).text(lang)
        }
        header += formatLine + "\n"
        header += Say.sheets.text(lang) + String(book.sheets.count) + "\n\n"
        // Every sheet is read before anything is printed: a file that fails half-way prints
        // only its error.
        var table: [[String]] = [Say.columns.map { $0.text(lang) }]
        for s in book.sheets {
            let summary = try book.readSheet(s.number) { _ in }
            table.append([String(s.number), s.name, Say.state(s.state).text(lang), "\(summary.lastRow) × \(summary.lastColumn)",
                          String(summary.merged.count), Say.kind(s.kind).text(lang)])
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


extension Inspect {
    /// What `tonghop inspect` says, in both languages.
    enum Say {
        static let file = Message(vi: "Tệp: ", en: "File: ")
        static let format = Message(vi: "Định dạng: ", en: "Format: ")
        static let sheets = Message(vi: "Số trang: ", en: "Sheets: ")
        static let columns = [Message.same("#"), Message(vi: "Tên trang", en: "Sheet"), Message(vi: "Trạng thái", en: "State"),
                              Message(vi: "Hàng × Cột", en: "Rows × Cols"), Message(vi: "Vùng gộp", en: "Merged"), Message(vi: "Loại", en: "Kind")]

        static func noSheet(_ sheet: String, known: String) -> Message {
            Message(vi: "không có trang \"\(sheet)\". Các trang của tệp: \(known).", en: "no sheet \"\(sheet)\". The file's sheets: \(known).")
        }

        static func dateSystem(_ year: Int) -> Message {
            Message(vi: ", hệ ngày \(year)", en: ", \(year) date system")
        }

        static func csv(encoding: String, delimiter: String) -> Message {
            Message(vi: ", mã chữ \(encoding), dấu phân cách \(delimiter)", en: ", encoding \(encoding), delimiter \(delimiter)")
        }

        static func state(_ state: SheetState) -> Message {
            switch state {
            case .visible: return Message(vi: "hiện", en: "visible")
            case .hidden: return Message(vi: "ẩn", en: "hidden")
            case .veryHidden: return Message(vi: "ẩn sâu", en: "very hidden")
            }
        }

        static func kind(_ kind: SheetKind) -> Message {
            switch kind {
            case .worksheet: return Message(vi: "trang tính", en: "worksheet")
            case .chartsheet: return Message(vi: "biểu đồ", en: "chart sheet")
            case .dialogsheet: return Message(vi: "hộp thoại", en: "dialog sheet")
            case .macrosheet: return Message(vi: "macro", en: "macro sheet")
            }
        }
    }
}
