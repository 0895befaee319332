// Operational failures of the readers: each carries what failed (file, zip entry, limit).
import Foundation

/// A file the readers cannot turn into cells. The reader fills in the entry and the kind;
/// `Spreadsheets.open` adds the file path.
public struct SheetsError: Error, Equatable, CustomStringConvertible {
    public enum Unsupported: String, Sendable {
        /// An Excel 97–2003 binary workbook (OLE container).
        case xls
        /// A password-protected workbook (OLE container with an EncryptedPackage stream).
        case encrypted
        /// An OpenDocument spreadsheet.
        case ods
        /// An Excel binary workbook (.xlsb).
        case xlsb
        /// A ZIP that holds no workbook.
        case zipWithoutWorkbook
        /// A web page or an Excel 2003 XML file renamed to .xls.
        case markup
        /// Bytes that are neither a workbook nor text.
        case binary
    }

    public enum Limit: String, Sendable {
        case entryBytes = "max-entry-bytes"
        case totalBytes = "max-total-bytes"
        case inflateRatio = "min-inflate-ratio"
        case entryCount = "max-entries"
        case cellCount = "max-cells"
        case cellText = "max-cell-text"
        case fileBytes = "max-file-bytes"
        case sheetCount = "max-sheets"
    }

    public enum Kind: Equatable, Sendable {
        case unsupported(Unsupported)
        /// The container is damaged: bad CRC, truncated, not a valid ZIP.
        case corrupt(String)
        /// A part is not well-formed XML; `line` is 1-based.
        case malformedXML(line: Int, detail: String)
        /// A part declares a DOCTYPE; OOXML forbids it and it is how entity attacks begin.
        case doctype
        /// A limit was reached; `limit` is the configured value.
        case limitExceeded(Limit, limit: Int)
        /// A relationship points outside the package or is external.
        case unsafeReference(String)
        /// A part the workbook needs is absent.
        case missingPart(String)
        /// The part of a listed sheet cannot be located: its relationship `relationshipId` is
        /// not in the relationships part `detail`, or (`relationshipId` empty) the sheet names
        /// none while a sheet part (`detail`) belongs to no listed sheet.
        case unlocatedSheet(name: String, relationshipId: String, detail: String)
        /// A cell reference outside Excel's grid or unreadable.
        case badCellReference(String)
        /// A shared-string index that the table does not have.
        case badSharedString(String)
        /// Text that is not in any encoding the reader knows.
        case undecodableText(String)
        case io(String)
        case noSuchSheet(String)
    }

    public var kind: Kind
    public var file: String?
    public var entry: String?
    /// The cell being read when it failed, when known.
    public var cell: String?

    public init(_ kind: Kind, file: String? = nil, entry: String? = nil, cell: String? = nil) {
        self.kind = kind
        self.file = file
        self.entry = entry
        self.cell = cell
    }

    public var description: String {
        var where_ = [file, entry.map { "entry \($0)" }, cell.map { "cell \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        if !where_.isEmpty { where_ += ": " }
        switch kind {
        case .unsupported(let u): return where_ + "unsupported format (\(u.rawValue))"
        case .corrupt(let d): return where_ + "damaged file: \(d)"
        case .malformedXML(let line, let d): return where_ + "malformed XML at line \(line): \(d)"
        case .doctype: return where_ + "XML part declares a DOCTYPE (refused)"
        case .limitExceeded(let l, let v): return where_ + "limit \(l.rawValue)=\(v) exceeded"
        case .unsafeReference(let t): return where_ + "relationship target refused: \(t)"
        case .missingPart(let p): return where_ + "missing part \(p)"
        case .unlocatedSheet(let name, let id, let detail):
            return where_ + (id.isEmpty ? "sheet \"\(name)\" names no part while \(detail) belongs to no sheet"
                                        : "sheet \"\(name)\": relationship \(id) not in \(detail)")
        case .badCellReference(let r): return where_ + "bad cell reference \(r)"
        case .badSharedString(let i): return where_ + "shared string index \(i) out of range"
        case .undecodableText(let d): return where_ + "undecodable text: \(d)"
        case .io(let d): return where_ + d
        case .noSuchSheet(let s): return where_ + "no sheet \(s)"
        }
    }
}

/// Ceilings on what a hostile file may cost. Every count is of bytes actually inflated or
/// cells actually read, never of sizes the file declares.
public struct ReadLimits: Sendable, Equatable {
    /// Uncompressed bytes of one ZIP entry.
    public var maxEntryBytes: Int = 1 << 30
    /// Uncompressed bytes of all entries read from one workbook.
    public var maxTotalBytes: Int = 2 << 30
    /// Smallest compressed/uncompressed ratio accepted once an entry passes `ratioCheckFrom`.
    /// Real sheets compress 5–50×; a bomb compresses 1000×.
    public var minInflateRatio: Double = 0.005
    public var ratioCheckFrom: Int = 4 << 20
    public var maxEntries: Int = 10_000
    /// Sheets a workbook may list. Each costs memory only for its name (sheets are read one at
    /// a time), and each real sheet needs a part of its own, so this matches `maxEntries`.
    public var maxSheets: Int = 10_000
    public var maxCells: Int = 50_000_000
    /// Excel's own cap is 32,767 characters; this counts UTF-8 bytes (4 per character at most).
    public var maxCellTextBytes: Int = 32_767 * 4
    /// Size of a CSV file, read whole.
    public var maxFileBytes: Int = 512 << 20

    public init() {}

    public static let `default` = ReadLimits()
}
