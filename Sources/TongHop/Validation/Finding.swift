// Validation: a problem found in a file, with where it is and how to fix it. Findings are
// collected, never thrown: one file's problems never stop the batch.
import Foundation
import Sheets

public struct Finding: Sendable, Equatable, Codable {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case unsupportedFormat = "unsupported-format"
        case unreadableFile = "unreadable-file"
        case unidentified
        case identificationConflict = "identification-conflict"
        case missingColumn = "missing-column"
        case unknownColumn = "unknown-column"
        case duplicateColumn = "duplicate-column"
        case typeError = "type-error"
        case ambiguousNumber = "ambiguous-number"
        case outOfRange = "out-of-range"
        case ruleViolation = "rule-violation"
        case totalMismatch = "total-mismatch"
        case unitSuspect = "unit-suspect"
        case legacyEncoding = "legacy-encoding"
        case unknownUnit = "unknown-unit"
        case duplicateRow = "duplicate-row"
        case missingValue = "missing-value"
        case outlier
        case late
        case missingRow = "missing-row"
        case emptyFile = "empty-file"
        case periodConflict = "period-conflict"
        case periodNotEnded = "period-not-ended"
    }

    public var severity: Severity
    public var code: Code
    /// The file as the user knows it (relative to the inbox when there is one).
    public var file: String
    public var sheet: String?
    /// A1 reference, when the problem is in one cell.
    public var cell: String?
    /// The offending value as the file shows it.
    public var value: String?
    /// The whole sentence a clerk reads, the fix included (as the ledger stores it).
    public var vi: String
    public var en: String
    /// The fix alone, when the check that made the finding gave one (`Message.hint`); it is
    /// already the end of `vi`/`en`, and is kept apart for tools reading `check --format json`.
    public var hint: Message.Hint?
    /// 1-based row and column of `cell` (column A is 1), or of the row when the problem is a
    /// whole row; nil when the problem has no place in a sheet.
    public var row: Int?
    public var column: Int?

    public init(_ severity: Severity, _ code: Code, file: String, sheet: String? = nil, cell: String? = nil,
                value: String? = nil, vi: String, en: String) {
        self.init(severity, code, file: file, sheet: sheet, cell: cell, value: value, Message(vi: vi, en: en))
    }

    /// A finding saying `message`; its hint, when it has one, ends the sentence a clerk reads.
    public init(_ severity: Severity, _ code: Code, file: String, sheet: String? = nil, cell: String? = nil,
                row: Int? = nil, value: String? = nil, _ message: Message) {
        self.severity = severity
        self.code = code
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.value = value
        self.vi = message.withHint(.vi)
        self.en = message.withHint(.en)
        self.hint = message.hint
        let reference = cell.flatMap { CellReference($0) }
        self.row = reference?.row ?? row
        self.column = reference?.column
    }

    public func message(_ language: Language) -> String { language == .vi ? vi : en }

    /// The order a clerk reads a file's findings in: errors first, then warnings, then notes;
    /// within each, by sheet and then cell in reading order (row, then column). A finding of
    /// a whole sheet or row (no cell) comes before the cells of its sheet.
    public static func readingOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        func place(_ f: Finding) -> (String, Int, Int) {
            (f.sheet ?? "", f.column == nil ? 0 : f.row ?? 0, f.column ?? 0)
        }
        return place(a) < place(b)
    }

    /// `file:sheet!C17`, as far as it is known.
    public var location: String {
        var s = file
        if let sheet {
            s += ":" + sheet
            if let cell { s += "!" + cell }
        } else if let cell {
            s += ":" + cell
        }
        return s
    }
}

extension Severity: Codable {
    public var vietnamese: String {
        switch self {
        case .error: return "lỗi"
        case .warning: return "cảnh báo"
        case .info: return "ghi chú"
        }
    }
}
