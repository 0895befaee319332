// A copy of someone's workbook with marks on it: chosen cells filled red or yellow with a
// comment, and a first sheet listing every note. Everything else — their values, formulas,
// formats, other parts — is copied byte for byte; only the parts that must change are
// edited, as text, in place.
import Foundation

public struct CellMark: Sendable {
    public enum Level: Sendable { case error, warning }

    public var sheet: String
    public var cell: CellReference
    public var level: Level
    public var note: String

    public init(sheet: String, cell: CellReference, level: Level, note: String) {
        self.sheet = sheet
        self.cell = cell
        self.level = level
        self.note = note
    }
}

/// Where a line of the notes sheet points: a sheet of the workbook and, when known, a cell.
public struct SheetLocation: Sendable, Equatable {
    public var sheet: String
    public var cell: CellReference?

    public init(sheet: String, cell: CellReference?) {
        self.sheet = sheet
        self.cell = cell
    }

    /// The location as a link inside the workbook writes it: `'Biểu 1'!C7`.
    public var reference: String {
        "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'!" + (cell?.description ?? "A1")
    }
}

public enum XLSXAnnotator {
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Writes the annotated copy of the workbook at `source` to `destination`. `summary` is
    /// the first sheet: a title, then rows of columns; a row with a location has a link to it
    /// on its second cell (the cell's address), or its first when the location has no cell.
    public static func annotate(source: String, destination: String, marks: [CellMark],
                                summaryName: String, summaryTitle: String, summaryHeader: [String], summaryRows: [[String]],
                                summaryLinks: [SheetLocation?] = []) throws {
        guard let bytes = FileManager.default.contents(atPath: source) else {
            throw SheetsError(.io("cannot read \(source)"), file: source)
        }
        let copy = try annotated(bytes, marks: marks, summaryName: summaryName, summaryTitle: summaryTitle,
                                 summaryHeader: summaryHeader, summaryRows: summaryRows, summaryLinks: summaryLinks)
        guard FileManager.default.createFile(atPath: destination, contents: copy) else {
            throw SheetsError(.io("cannot create \(destination)"), file: destination)
        }
    }

