// Writing XLSX on libzip: worksheets of typed cells with a few styles, merged ranges,
// column widths, row heights, cached formula values and a page set-up (PageSetup.swift). Enough for the forms districts fill and for
// generated test inboxes; every part is plain SpreadsheetML that Excel, LibreOffice,
// openpyxl and python-calamine read.
import Foundation

public struct WorkbookDraft: Sendable {
    public enum Style: Int, Sendable {
        case plain = 0, bold, header, integer, decimal, date, title, decimal2, errorFill, warningFill, input
        /// A row of column codes under a header: small italic, centred, grey, bordered.
        case codes
        /// A total row: bold on a light fill, bordered (text centred; numbers #,##0 and #,##0.0).
        case totalText, totalInteger, totalDecimal
        /// Lines of a signature block: bold centred, italic centred.
        case centeredBold, centeredItalic
        /// A bordered empty cell in a table.
        case bordered
        /// Headings centred (in their merged range): the title, bold wrapped lines, plain lines.
        case titleCentered, centeredBoldWrapped, centered
    }

    public enum Value: Sendable {
        case number(Double)
        case text(String)
        case bool(Bool)
        case date(year: Int, month: Int, day: Int)
        /// A formula with the value it computes, stored so readers need not recalculate.
        case formula(String, cached: Double)
        /// No value: a cell written only for its style (the borders of a blank table).
        case blank
    }

    public struct WrittenCell: Sendable {
        public var row: Int
        public var column: Int
        public var value: Value
        public var style: Style

        public init(row: Int, column: Int, value: Value, style: Style = .plain) {
            self.row = row
            self.column = column
            self.value = value
            self.style = style
        }
    }

    public struct Sheet: Sendable {
        public var name: String
        public var cells: [WrittenCell] = []
        public var merged: [CellRange] = []
        /// Column widths in characters, by 1-based column.
        public var widths: [Int: Double] = [:]
        public var hidden = false
        /// Rows above and columns left of this cell stay in view (frozen panes).
        public var freeze: CellReference?
        public var validations: [Validation] = []
        /// Cell comments (notes), shown when the mouse is over the cell.
        public var comments: [(CellReference, String)] = []
        /// Row heights in points, by 1-based row: a row holding wrapped text needs one.
        public var rowHeights: [Int: Double] = [:]
        public var page = PageSetup()

        /// Landscape, shrunk to one page wide (the page set-up before `page` existed).
        public var landscape: Bool {
            get { page.landscape }
            set {
                page.landscape = newValue
                page.fitToWidth = newValue ? 1 : nil
                page.fitToHeight = 0
            }
        }

        public init(name: String) {
            self.name = name
        }

        public mutating func set(_ row: Int, _ column: Int, _ value: Value, _ style: Style = .plain) {
            cells.append(WrittenCell(row: row, column: column, value: value, style: style))
        }
    }

    public struct Validation: Sendable {
        public enum Rule: Sendable {
            case whole(min: Double?, max: Double?)
            case decimal(min: Double?, max: Double?)
            case list([String])
        }

        public var range: CellRange
        public var rule: Rule
        /// Shown when a wrong value is typed.
        public var error: String
        /// Shown when the cell is selected.
        public var prompt: String?

        public init(range: CellRange, rule: Rule, error: String, prompt: String? = nil) {
            self.range = range
            self.rule = rule
            self.error = error
            self.prompt = prompt
        }
    }

    public var sheets: [Sheet] = []
    public var creator = "tonghop"
    public var title: String?

    public init() {}
}

public enum XLSXWriter {
    /// Writes the workbook to `path` (replacing it), entries dated `modified` so that the same
    /// draft always gives the same bytes.
    public static func write(_ draft: WorkbookDraft, to path: String,
                             modified: Date = ZipWriter.reproducibleDate) throws {
        let parts = render(draft, modified: modified)
        try ZipWriter.write(parts.map { (name: $0.0, data: Data($0.1.utf8)) }, to: path, modified: modified)
    }

