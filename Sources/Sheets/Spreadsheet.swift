// The reading interface shared by every format: sheets, rows of typed cells, merged ranges.
import Foundation

public enum SpreadsheetFormat: String, Sendable {
    case xlsx
    case csv

    public var displayName: String {
        switch self {
        case .xlsx: return "XLSX (Office Open XML)"
        case .csv: return "CSV"
        }
    }
}

public enum SheetState: String, Sendable {
    case visible, hidden, veryHidden
}

public enum SheetKind: String, Sendable {
    case worksheet, chartsheet, dialogsheet, macrosheet
}

public struct SheetInfo: Sendable, Equatable {
    /// 1-based position in the workbook's tab order.
    public var number: Int
    public var name: String
    public var state: SheetState
    public var kind: SheetKind
}

public struct Cell: Equatable, Sendable {
    public var column: Int
    public var value: CellValue
    /// The number is shown as a percentage (`0.125` shown `12,5%`): the stored value is the
    /// fraction, as Excel stores it.
    public var isPercent: Bool

    public init(column: Int, value: CellValue, isPercent: Bool = false) {
        self.column = column
        self.value = value
        self.isPercent = isPercent
    }
}

/// One row as the file stores it: only the cells that have a value, in column order.
public struct SheetRow: Sendable {
    public var number: Int
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    public func value(at column: Int) -> CellValue {
        cell(at: column)?.value ?? .empty
    }

    public func cell(at column: Int) -> Cell? {
        // Rows are short and sorted; a binary search keeps wide rows cheap.
        var lo = 0, hi = cells.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let c = cells[mid].column
            if c == column { return cells[mid] }
            if c < column { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}

/// What is known of a sheet after reading it through.
public struct SheetSummary: Sendable, Equatable {
    /// Last row and column holding a value (0 when the sheet is empty).
    public var lastRow: Int = 0
    public var lastColumn: Int = 0
    public var cellCount: Int = 0
    public var merged: [CellRange] = []
    /// The size the file claims (`<dimension>`), never trusted, kept for diagnosis.
    public var declaredDimension: String?

    public init() {}
}

/// A whole sheet in memory: convenient for small forms, never used for large sheets.
public struct SheetGrid: Sendable {
    public var info: SheetInfo
    public var rows: [SheetRow]
    public var summary: SheetSummary

    public func value(_ ref: CellReference) -> CellValue {
        row(ref.row)?.value(at: ref.column) ?? .empty
    }

    public func row(_ number: Int) -> SheetRow? {
        var lo = 0, hi = rows.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = rows[mid].number
            if r == number { return rows[mid] }
            if r < number { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}

public protocol Spreadsheet: AnyObject {
    var format: SpreadsheetFormat { get }
    var sheets: [SheetInfo] { get }
    /// Streams the rows of sheet `number` (1-based) in row order; only rows with a value.
    /// The row handed to `body` is only valid during the call.
    @discardableResult
    func readSheet(_ number: Int, _ body: (SheetRow) throws -> Void) throws -> SheetSummary
}

extension Spreadsheet {
    public func loadSheet(_ number: Int) throws -> SheetGrid {
        var rows: [SheetRow] = []
        let summary = try readSheet(number) { rows.append($0) }
        return SheetGrid(info: sheets[number - 1], rows: rows, summary: summary)
    }

    /// Finds a sheet by its name (exact, then case-insensitive) or by its 1-based number.
    public func sheetNumber(named nameOrNumber: String) -> Int? {
        if let s = sheets.first(where: { $0.name == nameOrNumber }) { return s.number }
        let folded = nameOrNumber.lowercased()
        if let s = sheets.first(where: { $0.name.lowercased() == folded }) { return s.number }
        if let n = Int(nameOrNumber), (1...sheets.count).contains(n) { return n }
        return nil
    }
}
