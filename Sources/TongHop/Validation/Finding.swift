// Validation: a problem found in a file, with where it is and how to fix it. Findings are
// collected, never thrown: one file's problems never stop the batch.
import Foundation

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
    public var vi: String
    public var en: String

    public init(_ severity: Severity, _ code: Code, file: String, sheet: String? = nil, cell: String? = nil,
                value: String? = nil, vi: String, en: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.value = value
        self.vi = vi
        self.en = en
    }

    public func message(_ language: Language) -> String { language == .vi ? vi : en }

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