    /// The bytes `write` would put in a file, made in memory.
    public static func data(_ draft: WorkbookDraft, modified: Date = ZipWriter.reproducibleDate) throws -> Data {
        let parts = render(draft, modified: modified)
        return try ZipWriter.data(parts.map { (name: $0.0, data: Data($0.1.utf8)) }, modified: modified)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                // Control characters cannot appear in XML 1.0: OOXML escapes them as _xHHHH_.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += String(format: "_x%04X_", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func render(_ draft: WorkbookDraft, modified: Date) -> [(String, String)] {
        var shared: [String] = []
        var sharedIndex: [String: Int] = [:]
        func stringIndex(_ s: String) -> Int {
            if let i = sharedIndex[s] { return i }
            shared.append(s)
            sharedIndex[s] = shared.count - 1
            return shared.count - 1
        }
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [(String, String)] = []
        var sheetXML: [String] = []
        for sheet in draft.sheets {
            var x = header + "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
            let sorted = sheet.cells.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
            if sheet.page.fitToWidth != nil { x += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>" }
            if let last = sorted.last {
                let maxColumn = sorted.map(\.column).max() ?? 1
                x += "<dimension ref=\"A1:\(CellReference(row: last.row, column: maxColumn))\"/>"
            }
            if let f = sheet.freeze, f.row > 1 || f.column > 1 {
                let x0 = f.column - 1, y0 = f.row - 1
                let pane = x0 > 0 && y0 > 0 ? "bottomRight" : y0 > 0 ? "bottomLeft" : "topRight"
                x += "<sheetViews><sheetView workbookViewId=\"0\"><pane"
                if x0 > 0 { x += " xSplit=\"\(x0)\"" }
                if y0 > 0 { x += " ySplit=\"\(y0)\"" }
                x += " topLeftCell=\"\(f)\" activePane=\"\(pane)\" state=\"frozen\"/><selection pane=\"\(pane)\" activeCell=\"\(f)\" sqref=\"\(f)\"/></sheetView></sheetViews>"
            }
            if !sheet.widths.isEmpty {
                x += "<cols>"
                for (c, w) in sheet.widths.sorted(by: { $0.key < $1.key }) {
                    x += "<col min=\"\(c)\" max=\"\(c)\" width=\"\(NumberText.format(w))\" customWidth=\"1\"/>"
                }
                x += "</cols>"
            }
            x += "<sheetData>"
            var currentRow = 0
            var columnNames: [String] = []
            // Rows with a height but no cell are written too, in order among the others.
            var heightsLeft = sheet.rowHeights.filter { $0.value > 0 }.sorted { $0.key < $1.key }[...]
            func openRow(_ r: Int) -> String {
                guard let h = sheet.rowHeights[r], h > 0 else { return "<row r=\"\(r)\">" }
                return "<row r=\"\(r)\" ht=\"\(NumberText.formatForXML(h))\" customHeight=\"1\">"
            }
            for cell in sorted {
                if cell.row != currentRow {
                    if currentRow != 0 { x += "</row>" }
                    while let (r, _) = heightsLeft.first, r <= cell.row {
                        heightsLeft.removeFirst()
                        if r < cell.row, r != currentRow { x += openRow(r) + "</row>" }
                    }
                    x += openRow(cell.row)
                    currentRow = cell.row
                }
                // A column's letters made once per sheet, not once per cell.
                while columnNames.count <= cell.column { columnNames.append(CellReference.columnName(columnNames.count)) }
                let ref = columnNames[cell.column] + String(cell.row)
                let s = cell.style == .plain ? "" : " s=\"\(cell.style.rawValue)\""
                switch cell.value {
                case .number(let d):
                    x += "<c r=\"\(ref)\"\(s)><v>\(NumberText.formatForXML(d))</v></c>"
                case .text(let t):
                    x += "<c r=\"\(ref)\"\(s) t=\"s\"><v>\(stringIndex(t))</v></c>"
                case .bool(let b):
                    x += "<c r=\"\(ref)\"\(s) t=\"b\"><v>\(b ? 1 : 0)</v></c>"
                case .date(let y, let m, let d):
                    let serial = ExcelDateTime.daysFromCivil(y, m, d) - ExcelDateTime.daysFromCivil(1899, 12, 30)
                    let style = cell.style == .plain ? " s=\"\(WorkbookDraft.Style.date.rawValue)\"" : s
                    x += "<c r=\"\(ref)\"\(style)><v>\(serial)</v></c>"
                case .formula(let f, let cached):
                    x += "<c r=\"\(ref)\"\(s)><f>\(escape(f.hasPrefix("=") ? String(f.dropFirst()) : f))</f><v>\(NumberText.formatForXML(cached))</v></c>"
                case .blank:
                    x += "<c r=\"\(ref)\"\(s)/>"
                }
            }
            if currentRow != 0 { x += "</row>" }
            for (r, _) in heightsLeft where r > currentRow { x += openRow(r) + "</row>" }
            x += "</sheetData>"
            if !sheet.merged.isEmpty {
                x += "<mergeCells count=\"\(sheet.merged.count)\">"
                for m in sheet.merged { x += "<mergeCell ref=\"\(m)\"/>" }
                x += "</mergeCells>"
            }
            // CT_Worksheet's order: mergeCells, dataValidations, pageMargins, pageSetup, legacyDrawing.
            if !sheet.validations.isEmpty {
                x += "<dataValidations count=\"\(sheet.validations.count)\">"
                for v in sheet.validations {
                    var attributes = "allowBlank=\"1\" showErrorMessage=\"1\" showInputMessage=\"\(v.prompt == nil ? 0 : 1)\" errorTitle=\"Số liệu không hợp lệ\" error=\"\(escape(v.error))\""
                    if let p = v.prompt { attributes += " promptTitle=\"Hướng dẫn\" prompt=\"\(escape(String(p.prefix(255))))\"" }
                    func bounds(_ type: String, _ min: Double?, _ max: Double?) -> String {
                        switch (min, max) {
                        case let (a?, b?): return "<dataValidation type=\"\(type)\" operator=\"between\" \(attributes) sqref=\"\(v.range)\"><formula1>\(NumberText.formatForXML(a))</formula1><formula2>\(NumberText.formatForXML(b))</formula2></dataValidation>"
                        case let (a?, nil): return "<dataValidation type=\"\(type)\" operator=\"greaterThanOrEqual\" \(attributes) sqref=\"\(v.range)\"><formula1>\(NumberText.formatForXML(a))</formula1></dataValidation>"
                        case let (nil, b?): return "<dataValidation type=\"\(type)\" operator=\"lessThanOrEqual\" \(attributes) sqref=\"\(v.range)\"><formula1>\(NumberText.formatForXML(b))</formula1></dataValidation>"
                        case (nil, nil): return "<dataValidation type=\"\(type)\" operator=\"greaterThanOrEqual\" \(attributes) sqref=\"\(v.range)\"><formula1>-1E+300</formula1></dataValidation>"
                        }
                    }
                    switch v.rule {
                    case .whole(let a, let b): x += bounds("whole", a, b)
                    case .decimal(let a, let b): x += bounds("decimal", a, b)
                    case .list(let items):
                        let list = items.map { $0.replacingOccurrences(of: ",", with: " ") }.joined(separator: ",")
                        x += "<dataValidation type=\"list\" \(attributes) sqref=\"\(v.range)\"><formula1>\"\(escape(list))\"</formula1></dataValidation>"
                    }
                }
                x += "</dataValidations>"
            }
            x += pageSetupXML(sheet.page)
            if !sheet.comments.isEmpty { x += "<legacyDrawing r:id=\"rIdVml\"/>" }
            x += "</worksheet>"
            sheetXML.append(x)
        }
        var types = header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        types += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        types += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        if draft.sheets.contains(where: { !$0.comments.isEmpty }) {
            types += "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>"
        }
        for (i, sheet) in draft.sheets.enumerated() where !sheet.comments.isEmpty {
            types += "<Override PartName=\"/xl/comments\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>"
        }
        types += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for i in draft.sheets.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        types += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        types += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        types += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        types += "</Types>"
        parts.append(("[Content_Types].xml", types))
        parts.append(("_rels/.rels", header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
            + "<Relationship Id=\"rId3\" Type=\"\(rel)/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"))
        let iso = ISO8601DateFormatter().string(from: modified)
        parts.append(("docProps/core.xml", header + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + (draft.title.map { "<dc:title>\(escape($0))</dc:title>" } ?? "")
            + "<dc:creator>\(escape(draft.creator))</dc:creator><dcterms:created xsi:type=\"dcterms:W3CDTF\">\(iso)</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(iso)</dcterms:modified></cp:coreProperties>"))
        parts.append(("docProps/app.xml", header + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>tonghop</Application></Properties>"))
        var wb = header + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><workbookPr/><bookViews><workbookView/></bookViews><sheets>"
        for (i, s) in draft.sheets.enumerated() {
            wb += "<sheet name=\"\(escape(s.name))\" sheetId=\"\(i + 1)\"\(s.hidden ? " state=\"hidden\"" : "") r:id=\"rId\(i + 1)\"/>"
        }
        wb += "</sheets>"
        let titles = draft.sheets.enumerated().compactMap { i, s in printTitles(s).map { (i, $0) } }
        if !titles.isEmpty {
            wb += "<definedNames>"
            for (i, t) in titles { wb += "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(i)\">\(escape(t))</definedName>" }
            wb += "</definedNames>"
        }
        wb += "</workbook>"
        parts.append(("xl/workbook.xml", wb))
        var rels = header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for i in draft.sheets.indices {
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        let n = draft.sheets.count
        rels += "<Relationship Id=\"rId\(n + 1)\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>"
        rels += "<Relationship Id=\"rId\(n + 2)\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"
        parts.append(("xl/_rels/workbook.xml.rels", rels))
        for (i, x) in sheetXML.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", x)) }
        for (i, sheet) in draft.sheets.enumerated() where !sheet.comments.isEmpty {
            parts.append(("xl/worksheets/_rels/sheet\(i + 1).xml.rels", header
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rIdComments\" Type=\"\(rel)/comments\" Target=\"../comments\(i + 1).xml\"/>"
                + "<Relationship Id=\"rIdVml\" Type=\"\(rel)/vmlDrawing\" Target=\"../drawings/vmlDrawing\(i + 1).vml\"/></Relationships>"))
            parts.append(("xl/comments\(i + 1).xml", Comments.part(sheet.comments)))
            parts.append(("xl/drawings/vmlDrawing\(i + 1).vml", Comments.vml(sheet.comments)))
        }
        // Styles, in the order of WorkbookDraft.Style: plain, bold, header (bold, centred,
        // wrapped, bordered), integer #,##0, decimal #,##0.0, date dd/mm/yyyy, title (bold 13pt),
        // decimal #,##0.00, error and warning fills, input; then codes, the total row's three,
        // the signature block's two, a bordered blank and three centred headings.
        parts.append(("xl/styles.xml", header + "<styleSheet xmlns=\"\(main)\">"
            + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"#,##0.0\"/><numFmt numFmtId=\"165\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
            + "<fonts count=\"5\"><font><sz val=\"11\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"11\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"13\"/><name val=\"Times New Roman\"/></font>"
            + "<font><i/><sz val=\"10\"/><name val=\"Times New Roman\"/></font><font><i/><sz val=\"11\"/><name val=\"Times New Roman\"/></font></fonts>"
            + "<fills count=\"7\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFF4B6B0\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFE699\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFEAF2FB\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFF2F2F2\"/><bgColor indexed=\"64\"/></patternFill></fill>"
            + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
            + "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style=\"thin\"/><right style=\"thin\"/><top style=\"thin\"/><bottom style=\"thin\"/><diagonal/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"21\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
            + "<xf numFmtId=\"3\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
            + "<xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"3\" borderId=\"1\" xfId=\"0\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"4\" borderId=\"1\" xfId=\"0\" applyFill=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"3\" fillId=\"5\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"6\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>"
            + "<xf numFmtId=\"3\" fontId=\"1\" fillId=\"6\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"164\" fontId=\"1\" fillId=\"6\" borderId=\"1\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"4\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf></cellXfs>"
            + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"))
        var sst = header + "<sst xmlns=\"\(main)\" count=\"\(shared.count)\" uniqueCount=\"\(shared.count)\">"
        for s in shared {
            let preserve = s.first?.isWhitespace == true || s.last?.isWhitespace == true
            sst += "<si><t\(preserve ? " xml:space=\"preserve\"" : "")>\(escape(s))</t></si>"
        }
        sst += "</sst>"
        parts.append(("xl/sharedStrings.xml", sst))
        return parts
    }
}

extension XLSXWriter {
    /// printOptions, pageMargins, pageSetup, headerFooter, rowBreaks and colBreaks, in
    /// CT_Worksheet's order.
    static func pageSetupXML(_ p: PageSetup) -> String {
        var x = ""
        if p.centerHorizontally { x += "<printOptions horizontalCentered=\"1\"/>" }
        let m = p.margins
        x += "<pageMargins left=\"\(m.left)\" right=\"\(m.right)\" top=\"\(m.top)\" bottom=\"\(m.bottom)\" header=\"\(m.header)\" footer=\"\(m.footer)\"/>"
        x += "<pageSetup paperSize=\"\(p.paper.rawValue)\""
        if let w = p.fitToWidth {
            x += " fitToWidth=\"\(w)\" fitToHeight=\"\(p.fitToHeight)\""
        } else {
            x += " scale=\"\(min(max(p.scale, 10), 400))\""
        }
        if p.acrossThenDown { x += " pageOrder=\"overThenDown\"" }
        x += " orientation=\"\(p.landscape ? "landscape" : "portrait")\"/>"
        if p.header != nil || p.footer != nil {
            x += "<headerFooter>"
            if let h = p.header { x += "<oddHeader>\(escape(h))</oddHeader>" }
            if let f = p.footer { x += "<oddFooter>\(escape(f))</oddFooter>" }
            x += "</headerFooter>"
        }
        // A break's id is the last row (column) before it.
        let rows = Set(p.rowBreaks.filter { $0 > 1 }).sorted()
        if !rows.isEmpty {
            x += "<rowBreaks count=\"\(rows.count)\" manualBreakCount=\"\(rows.count)\">"
            for r in rows { x += "<brk id=\"\(r - 1)\" max=\"16383\" man=\"1\"/>" }
            x += "</rowBreaks>"
        }
        let columns = Set(p.columnBreaks.filter { $0 > 1 }).sorted()
        if !columns.isEmpty {
            x += "<colBreaks count=\"\(columns.count)\" manualBreakCount=\"\(columns.count)\">"
            for c in columns { x += "<brk id=\"\(c - 1)\" max=\"1048575\" man=\"1\"/>" }
            x += "</colBreaks>"
        }
        return x
    }

    /// The `_xlnm.Print_Titles` formula of a sheet: `'Biểu'!$A:$B,'Biểu'!$7:$8`.
    static func printTitles(_ sheet: WorkbookDraft.Sheet) -> String? {
        let name = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
        var parts: [String] = []
        if let c = sheet.page.repeatColumns {
            parts.append("\(name)!$\(CellReference.columnName(c.lowerBound)):$\(CellReference.columnName(c.upperBound))")
        }
        if let r = sheet.page.repeatRows { parts.append("\(name)!$\(r.lowerBound):$\(r.upperBound)") }
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }
}

/// Cell comments: the comments part, and the legacy VML drawing Excel needs to show them.
enum Comments {
    static func part(_ comments: [(CellReference, String)]) -> String {
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        x += "<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors><author>tonghop</author></authors><commentList>"
        for (ref, text) in comments {
            x += "<comment ref=\"\(ref)\" authorId=\"0\"><text><r><t xml:space=\"preserve\">\(XLSXWriter.escape(text))</t></r></text></comment>"
        }
        return x + "</commentList></comments>"
    }

    static func vml(_ comments: [(CellReference, String)]) -> String {
        var x = "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">"
        x += "<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"1\"/></o:shapelayout>"
        x += "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>"
        for (i, (ref, _)) in comments.enumerated() {
            let r = ref.row - 1, c = ref.column - 1
            x += "<v:shape id=\"_x0000_s\(1025 + i)\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:80pt;margin-top:2pt;width:180pt;height:80pt;z-index:\(i + 1);visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">"
            x += "<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>"
            x += "<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>\(c + 1), 15, \(r), 2, \(c + 4), 15, \(r + 4), 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>\(r)</x:Row><x:Column>\(c)</x:Column></x:ClientData></v:shape>"
        }
        return x + "</xml>"
    }
}

extension NumberText {
    /// A double as XML needs it: the shortest text that reads back as the same double.
    static func formatForXML(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