    /// The annotated copy of the workbook whose bytes are `source`, made in memory: the same
    /// bytes `annotate(source:destination:…)` writes, with no file made on the way.
    public static func annotated(_ source: Data, marks: [CellMark],
                                 summaryName: String, summaryTitle: String, summaryHeader: [String], summaryRows: [[String]],
                                 summaryLinks: [SheetLocation?] = []) throws -> Data {
        let book = try source.withUnsafeBytes { try XLSXWorkbook(bytes: $0) }
        let archive = book.archive
        var parts: [(name: String, data: Data)] = []
        var byKey: [String: Int] = [:]
        for e in archive.entries {
            byKey[ZipArchive.key(e.name)] = parts.count
            parts.append((e.name, Data(try archive.readAll(e))))
        }
        // Each part's text decoded once (a sheet is looked at once per mark on it), kept as put.
        var texts: [Int: String] = [:]
        func text(_ part: String) -> String? {
            guard let i = byKey[ZipArchive.key(part)] else { return nil }
            if let t = texts[i] { return t }
            let t = String(decoding: parts[i].data, as: UTF8.self)
            texts[i] = t
            return t
        }
        func put(_ part: String, _ s: String) {
            if let i = byKey[ZipArchive.key(part)] { parts[i].data = Data(s.utf8); texts[i] = s } else {
                byKey[ZipArchive.key(part)] = parts.count
                parts.append((part, Data(s.utf8)))
            }
        }
        func remove(_ part: String) {
            if let i = byKey[ZipArchive.key(part)] { parts[i].data = Data(); parts[i].name = "" }
        }

        // Styles: two fills and, for each style a marked cell has, its twin with the fill.
        var styleFor: [String: Int] = [:]  // "style|level" → new style index
        let marksBySheet = Dictionary(grouping: marks, by: \.sheet)
        var stylesText = book.stylesPart.flatMap(text)
        var xfs: [String] = []
        var fillBase = 0
        var wrapStyle: Int?
        var linkStyle: Int?
        var topStyle: Int?
        if var st = stylesText, let fills = section("fills", in: st),
           let cellXfs = section("cellXfs", in: st) {
            let fillBody = String(st[fills.inner])
            fillBase = elements("fill", in: fillBody).count
            let newFills = "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFF4B6B0\"/><bgColor indexed=\"64\"/></patternFill></fill>"
                + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFE699\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            xfs = elements("xf", in: String(st[cellXfs.inner]))
            let originalCount = xfs.count
            // Every mark is known before the sheets are edited; allocate the twins now.
            for mark in marks {
                let s = styleOfCell(mark, book: book, text: text) ?? 0
                let key = "\(s)|\(mark.level == .error ? 0 : 1)"
                guard styleFor[key] == nil, s < originalCount else { continue }
                var xf = xfs[s]
                let fillId = fillBase + (mark.level == .error ? 0 : 1)
                if xf.range(of: #"fillId="\d+""#, options: .regularExpression) != nil {
                    xf = xf.replacingOccurrences(of: #"fillId="\d+""#, with: "fillId=\"\(fillId)\"", options: .regularExpression)
                } else {
                    xf = xf.replacingOccurrences(of: "<xf", with: "<xf fillId=\"\(fillId)\"", options: .anchored)
                }
                xf = xf.replacingOccurrences(of: #" applyFill="[^"]*""#, with: "", options: .regularExpression)
                xf = xf.replacingOccurrences(of: "<xf", with: "<xf applyFill=\"1\"", options: .anchored)
                styleFor[key] = xfs.count
                xfs.append(xf)
            }
            // The notes sheet's long lines wrap, so that they print.
            wrapStyle = xfs.count
            xfs.append("<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>")
            // The short cells of a line stand at its top, beside the first line of its text.
            topStyle = xfs.count
            xfs.append("<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment vertical=\"top\"/></xf>")
            // Its links are blue and underlined, as links are, when the font list can take one more.
            if let fonts = section("fonts", in: st) {
                let fontCount = elements("font", in: String(st[fonts.inner])).count
                linkStyle = xfs.count
                xfs.append("<xf numFmtId=\"0\" fontId=\"\(fontCount)\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment vertical=\"top\"/></xf>")
            }
            // Rebuild the two lists, with their counts.
            let fillsOpen = st[fills.whole].prefix { $0 != ">" }.replacingOccurrences(of: #"count="\d+""#, with: "count=\"\(fillBase + 2)\"", options: .regularExpression)
            let xfsOpen = st[cellXfs.whole].prefix { $0 != ">" }.replacingOccurrences(of: #"count="\d+""#, with: "count=\"\(xfs.count)\"", options: .regularExpression)
            let xfsNew = xfsOpen + ">" + xfs.joined() + "</cellXfs>"
            let fillsNew = fillsOpen + ">" + fillBody + newFills + "</fills>"
            // Replace the later one first so the earlier range stays valid.
            if cellXfs.whole.lowerBound > fills.whole.lowerBound {
                st.replaceSubrange(cellXfs.whole, with: xfsNew)
                st.replaceSubrange(fills.whole, with: fillsNew)
            } else {
                st.replaceSubrange(fills.whole, with: fillsNew)
                st.replaceSubrange(cellXfs.whole, with: xfsNew)
            }
            if linkStyle != nil, let fonts = section("fonts", in: st) {
                let body = String(st[fonts.inner])
                let count = elements("font", in: body).count
                let open = st[fonts.whole].prefix { $0 != ">" }.replacingOccurrences(of: #"count="\d+""#, with: "count=\"\(count + 1)\"", options: .regularExpression)
                let name = firstCapture(#"<name\b[^>]*\bval="([^"]*)""#, in: body).map { "<name val=\"\($0)\"/>" } ?? ""
                let size = firstCapture(#"<sz\b[^>]*\bval="([^"]*)""#, in: body) ?? "11"
                st.replaceSubrange(fonts.whole, with: open + ">" + body + "<font><u/><sz val=\"\(size)\"/><color rgb=\"FF0563C1\"/>\(name)</font></fonts>")
            }
            stylesText = st
            put(book.stylesPart!, st)
        }

        // Each marked sheet: fills on its cells, comments beside them, no tab left selected.
        var contentTypes = text("[Content_Types].xml") ?? ""
        var commentCount = 0
        for (index, info) in book.sheets.enumerated() {
            guard let part = book.sheetParts[index], var sheet = text(part) else { continue }
            // The expression needs these letters: a sheet without them (all but one) is left as it is.
            if contains(sheet, "tabSelected") {
                sheet = sheet.replacingOccurrences(of: #" tabSelected="(1|true)""#, with: "", options: .regularExpression)
            }
            let mine = marksBySheet[info.name] ?? []
            if !mine.isEmpty {
                if stylesText != nil {
                    for mark in mine {
                        guard let cell = cellTag(mark.cell, in: sheet) else { continue }
                        let s = Int(styleAttribute(String(sheet[cell])) ?? "0") ?? 0
                        guard let twin = styleFor["\(s)|\(mark.level == .error ? 0 : 1)"] else { continue }
                        var tag = String(sheet[cell])
                        if tag.range(of: #"\bs="\d+""#, options: .regularExpression) != nil {
                            tag = tag.replacingOccurrences(of: #"\bs="\d+""#, with: "s=\"\(twin)\"", options: .regularExpression)
                        } else {
                            tag = tag.replacingOccurrences(of: "<c ", with: "<c s=\"\(twin)\" ", options: .anchored)
                        }
                        sheet.replaceSubrange(cell, with: tag)
                    }
                }
                // Comments, unless the sheet has its own already (merging those is not worth the risk).
                let relsPart = PartPath.relationshipsPart(of: part)
                var rels = text(relsPart) ?? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>"
                if !literalContains("legacyDrawing", in: sheet), !literalContains("/comments\"", in: rels) {
                    commentCount += 1
                    let folder = (part as NSString).deletingLastPathComponent
                    let base = (folder as NSString).deletingLastPathComponent
                    let commentsPart = (base.isEmpty ? "" : base + "/") + "comments-gop-y-\(commentCount).xml"
                    let vmlPart = (base.isEmpty ? "" : base + "/") + "drawings/vml-gop-y-\(commentCount).vml"
                    let notes = mine.map { ($0.cell, $0.note) }
                    put(commentsPart, Comments.part(notes))
                    put(vmlPart, Comments.vml(notes))
                    let up = folder.isEmpty ? "" : "../"
                    rels = literalReplacing("</Relationships>", in: rels, with:
                        "<Relationship Id=\"rIdGopY1\" Type=\"\(relNS)/comments\" Target=\"\(up)comments-gop-y-\(commentCount).xml\"/>"
                        + "<Relationship Id=\"rIdGopY2\" Type=\"\(relNS)/vmlDrawing\" Target=\"\(up)drawings/vml-gop-y-\(commentCount).vml\"/></Relationships>")
                    put(relsPart, rels)
                    let tag = "<legacyDrawing xmlns:gy=\"\(relNS)\" gy:id=\"rIdGopY2\"/>"
                    let before = ["<legacyDrawingHF", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts", "<extLst", "</worksheet>"]
                        .compactMap { t in literalRange(t, in: sheet) }.min { $0.lowerBound < $1.lowerBound }
                    if let before { sheet.insert(contentsOf: tag, at: before.lowerBound) }
                    contentTypes = literalReplacing("</Types>", in: contentTypes, with:
                        "<Override PartName=\"/\(commentsPart)\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/></Types>")
                    if !literalContains("Extension=\"vml\"", in: contentTypes) {
                        contentTypes = literalReplacing("</Types>", in: contentTypes, with:
                            "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/></Types>")
                    }
                }
            }
            put(part, sheet)
        }

        // The notes sheet, first in the tab order and the one that opens.
        let workbookFolder = (book.workbookPart as NSString).deletingLastPathComponent
        let summaryPart = (workbookFolder.isEmpty ? "" : workbookFolder + "/") + "worksheets/gop-y.xml"
        // Links only to sheets the workbook has, by the names it gives them.
        let sheetNames = Set(book.sheets.map(\.name))
        let links = summaryLinks.map { $0.flatMap { sheetNames.contains($0.sheet) ? $0 : nil } }
        put(summaryPart, summarySheet(title: summaryTitle, header: summaryHeader, rows: summaryRows, wrapStyle: wrapStyle,
                                      links: links, linkStyle: linkStyle, topStyle: topStyle))
        contentTypes = literalReplacing("</Types>", in: contentTypes, with:
            "<Override PartName=\"/\(summaryPart)\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>")
        let wbRelsPart = PartPath.relationshipsPart(of: book.workbookPart)
        if var rels = text(wbRelsPart) {
            rels = literalReplacing("</Relationships>", in: rels, with:
                "<Relationship Id=\"rIdGopY0\" Type=\"\(relNS)/worksheet\" Target=\"worksheets/gop-y.xml\"/></Relationships>")
            // calcChain numbers sheets by position; Excel rebuilds it when it is absent.
            if let chain = firstMatch(#"<Relationship\b[^>]*calcChain[^>]*/>"#, in: rels) {
                let target = firstCapture(#"Target="([^"]*)""#, in: String(rels[chain.whole])) ?? ""
                rels.removeSubrange(chain.whole)
                if let resolved = PartPath.resolve(target, from: book.workbookPart) {
                    remove(resolved)
                    contentTypes = contentTypes.replacingOccurrences(of: #"<Override\b[^>]*calcChain[^>]*/>"#, with: "", options: .regularExpression)
                }
            }
            put(wbRelsPart, rels)
        }
        if var wb = text(book.workbookPart) {
            let ids = allMatches(#"sheetId="(\d+)""#, in: wb).compactMap { firstCapture(#"(\d+)"#, in: $0).flatMap(Int.init) }
            let newId = (ids.max() ?? 0) + 1
            if let open = firstMatch(#"<(\w+:)?sheets\b[^>]*>"#, in: wb) {
                let prefix = firstCapture(#"<(\w+:)sheets"#, in: String(wb[open.whole])) ?? ""
                wb.insert(contentsOf: "<\(prefix)sheet xmlns:gy=\"\(relNS)\" name=\"\(XLSXWriter.escape(summaryName))\" sheetId=\"\(newId)\" gy:id=\"rIdGopY0\"/>",
                          at: open.whole.upperBound)
            }
            // Sheet positions moved by one: names local to a sheet follow their sheet.
            for m in allMatchRanges(#"localSheetId="(\d+)""#, in: wb).reversed() {
                let n = Int(firstCapture(#"(\d+)"#, in: String(wb[m])) ?? "0") ?? 0
                wb.replaceSubrange(m, with: "localSheetId=\"\(n + 1)\"")
            }
            wb = wb.replacingOccurrences(of: #" activeTab="\d+""#, with: "", options: .regularExpression)
            insertSummaryPrintTitles(&wb, summaryName: summaryName)
            put(book.workbookPart, wb)
        }
        put("[Content_Types].xml", contentTypes)
        return try ZipWriter.data(parts.filter { !$0.name.isEmpty }, modified: ZipWriter.reproducibleDate)
    }

    /// The style index a marked cell has now (0 when absent or unknown).
    static func styleOfCell(_ mark: CellMark, book: XLSXWorkbook, text: (String) -> String?) -> Int? {
        guard let i = book.sheets.firstIndex(where: { $0.name == mark.sheet }), let part = book.sheetParts[i], let sheet = text(part),
              let cell = cellTag(mark.cell, in: sheet) else { return nil }
        return Int(styleAttribute(String(sheet[cell])) ?? "0")
    }

    static func summarySheet(title: String, header: [String], rows: [[String]], wrapStyle: Int? = nil,
                             links: [SheetLocation?] = [], linkStyle: Int? = nil, topStyle: Int? = nil) -> String {
        let widths: [Double] = [14, 8, 10, 18, 60]
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        x += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        x += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"/></sheetViews>"
        x += "<cols><col min=\"1\" max=\"1\" width=\"14\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"8\" customWidth=\"1\"/>"
        x += "<col min=\"3\" max=\"3\" width=\"10\" customWidth=\"1\"/><col min=\"4\" max=\"4\" width=\"18\" customWidth=\"1\"/>"
        x += "<col min=\"5\" max=\"5\" width=\"60\" customWidth=\"1\"/></cols><sheetData>"
        // Each finding's link: on its cell's address, or on its sheet's name when it has no cell.
        var linked: [CellReference: SheetLocation] = [:]
        for (i, location) in links.enumerated() where i < rows.count {
            guard let location else { continue }
            let column = location.cell != nil && rows[i].count > 1 && !rows[i][1].isEmpty ? 2 : 1
            linked[CellReference(row: i + 4, column: column)] = location
        }
        func cell(_ r: Int, _ c: Int, _ s: String, wrap: Bool = false) -> String {
            let link = linked[CellReference(row: r, column: c)] != nil ? linkStyle : nil
            let style = (wrap ? wrapStyle : link ?? (r >= 4 ? topStyle : nil)).map { " s=\"\($0)\"" } ?? ""
            return "<c r=\"\(CellReference(row: r, column: c))\"\(style) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XLSXWriter.escape(s))</t></is></c>"
        }
        // A wrapped row gets the height of its text (the workbook's font unknown: measured in
        // the writer's, with room to spare).
        func row(_ r: Int, _ text: String, characters: Double) -> String {
            guard wrapStyle != nil else { return "<row r=\"\(r)\">" }
            let h = TextMeasure.wrappedHeight(text, columnCharacters: characters / 1.15, size: 11)
            return "<row r=\"\(r)\" ht=\"\(NumberText.formatForXML(h))\" customHeight=\"1\">"
        }
        x += row(1, title, characters: widths.reduce(0, +)) + cell(1, 1, title, wrap: true) + "</row>"
        x += "<row r=\"3\">" + header.enumerated().map { cell(3, $0.offset + 1, $0.element) }.joined() + "</row>"
        for (i, cells) in rows.enumerated() {
            let last = cells.count - 1
            x += row(i + 4, cells.last ?? "", characters: widths[min(last, widths.count - 1)])
                + cells.enumerated().map { cell(i + 4, $0.offset + 1, $0.element, wrap: $0.offset == last) }.joined() + "</row>"
        }
        x += "</sheetData>"
        if wrapStyle != nil { x += "<mergeCells count=\"1\"><mergeCell ref=\"A1:\(CellReference.columnName(widths.count))1\"/></mergeCells>" }
        // Links inside the workbook: a location, no relationship (CT_Worksheet puts them after
        // the merged cells, before the print options).
        if !linked.isEmpty {
            x += "<hyperlinks>"
            for (ref, location) in linked.sorted(by: { $0.key < $1.key }) {
                let at = location.cell.map { "ô \($0) của trang \(location.sheet)" } ?? "trang \(location.sheet)"
                x += "<hyperlink ref=\"\(ref)\" location=\"\(XLSXWriter.escape(location.reference))\" tooltip=\"\(XLSXWriter.escape("Đến " + at))\"/>"
            }
            x += "</hyperlinks>"
        }
        return x + XLSXWriter.pageSetupXML(summaryPage) + "</worksheet>"
    }

    /// The notes print landscape, one page wide, numbered, their header row on every page.
    static var summaryPage: PageSetup {
        var p = PageSetup()
        p.landscape = true
        // Five columns whose text wraps: one page wide is a mild shrink, whatever the font.
        p.fitToWidth = 1
        p.repeatRows = 3...3
        p.footer = "&CTrang &P/&N"
        return p
    }

    /// `_xlnm.Print_Titles` for the notes sheet, first in the tab order (local sheet 0).
    static func insertSummaryPrintTitles(_ wb: inout String, summaryName: String) {
        var sheet = WorkbookDraft.Sheet(name: summaryName)
        sheet.page = summaryPage
        guard let titles = XLSXWriter.printTitles(sheet) else { return }
        let prefix = firstCapture(#"<(\w+:)sheets\b"#, in: wb) ?? ""
        let name = "<\(prefix)definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">\(XLSXWriter.escape(titles))</\(prefix)definedName>"
        if let open = firstMatch(#"<(\w+:)?definedNames\b[^>]*>"#, in: wb), !wb[open.whole].hasSuffix("/>") {
            wb.insert(contentsOf: name, at: open.whole.upperBound)
        } else if let empty = firstMatch(#"<(\w+:)?definedNames\b[^>]*/>"#, in: wb) {
            wb.replaceSubrange(empty.whole, with: "<\(prefix)definedNames>\(name)</\(prefix)definedNames>")
        } else if let close = firstMatch(#"</(\w+:)?externalReferences>"#, in: wb) ?? firstMatch(#"</(\w+:)?sheets>"#, in: wb) {
            // CT_Workbook's order: sheets, functionGroups, externalReferences, definedNames.
            wb.insert(contentsOf: "<\(prefix)definedNames>\(name)</\(prefix)definedNames>", at: close.whole.upperBound)
        }
    }

    // MARK: - Searches by bytes
    //
    // A sheet's text is searched many times (each mark's cell, where the comments go); turned
    // into UTF-16 for Foundation and the regular expressions each time, that was most of the
    // cost of a copy. These find, by the text's UTF-8 bytes, exactly what those searches find,
    // and hand over to them wherever a byte alone cannot tell (a character beyond ASCII where
    // it would matter).

    /// Whether `s` holds the bytes of `needle`: no regular expression or search that asks for
    /// `needle` literally can match where this is false.
    static func contains(_ s: String, _ needle: String) -> Bool {
        var s = s
        return s.withUTF8 { b in find(Array(needle.utf8), in: b, from: 0, to: b.count) != nil }
    }

    /// `s.range(of: needle)` for an ASCII `needle`: by bytes when `s` is all ASCII (there each
    /// character is one byte and none is equivalent to another), else by Foundation.
    static func literalRange(_ needle: String, in s: String) -> Range<String.Index>? {
        var copy = s
        let found: Int?? = copy.withUTF8 { b in isASCII(b) ? .some(find(Array(needle.utf8), in: b, from: 0, to: b.count)) : nil }
        guard let found else { return s.range(of: needle) }
        return found.map { utf8Range(s, $0, $0 + needle.utf8.count) }
    }

    /// `s.contains(needle)` for an ASCII `needle`: by bytes when `s` is all ASCII, else as asked.
    static func literalContains(_ needle: String, in s: String) -> Bool {
        var copy = s
        let found: Bool? = copy.withUTF8 { b in isASCII(b) ? find(Array(needle.utf8), in: b, from: 0, to: b.count) != nil : nil }
        return found ?? s.contains(needle)
    }

    /// `s.replacingOccurrences(of: needle, with: replacement)` for an ASCII `needle`: by bytes
    /// when `s` is all ASCII, else by Foundation.
    static func literalReplacing(_ needle: String, in s: String, with replacement: String) -> String {
        var copy = s
        let bytes = Array(needle.utf8)
        let replaced: String?? = copy.withUTF8 { b in
            guard isASCII(b) else { return nil }
            guard var at = find(bytes, in: b, from: 0, to: b.count) else { return .some(nil) }
            var out: [UInt8] = []
            out.reserveCapacity(b.count + replacement.utf8.count)
            var from = 0
            while true {
                out.append(contentsOf: b[from..<at])
                out.append(contentsOf: replacement.utf8)
                from = at + bytes.count
                guard let next = find(bytes, in: b, from: from, to: b.count) else { break }
                at = next
            }
            out.append(contentsOf: b[from..<b.count])
            return .some(String(decoding: out, as: UTF8.self))
        }
        guard let replaced else { return s.replacingOccurrences(of: needle, with: replacement) }
        return replaced ?? s
    }

    /// What `<NAME\b[^>]*>(.*?)</NAME>` finds first in `s` (a list of the styles part), by
    /// bytes when `s` is all ASCII.
    static func section(_ name: String, in s: String) -> Match? {
        let open = Array("<\(name)".utf8), close = Array("</\(name)>".utf8)
        var copy = s
        let found: (Int, Int, Int, Int)?? = copy.withUTF8 { b in
            guard isASCII(b) else { return nil }
            var from = 0
            while let at = find(open, in: b, from: from, to: b.count) {
                from = at + 1
                let after = at + open.count
                if after < b.count, isWordByte(b[after]) { continue }
                // With no `>` or no closing tag after this one, none after a later one either.
                guard let gt = find(closeTag, in: b, from: after, to: b.count),
                      let end = find(close, in: b, from: gt + 1, to: b.count) else { return .some(nil) }
                return .some((at, end + close.count, gt + 1, end))
            }
            return .some(nil)
        }
        guard let found else { return firstMatch(#"<\#(name)\b[^>]*>(.*?)</\#(name)>"#, in: s) }
        return found.map { Match(whole: utf8Range(s, $0.0, $0.1), inner: utf8Range(s, $0.2, $0.3)) }
    }

    /// What `<NAME\b[^>]*/>|<NAME\b[^>]*>.*?</NAME>` finds in `s` (the entries of a list), by
    /// bytes when `s` is all ASCII.
    static func elements(_ name: String, in s: String) -> [String] {
        let open = Array("<\(name)".utf8), close = Array("</\(name)>".utf8)
        var copy = s
        let found: [Range<Int>]? = copy.withUTF8 { b in
            guard isASCII(b) else { return nil }
            var out: [Range<Int>] = []
            var from = 0
            while let at = find(open, in: b, from: from, to: b.count) {
                from = at + 1
                let after = at + open.count
                if after < b.count, isWordByte(b[after]) { continue }
                guard let gt = find(closeTag, in: b, from: after, to: b.count) else { break }
                if gt > after, b[gt - 1] == UInt8(ascii: "/") {
                    out.append(at..<(gt + 1))
                    from = gt + 1
                } else if let end = find(close, in: b, from: gt + 1, to: b.count) {
                    out.append(at..<(end + close.count))
                    from = end + close.count
                }
            }
            return out
        }
        guard let found else { return allMatches(#"<\#(name)\b[^>]*/>|<\#(name)\b[^>]*>.*?</\#(name)>"#, in: s) }
        return found.map { String(s[utf8Range(s, $0.lowerBound, $0.upperBound)]) }
    }

    /// What `<c\b[^>]*\br="REF"[^>]*?/?>` finds first in `s`: the tag of the cell `ref`.
    /// `\b` asks whether a neighbour is a letter, digit or `_`; a neighbour beyond ASCII is
    /// left to the expression itself.
    static func cellTag(_ ref: CellReference, in s: String) -> Range<String.Index>? {
        let attribute = Array("r=\"\(ref)\"".utf8)
        var copy = s
        let found: Range<Int>?? = copy.withUTF8 { b in
            let n = b.count
            var from = 0
            while let open = find(openCell, in: b, from: from, to: n) {
                from = open + 1
                let after = open + 2
                guard after < n else { return .some(nil) }
                if b[after] >= 0x80 { return nil }
                if isWordByte(b[after]) { continue }
                // The tag runs to the first `>`; with none, no later tag can close either.
                guard let close = find(closeTag, in: b, from: after, to: n) else { return .some(nil) }
                var at = after
                while let r = find(attribute, in: b, from: at, to: close) {
                    if b[r - 1] >= 0x80 { return nil }
                    if !isWordByte(b[r - 1]) { return .some(open..<(close + 1)) }
                    at = r + 1
                }
            }
            return .some(nil)
        }
        guard let found else { return firstMatch(#"<c\b[^>]*\br="\#(ref)"[^>]*?/?>"#, in: s)?.whole }
        return found.map { utf8Range(s, $0.lowerBound, $0.upperBound) }
    }

    /// What `\bs="(\d+)"` captures first in a cell's tag: its style index as written. A tag
    /// beyond ASCII (where `\d` and `\b` know more than bytes do) is left to the expression.
    static func styleAttribute(_ tag: String) -> String? {
        var copy = tag
        let found: Range<Int>?? = copy.withUTF8 { b in
            guard isASCII(b) else { return nil }
            var from = 0
            while let at = find(styleOpen, in: b, from: from, to: b.count) {
                from = at + 1
                if at > 0, isWordByte(b[at - 1]) { continue }
                var end = at + styleOpen.count
                while end < b.count, b[end] >= 0x30, b[end] <= 0x39 { end += 1 }
                if end > at + styleOpen.count, end < b.count, b[end] == 0x22 { return .some((at + styleOpen.count)..<end) }
            }
            return .some(nil)
        }
        guard let found else { return firstCapture(#"\bs="(\d+)""#, in: tag) }
        return found.map { String(tag[utf8Range(tag, $0.lowerBound, $0.upperBound)]) }
    }

    private static let openCell = Array("<c".utf8)
    private static let closeTag = Array(">".utf8)
    private static let styleOpen = Array("s=\"".utf8)

    /// A letter, digit or `_`: what `\b` takes for part of a word, among ASCII bytes.
    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for c in b { high |= c }
        return high < 0x80
    }

    /// The offset of the first `needle` in `b[from..<to]`.
    static func find(_ needle: [UInt8], in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard !needle.isEmpty, let base = b.baseAddress, to - from >= needle.count else { return nil }
        let last = to - needle.count
        return needle.withUnsafeBytes { n -> Int? in
            var i = from
            while i <= last {
                guard let hit = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + at, n.baseAddress!, needle.count) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// The indices of `s` at two UTF-8 offsets.
    static func utf8Range(_ s: String, _ lower: Int, _ upper: Int) -> Range<String.Index> {
        let u = s.utf8
        let start = u.index(u.startIndex, offsetBy: lower)
        return start..<u.index(start, offsetBy: upper - lower)
    }

    // MARK: - Regular expressions over part text

    struct Match {
        var whole: Range<String.Index>
        var inner: Range<String.Index>
    }

    /// Each pattern compiled once per process (a copy asks for the same few dozen many times);
    /// a compiled expression is safe to use from several threads at once.
    static func regex(_ pattern: String) -> NSRegularExpression {
        compiledLock.lock()
        defer { compiledLock.unlock() }
        if let r = compiled[pattern] { return r }
        let r = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        // A cell's own pattern is asked for only when a byte search cannot tell: few are kept.
        if compiled.count < 256 { compiled[pattern] = r }
        return r
    }

    private static let compiledLock = NSLock()
    nonisolated(unsafe) private static var compiled: [String: NSRegularExpression] = [:]

    static func firstMatch(_ pattern: String, in s: String) -> Match? {
        guard let m = regex(pattern).firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let whole = Range(m.range, in: s) else { return nil }
        let inner = m.numberOfRanges > 1 ? Range(m.range(at: 1), in: s) ?? whole : whole
        return Match(whole: whole, inner: inner)
    }

    static func firstCapture(_ pattern: String, in s: String) -> String? {
        guard let m = regex(pattern).firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: s) else { return nil }
        return String(s[r])
    }

    static func allMatches(_ pattern: String, in s: String) -> [String] {
        allMatchRanges(pattern, in: s).map { String(s[$0]) }
    }

    static func allMatchRanges(_ pattern: String, in s: String) -> [Range<String.Index>] {
        regex(pattern).matches(in: s, range: NSRange(s.startIndex..., in: s)).compactMap { Range($0.range, in: s) }
    }
}
