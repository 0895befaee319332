// The OPC package around a workbook: relationships, the workbook part, shared strings.
import Foundation

struct Relationship {
    var id: String
    var type: String
    var target: String
    var external: Bool
}

/// Reads a `.rels` part.
final class RelationshipsHandler: XMLPartHandler {
    var relationships: [Relationship] = []

    override func startElement(_ name: XMLName, _ a: XMLAttributes) {
        guard name.is("Relationship") else { return }
        relationships.append(Relationship(
            id: a.string("Id") ?? "",
            type: a.string("Type") ?? "",
            target: a.string("Target") ?? "",
            external: a.string("TargetMode")?.lowercased() == "external"))
    }

    override func endElement(_ name: XMLName) {}
    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

struct WorkbookSheetEntry {
    var name: String
    var relationshipId: String
    var state: SheetState
}

/// Reads `workbook.xml`: the sheets in tab order and the date system. Everything inside
/// `extLst` is skipped, so an `x15:workbookPr` there cannot override the real one.
final class WorkbookHandler: XMLPartHandler {
    var sheets: [WorkbookSheetEntry] = []
    var date1904 = false
    private var skipDepth = 0
    private let maxSheets: Int

    init(maxSheets: Int) {
        self.maxSheets = maxSheets
        super.init()
    }

    override func startElement(_ name: XMLName, _ a: XMLAttributes) {
        if skipDepth > 0 { skipDepth += 1; return }
        if name.is("extLst") { skipDepth = 1; return }
        guard Namespace.spreadsheet.matches(name.uri) else { return }
        if name.is("workbookPr") {
            if let v = a.string("date1904")?.lowercased() { date1904 = v == "1" || v == "true" }
        } else if name.is("sheet") {
            let state: SheetState
            switch a.string("state") {
            case "hidden": state = .hidden
            case "veryHidden": state = .veryHidden
            default: state = .visible
            }
            // Refused as soon as the list grows past the limit, so the list itself stays small.
            if sheets.count >= maxSheets {
                fail(SheetsError(.limitExceeded(.sheetCount, limit: maxSheets)))
                return
            }
            sheets.append(WorkbookSheetEntry(
                name: a.string("name") ?? "",
                relationshipId: a.string("id", namespace: .relationships) ?? "",
                state: state))
        }
    }

    override func endElement(_ name: XMLName) {
        if skipDepth > 0 { skipDepth -= 1 }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// Reads `sharedStrings.xml` into memory: each `<si>` is the concatenation of its `<t>`
/// texts (rich-text runs joined), phonetic `<rPh>` runs skipped, escapes decoded.
final class SharedStringsHandler: XMLPartHandler {
    @exclusivity(unchecked) var strings: [String] = []
    private let text: TextCollector
    @exclusivity(unchecked) private var inSI = false
    @exclusivity(unchecked) private var phoneticDepth = 0
    @exclusivity(unchecked) private var tStart = 0
    @exclusivity(unchecked) private var tPreserve = false

    init(cap: Int) {
        text = TextCollector(cap: cap)
        super.init()
    }

    override func startElement(_ name: XMLName, _ a: XMLAttributes) {
        guard Namespace.spreadsheet.matches(name.uri) else { return }
        if name.is("si") {
            inSI = true
            text.reset()
        } else if name.is("rPh") {
            phoneticDepth += 1
        } else if inSI, phoneticDepth == 0, name.is("t") {
            text.active = true
            tStart = text.count
            tPreserve = a.preservesSpace
        }
    }

    override func endElement(_ name: XMLName) {
        guard Namespace.spreadsheet.matches(name.uri) else { return }
        if name.is("t") {
            if text.active, !tPreserve { text.trimTail(from: tStart) }
            text.active = false
        } else if name.is("rPh") {
            phoneticDepth -= 1
        } else if name.is("si") {
            if text.overflow {
                fail(SheetsError(.limitExceeded(.cellText, limit: text.cap),
                                         cell: "shared string \(strings.count)"))
            }
            strings.append(OOXMLText.decode(text.bytes))
            inSI = false
        }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        text.append(bytes)
    }
}

enum PartPath {
    /// The `.rels` part that describes `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(of part: String) -> String {
        if part.isEmpty { return "_rels/.rels" }
        let parts = part.split(separator: "/", omittingEmptySubsequences: false)
        let folder = parts.dropLast().joined(separator: "/")
        let name = parts.last.map(String.init) ?? ""
        return (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
    }

    /// Resolves a relationship target against the folder of its source part. Absolute
    /// targets (`/xl/...`) start at the package root. A target that climbs out of the
    /// package is refused: nothing from a file may name a place outside it.
    static func resolve(_ target: String, from sourcePart: String) -> String? {
        // The usual target (`worksheets/sheet1.xml`) is ASCII with no backslash, `#` or `%`:
        // its bytes answer what Foundation would, without a trip through it.
        let ascii = target.utf8.allSatisfy { $0 < 0x80 }
        let plain = ascii && !target.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "%") }
        var t = plain ? target : target.replacingOccurrences(of: "\\", with: "/")
        if !plain, let hash = t.firstIndex(of: "#") { t = String(t[..<hash]) }
        if !plain, let decoded = t.removingPercentEncoding { t = decoded }
        if plain ? t.utf8.contains(UInt8(ascii: ":")) : t.contains(":") { return nil }  // a URL, or a Windows drive letter
        var stack: [Substring]
        if t.hasPrefix("/") {
            stack = []
        } else {
            stack = sourcePart.split(separator: "/").dropLast()
        }
        for segment in t.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if stack.isEmpty { return nil }
                stack.removeLast()
                continue
            }
            stack.append(segment)
        }
        return stack.isEmpty ? nil : stack.joined(separator: "/")
    }
}
