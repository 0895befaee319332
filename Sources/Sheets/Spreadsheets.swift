// Opening a file: the format is decided by content, never by the file's extension.
import CZip
import Foundation

public enum Spreadsheets {
    /// What the first bytes of a file say it is.
    public enum Sniffed: Equatable, Sendable {
        case zip
        case ole
        case text
        case unsupported(SheetsError.Unsupported)
    }

    public static func sniff(_ head: UnsafeRawBufferPointer) -> Sniffed {
        let b = head.bindMemory(to: UInt8.self)
        if b.count >= 4, b[0] == 0x50, b[1] == 0x4B, (b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6) || (b[2] == 7 && b[3] == 8) {
            return .zip
        }
        if b.count >= 8, Array(b[0..<8]) == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            return .ole
        }
        // UTF-16 text starts with its BOM; other NUL bytes mean binary data.
        if b.count >= 2, (b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) { return .text }
        if b.contains(0) { return .unsupported(.binary) }
        // A web page or an Excel 2003 XML workbook saved with an .xls name.
        var start = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
        while start < b.count, b[start] == 0x20 || b[start] == 0x0A || b[start] == 0x0D || b[start] == 0x09 { start += 1 }
        let lead = String(decoding: b[start..<min(b.count, start + 64)], as: UTF8.self).lowercased()
        if lead.hasPrefix("<html") || lead.hasPrefix("<!doctype") || lead.hasPrefix("<table") || lead.hasPrefix("<?xml") {
            return .unsupported(.markup)
        }
        return .text
    }

    /// Opens a workbook or a CSV file. Every failure is a `SheetsError` naming the file.
    /// `score` chooses the encoding of a CSV file's bytes when they are not UTF-8.
    public static func open(path: String, limits: ReadLimits = .default,
                            score: VietnameseScore = VietnameseScore()) throws -> any Spreadsheet {
        do {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } catch {
                throw SheetsError(.io("cannot read the file: \((error as NSError).localizedDescription)"))
            }
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let book = try data.withUnsafeBytes { try open(bytes: $0, name: name, limits: limits, score: score) }
            (book as? XLSXWorkbook)?.path = path
            return book
        } catch var e as SheetsError {
            e.file = path
            throw e
        }
    }

    /// Opens a workbook or a CSV file held in memory; `name` names a CSV's single sheet.
    public static func open(bytes: UnsafeRawBufferPointer, name: String, limits: ReadLimits = .default,
                            score: VietnameseScore = VietnameseScore()) throws -> any Spreadsheet {
        if bytes.count > limits.maxFileBytes && sniff(UnsafeRawBufferPointer(rebasing: bytes.prefix(8))) != .zip {
            throw SheetsError(.limitExceeded(.fileBytes, limit: limits.maxFileBytes))
        }
        switch sniff(UnsafeRawBufferPointer(rebasing: bytes.prefix(512))) {
        case .zip:
            let archive = try ZipArchive(bytes: bytes, limits: limits)
            if let mimetype = archive.entry(named: "mimetype") {
                let text = String(decoding: try archive.readAll(mimetype).prefix(100), as: UTF8.self)
                if text.contains("opendocument") { throw SheetsError(.unsupported(.ods)) }
            }
            return try XLSXWorkbook(archive: archive, limits: limits)
        case .ole:
            throw SheetsError(.unsupported(isEncryptedPackage(bytes) ? .encrypted : .xls))
        case .unsupported(let kind):
            throw SheetsError(.unsupported(kind))
        case .text:
            return try CSVSheet(bytes: bytes, name: name, limits: limits, score: score)
        }
    }

    /// An encrypted OOXML workbook is an OLE container with a stream named EncryptedPackage
    /// (its directory stores names in UTF-16LE).
    static func isEncryptedPackage(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let needle = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let b = bytes.bindMemory(to: UInt8.self)
        guard b.count >= needle.count else { return false }
        var i = 0
        let last = b.count - needle.count
        while i <= last {
            if b[i] == needle[0] {
                var j = 1
                while j < needle.count, b[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
