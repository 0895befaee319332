// An XLSX workbook: the package is opened once (relationships, workbook, styles, shared
// strings), then each worksheet is streamed on demand.
import Foundation

public final class XLSXWorkbook: Spreadsheet {
    public let format = SpreadsheetFormat.xlsx
    public private(set) var sheets: [SheetInfo] = []
    public private(set) var date1904 = false
    /// The file it was opened from, named in errors.
    public var path: String?

    let archive: ZipArchive
    private let limits: ReadLimits
    private(set) var sheetParts: [String?] = []
    /// The workbook part (`xl/workbook.xml` usually) and the styles part, when there is one.
    private(set) var workbookPart = "xl/workbook.xml"
    private(set) var stylesPart: String?
    private var sharedStrings: [String] = []
    private var styleKinds: [NumberFormatKind] = []

    public convenience init(path: String, limits: ReadLimits = .default) throws {
        try self.init(archive: ZipArchive(path: path, limits: limits), limits: limits)
    }

    public convenience init(bytes: UnsafeRawBufferPointer, limits: ReadLimits = .default) throws {
        try self.init(archive: ZipArchive(bytes: bytes, limits: limits), limits: limits)
    }

    init(archive: ZipArchive, limits: ReadLimits) throws {
        self.archive = archive
        self.limits = limits
        try load()
    }

    private static let officeDocument = ["/officeDocument", "/ooxml/officeDocument"]

    private func relationships(of part: String) throws -> [Relationship] {
        guard let entry = archive.entry(named: PartPath.relationshipsPart(of: part)) else { return [] }
        let handler = RelationshipsHandler()
        try archive.parse(entry, with: handler)
        return handler.relationships
    }

    private func load() throws {
        // The workbook part is named by the package relationships; fall back to the usual name.
        if let rel = try relationships(of: "").first(where: { $0.type.hasSuffix("/officeDocument") }) {
            guard !rel.external, let resolved = PartPath.resolve(rel.target, from: "") else {
                throw SheetsError(.unsafeReference(rel.target), entry: "_rels/.rels")
            }
            workbookPart = resolved
        }
        guard let workbookEntry = archive.entry(named: workbookPart) else {
            if archive.entry(named: "xl/workbook.bin") != nil { throw SheetsError(.unsupported(.xlsb)) }
            // Parts of a workbook without its workbook part: a damaged workbook, not a ZIP
            // that merely holds no workbook.
            let looksLikeWorkbook = archive.entries.contains {
                $0.name.lowercased().hasPrefix("xl/") || $0.name == "[Content_Types].xml"
            }
            if looksLikeWorkbook { throw SheetsError(.missingPart(workbookPart)) }
            throw SheetsError(.unsupported(.zipWithoutWorkbook))
        }
        let workbook = WorkbookHandler(maxSheets: limits.maxSheets)
        try archive.parse(workbookEntry, with: workbook)
        date1904 = workbook.date1904

        let rels = try relationships(of: workbookPart)
        let relsName = PartPath.relationshipsPart(of: workbookPart)
        func target(_ rel: Relationship) throws -> String {
            guard !rel.external, let resolved = PartPath.resolve(rel.target, from: workbookPart) else {
                throw SheetsError(.unsafeReference(rel.target), entry: relsName)
            }
            return resolved
        }

        if let rel = rels.first(where: { $0.type.hasSuffix("/styles") }),
           let entry = archive.entry(named: try target(rel)) {
            stylesPart = entry.name
            let styles = StylesHandler()
            try archive.parse(entry, with: styles)
            styleKinds = styles.styleKinds()
        }
        if let rel = rels.first(where: { $0.type.hasSuffix("/sharedStrings") }),
           let entry = archive.entry(named: try target(rel)) {
            let handler = SharedStringsHandler(cap: limits.maxCellTextBytes)
            try archive.parse(entry, with: handler)
            sharedStrings = handler.strings
        }

        // Each sheet is located through its relationship. One that cannot be located is
        // damage, never an empty sheet: the data it held would be lost without a word.
        let sheetTypes = ["/worksheet", "/chartsheet", "/dialogsheet", "/xlMacrosheet", "/macrosheet"]
        let referenced = Set(workbook.sheets.map(\.relationshipId))
        let orphanParts = rels.filter { rel in
            !referenced.contains(rel.id) && sheetTypes.contains { rel.type.hasSuffix($0) }
        }
        let relsPresent = archive.entry(named: relsName) != nil
        for s in workbook.sheets {
            if s.relationshipId.isEmpty {
                // Excel keeps Excel 5 VBA modules and old macro sheets as `<sheet r:id="">`:
                // placeholders with no part, not sheets. But when sheet parts exist that no entry
                // names, which entry they belong to cannot be known: the file is damaged.
                if let orphan = orphanParts.first {
                    throw SheetsError(.unlocatedSheet(name: s.name, relationshipId: "", detail: orphan.target),
                                      entry: workbookEntry.name)
                }
                continue
            }
            guard let rel = rels.first(where: { $0.id == s.relationshipId }) else {
                if !relsPresent { throw SheetsError(.missingPart(relsName)) }
                throw SheetsError(.unlocatedSheet(name: s.name, relationshipId: s.relationshipId, detail: relsName),
                                  entry: workbookEntry.name)
            }
            var kind = SheetKind.worksheet
            if rel.type.hasSuffix("/chartsheet") { kind = .chartsheet }
            else if rel.type.hasSuffix("/dialogsheet") { kind = .dialogsheet }
            else if rel.type.hasSuffix("/xlMacrosheet") || rel.type.hasSuffix("/macrosheet") { kind = .macrosheet }
            sheets.append(SheetInfo(number: sheets.count + 1, name: s.name, state: s.state, kind: kind))
            sheetParts.append(try target(rel))
        }
    }

    @discardableResult
    public func readSheet(_ number: Int, _ body: (SheetRow) throws -> Void) throws -> SheetSummary {
        guard number >= 1, number <= sheets.count else { throw SheetsError(.noSuchSheet(String(number))) }
        // A chartsheet holds no cells; any other sheet whose part is absent is damage.
        guard sheets[number - 1].kind != .chartsheet, let part = sheetParts[number - 1] else {
            return SheetSummary()
        }
        guard let entry = archive.entry(named: part) else {
            throw SheetsError(.missingPart(part), file: path)
        }
        return try withoutActuallyEscaping(body) { emit in
            let handler = WorksheetHandler(sharedStrings: sharedStrings, styleKinds: styleKinds,
                                           date1904: date1904, limits: limits, emit: emit)
            do {
                // Large sheets are inflated on a second thread while this one parses.
                try archive.parse(entry, with: handler, overlapped: entry.compressedSize > 1 << 20)
            } catch var e as SheetsError {
                if let caller = handler.callerError { throw caller }
                e.file = e.file ?? path
                throw e
            }
            return handler.summary
        }
    }
}
