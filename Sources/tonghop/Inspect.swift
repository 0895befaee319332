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

    private func chosenSheet(_ book: any Spreadsheet) throws -> Int {
        guard let sheet else { return 1 }
        guard let n = book.sheetNumber(named: sheet) else {
            let names = book.sheets.map { "\($0.number). \($0.name)" }.joined(separator: ", ")
            throw Exit.fail(lang == .vi
                ? "\(file): không có trang \"\(sheet)\". Các trang của tệp: \(names)."
                : "\(file): no sheet \"\(sheet)\". The file's sheets: \(names).")
        }
        return n
    }

    private func writeCSV(_ book: any Spreadsheet) throws {
        let number = try chosenSheet(book)
        guard !book.sheets.isEmpty else { return }
        // First pass for the width, so that every line has the same number of fields
        // without holding a large sheet in memory.
        let summary = try book.readSheet(number) { _ in }
        let width = summary.lastColumn
        var next = 1
        var fields = [String](repeating: "", count: width)
        try book.readSheet(number) { row in
            while next < row.number {
                Output.write(String(repeating: ",", count: max(width - 1, 0)) + "\r\n")
                next += 1
            }
            for i in fields.indices { fields[i] = "" }
            for c in row.cells where c.column <= width { fields[c.column - 1] = c.value.displayText }
            Output.write(CSVWriter.record(fields))
            next = row.number + 1
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

