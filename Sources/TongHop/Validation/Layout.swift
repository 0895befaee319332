// Validation: where a form's table sits in a sheet. The header row is found below any title
// rows (or a two-row header whose group cells are merged), its cells matched to the form's
// fields by folded text and aliases; a row of column codes is skipped; data rows run to the
// `Tổng cộng` row or to the notes and signatures under the table.
import Foundation
import Sheets

public struct SheetLayout: Sendable {
    public var form: FormDefinition
    /// First and last header row (equal for a one-row header).
    public var headerTop: Int
    public var headerBottom: Int
    /// Field of each matched column.
    public var columns: [Int: FieldDefinition]
    /// The header text of every non-empty header column, as shown.
    public var headerText: [Int: String]
    public var unknownColumns: [(column: Int, text: String, suggestion: FieldDefinition?)]
    public var duplicateColumns: [(column: Int, field: FieldDefinition, first: Int)]
    public var codesRow: Int?
    public var dataRows: [SheetRow]
    public var totalRow: SheetRow?
    /// Distinct fields matched.
    public var matched: Int

    public func column(of key: String) -> Int? { columns.first { $0.value.key == key }?.key }

    /// How well the sheet fits the form: matched fields over the form's fields.
    public var fit: Double { Double(matched) / Double(max(form.fields.count, 1)) }
}

public enum LayoutDetector {
    /// Header cells that are part of every table and belong to no field.
    static let ignoredHeaders: Set<String> = ["stt", "tt", "so tt", "so thu tu", "thu tu", "ma", "ma so"]

    static let totalWords: [String] = ["tong cong", "cong", "tong", "tong so", "toan huyen", "toan thi xa", "toan thanh pho",
                                       "cong toan huyen", "tong toan huyen"]
    static let noteWords: [String] = ["nguoi lap bieu", "nguoi lap", "chu tich", "pho chu tich", "ghi chu", "ky ten",
                                      "thu truong", "tm ban thuong vu", "xac nhan", "ke toan", "lap bieu", "noi nhan"]

    /// Text of a cell for header matching: folded, with a trailing unit in parentheses removed.
    static func headerKey(_ s: String) -> (full: String, bare: String) {
        let full = Folding.key(s)
        let bare = Folding.trimmed(s)
        // A text whose last byte is not `)` cannot end with the character `)`.
        if bare.utf8.last == UInt8(ascii: ")"), bare.hasSuffix(")"), let open = bare.lastIndex(of: "(") {
            return (full, Folding.key(String(bare[..<open])))
        }
        // Trimming changes no key (white space folds to nothing at either end).
        return (full, full)
    }

    /// The field a header text names, if any.
    static func field(for text: String, in form: FormDefinition) -> FieldDefinition? {
        let (full, bare) = headerKey(text)
        guard let key = form.headerIndex[bare] ?? form.headerIndex[full] else { return nil }
        return form.field(key)
    }

    static func text(_ v: CellValue) -> String? {
        if case .text(let s) = v {
            let t = Folding.trimmed(s)
            return t.isEmpty ? nil : t
        }
        return nil
    }

    /// The header candidates of a sheet, folded once and matched against every form.
    public struct HeaderCandidates {
        struct Text {
            var shown: String
            var full: String
            var bare: String
            /// Its place in `all`, or -1 for a merged group's text read under it.
            var id = -1
        }

        /// A header of rows top...bottom with every column's text, the same for every form:
        /// what each form then looks up.
        struct Span {
            struct Column {
                var column: Int
                /// The upper row's text and the lower row's (one of them at least).
                var up: Text?
                var down: Text?
                /// The cell belongs to no field in any table (`ignoredHeaders`).
                var ignored: Bool

                /// The (full, bare) keys to look up, in order: the first that names a field
                /// wins. `matchHeaders` resolves the same keys without building them.
                var tries: [(full: String, bare: String)] {
                    switch (up, down) {
                    case let (u?, d?): return [(d.full, d.bare), (u.full + " " + d.full, u.full + " " + d.bare), (u.full, u.bare)]
                    case let (u?, nil): return [(u.full, u.bare)]
                    case let (nil, d?): return [(d.full, d.bare)]
                    default: return []
                    }
                }

                /// The header as shown: both rows' texts for a two-row header. Put together
                /// only for the table chosen.
                var shown: String {
                    switch (up, down) {
                    case let (u?, d?): return "\(u.shown) / \(d.shown)"
                    case let (u?, nil): return u.shown
                    case let (nil, d?): return d.shown
                    default: return ""
                    }
                }
            }

            var top: Int
            var bottom: Int
            var columns: [Column]

            /// The shown text of every column.
            var headerText: [Int: String] {
                Dictionary(columns.map { ($0.column, $0.shown) }, uniquingKeysWith: { a, _ in a })
            }
        }

        let grid: SheetGrid
        /// Candidate header rows (two texts at least, within the first rows).
        let rows: [Int]
        var texts: [Int: [Int: Text]] = [:]
        /// Every text of `texts`, by its `id`: each looked up once for all spans.
        var all: [Text] = []
        /// The columns of `texts[row]`, sorted.
        var textColumns: [Int: [Int]] = [:]
        /// The one-row and two-row headers starting at each candidate row, in that order (nil
        /// where there is none).
        var spans: [Span?] = []

        public init(_ grid: SheetGrid, searchRows: Int = 40) {
            self.grid = grid
            rows = grid.rows.prefix { $0.number <= searchRows }.filter { r in
                r.cells.lazy.filter { if case .text = $0.value { return true }; return false }.prefix(2).count == 2
            }.map(\.number)
            for n in Set(rows + rows.map { $0 + 1 }) {
                guard let row = grid.row(n) else { continue }
                var byColumn: [Int: Text] = [:]
                byColumn.reserveCapacity(row.cells.count)
                for c in row.cells {
                    guard let t = LayoutDetector.text(c.value) else { continue }
                    let (full, bare) = LayoutDetector.headerKey(t)
                    let text = Text(shown: t, full: full, bare: bare, id: all.count)
                    all.append(text)
                    byColumn[c.column] = text
                }
                texts[n] = byColumn
                textColumns[n] = byColumn.keys.sorted()
            }
            for row in rows {
                for extra in [0, 1] { spans.append(span(top: row, bottom: row + extra)) }
            }
        }

        /// Header columns of rows top...bottom: for a two-row header, a cell of the lower row
        /// under a merged group cell is the field's name; a cell merged down through both rows
        /// (or only in the upper row) is named by the upper row.
        func span(top: Int, bottom: Int) -> Span? {
            guard let upperTexts = texts[top] else { return nil }
            let lowerTexts = bottom > top ? texts[bottom] : nil
            if bottom > top && (lowerTexts == nil || lowerTexts!.isEmpty) { return nil }
            // The columns of either row, left to right: the two rows' sorted columns merged.
            let upper = textColumns[top] ?? [], lower = lowerTexts != nil ? textColumns[bottom] ?? [] : []
            var columnsSeen: [Int] = []
            columnsSeen.reserveCapacity(upper.count + lower.count)
            var i = 0, j = 0
            while i < upper.count || j < lower.count {
                if j == lower.count || (i < upper.count && upper[i] < lower[j]) {
                    columnsSeen.append(upper[i]); i += 1
                } else if i == upper.count || lower[j] < upper[i] {
                    columnsSeen.append(lower[j]); j += 1
                } else {
                    columnsSeen.append(upper[i]); i += 1; j += 1
                }
            }
            var columns: [Span.Column] = []
            columns.reserveCapacity(columnsSeen.count)
            for c in columnsSeen {
                let up = upperTexts[c] ?? (lowerTexts != nil ? text(top, c) : nil)
                let down = lowerTexts?[c]
                guard let first = down ?? up else { continue }
                columns.append(Span.Column(column: c, up: up, down: down, ignored: LayoutDetector.ignoredHeaders.contains(first.full)))
            }
            guard !columns.isEmpty else { return nil }
            return Span(top: top, bottom: bottom, columns: columns)
        }

        func text(_ row: Int, _ column: Int) -> Text? {
            if let t = texts[row]?[column] { return t }
            // A cell under a merged group cell reads the group's text.
            guard let g = LayoutDetector.groupText(grid, row: row, column: column) else { return nil }
            let (full, bare) = LayoutDetector.headerKey(g)
            return Text(shown: g, full: full, bare: bare)
        }
    }

    /// Finds the form's table in a sheet, or nil when no header row names any of its fields.
    public static func detect(_ grid: SheetGrid, form: FormDefinition, searchRows: Int = 40) -> SheetLayout? {
        detect(HeaderCandidates(grid, searchRows: searchRows), form: form)
    }

    public static func detect(_ candidates: HeaderCandidates, form: FormDefinition) -> SheetLayout? {
        guard var layout = detectHeader(candidates, form: form) else { return nil }
        findBody(candidates.grid, &layout)
        return layout
    }

    /// The form's header in a sheet, without its body (`findBody`): what choosing among the
    /// forms needs.
    static func detectHeader(_ candidates: HeaderCandidates, form: FormDefinition) -> SheetLayout? {
        var best: SheetLayout?
        for span in candidates.spans {
            guard let span, let layout = header(span, form: form) else { continue }
            if best == nil || layout.matched > best!.matched { best = layout }
        }
        guard let layout = best, layout.matched > 0 else { return nil }
        return layout
    }

    /// Every form's header index as small integers, built once per plan: a folded header text
    /// is looked up once for all forms, and each form answers by array index.
    final class HeaderTable: @unchecked Sendable {
        /// Each folded text any form's index holds.
        let ids: [String: Int]
        /// Per form (in the plan's order), per text id: the field's index in the form, -1 when
        /// the form does not know the text, -2 when it names a key no field has.
        let fields: [[Int]]
        /// Per form, its title words and file-name words as `Identifier.formScore` looks for
        /// them: folded, framed by spaces, with the folded word's length.
        let titleWords: [[Identifier.Phrase]]
        let fileNameWords: [[Identifier.Phrase]]
        /// Every run of leading words of a text `ids` holds, short of the whole (`so ho` of
        /// `so ho vay`): a two-row header's upper text not among them names nothing together
        /// with any lower text.
        let heads: Set<String>

        init(_ forms: [FormDefinition]) {
            titleWords = forms.map { $0.titleWords.map(Identifier.Phrase.init) }
            fileNameWords = forms.map { $0.fileNameWords.map(Identifier.Phrase.init) }
            var ids: [String: Int] = [:]
            for f in forms { for k in f.headerIndex.keys where ids[k] == nil { ids[k] = ids.count } }
            self.ids = ids
            var heads = Set<String>()
            for k in ids.keys {
                var from = k.startIndex
                while let space = k[from...].firstIndex(of: " ") {
                    heads.insert(String(k[..<space]))
                    from = k.index(after: space)
                }
            }
            self.heads = heads
            fields = forms.map { f in
                var row = [Int](repeating: -1, count: ids.count)
                for (k, key) in f.headerIndex { row[ids[k]!] = f.fields.firstIndex { $0.key == key } ?? -2 }
                return row
            }
        }

        /// Tables already built, by the storage of the plan's form list (held here, so no
        /// other list can take its place while cached).
        private static let lock = NSLock()
        nonisolated(unsafe) private static var built: [(forms: [FormDefinition], table: HeaderTable)] = []

        static func of(_ forms: [FormDefinition]) -> HeaderTable {
            lock.lock()
            defer { lock.unlock() }
            if let hit = built.first(where: { same($0.forms, forms) }) { return hit.table }
            let t = HeaderTable(forms)
            if built.count > 8 { built.removeAll() }
            built.append((forms, t))
            return t
        }

        private static func same(_ a: [FormDefinition], _ b: [FormDefinition]) -> Bool {
            a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        }
    }

    /// `detectHeader` for every form of `forms` at once, in their order: the same layouts,
    /// with each header text looked up once.
    static func detectHeaders(_ candidates: HeaderCandidates, forms: [FormDefinition]) -> [SheetLayout?] {
        matchHeaders(candidates, forms: forms).map { m in m.flatMap { header(candidates.spans[$0.span]!, form: forms[$0.form]) } }
    }

    /// Where a form's header is in a sheet and how many of its fields it names, before its
    /// layout is built (`header`): what choosing among the forms needs.
    struct HeaderMatch {
        /// The form's place in the plan's list, and the span's in `HeaderCandidates.spans`.
        var form: Int
        var span: Int
        /// Distinct fields named: `SheetLayout.matched` of the layout `header` builds.
        var matched: Int

        /// `SheetLayout.fit` of that layout.
        func fit(_ form: FormDefinition) -> Double { Double(matched) / Double(max(form.fields.count, 1)) }
    }

    /// For every form of `forms`, in their order, the span `detectHeader` would take and the
    /// fields it names, nil where none: each header text looked up once.
    static func matchHeaders(_ candidates: HeaderCandidates, forms: [FormDefinition]) -> [HeaderMatch?] {
        let table = HeaderTable.of(forms)
        // Each text's ids (bare, full; -1 when unknown), looked up once for every span.
        func lookup(_ t: HeaderCandidates.Text) -> (bare: Int, full: Int) {
            // Most headers have no unit in parentheses: their bare key is their full key.
            let bare = table.ids[t.bare] ?? -1
            return (bare, t.full == t.bare ? bare : table.ids[t.full] ?? -1)
        }
        let known = candidates.all.map(lookup)
        func ids(_ t: HeaderCandidates.Text) -> (bare: Int, full: Int) { t.id >= 0 ? known[t.id] : lookup(t) }
        let none = (bare: -1, full: -1)
        // Per span, three tries per column in `Column.tries` order (an absent one unknown).
        let resolved: [[(bare: Int, full: Int)]] = candidates.spans.map { span in
            guard let span else { return [] }
            var out: [(bare: Int, full: Int)] = []
            out.reserveCapacity(span.columns.count * 3)
            for c in span.columns {
                switch (c.up, c.down) {
                case let (u?, d?):
                    out.append(ids(d))
                    if table.heads.contains(u.full) {
                        let bare = table.ids[u.full + " " + d.bare] ?? -1
                        out.append((bare, d.full == d.bare ? bare : table.ids[u.full + " " + d.full] ?? -1))
                    } else {
                        out.append(none)
                    }
                    out.append(ids(u))
                case let (u?, nil):
                    out += [ids(u), none, none]
                case let (nil, d?):
                    out += [ids(d), none, none]
                default:
                    out += [none, none, none]
                }
            }
            return out
        }
        return forms.indices.map { fi -> HeaderMatch? in
            let fields = table.fields[fi]
            // The field index a try names for this form: -1 when none, -2 when its key names
            // no field (and the next try is taken).
            func field(_ t: (bare: Int, full: Int)) -> Int {
                var v = t.bare >= 0 ? fields[t.bare] : -1
                if v == -1 { v = t.full >= 0 ? fields[t.full] : -1 }
                return v
            }
            // The first span matching the most distinct fields, as `detectHeader` picks it.
            var best: (span: Int, matched: Int)?
            var seen: [Int] = []
            for (si, span) in candidates.spans.enumerated() {
                guard span != nil else { continue }
                seen.removeAll(keepingCapacity: true)
                let tries = resolved[si]
                var k = 0
                while k < tries.count {
                    var v = field(tries[k])
                    if v < 0 { v = field(tries[k + 1]) }
                    if v < 0 { v = field(tries[k + 2]) }
                    if v >= 0, !seen.contains(v) { seen.append(v) }
                    k += 3
                }
                if best == nil || seen.count > best!.matched { best = (si, seen.count) }
            }
            guard let best, best.matched > 0, candidates.spans[best.span] != nil else { return nil }
            return HeaderMatch(form: fi, span: best.span, matched: best.matched)
        }
    }

    /// The form's fields in a header's columns, each field at its first column.
    static func header(_ span: HeaderCandidates.Span, form: FormDefinition) -> SheetLayout? {
        var columns: [Int: FieldDefinition] = [:]
        var firstColumn: [String: Int] = [:]
        var unknown: [(Int, String, FieldDefinition?)] = []
        var duplicates: [(Int, FieldDefinition, Int)] = []
        for column in span.columns {
            var field: FieldDefinition?
            for t in column.tries {
                if let f = (form.headerIndex[t.bare] ?? form.headerIndex[t.full]).flatMap({ form.field($0) }) { field = f; break }
            }
            let c = column.column
            guard let f = field else {
                if !column.ignored { unknown.append((c, column.shown, nil)) }
                continue
            }
            if let first = firstColumn[f.key] {
                duplicates.append((c, f, first))
                continue
            }
            firstColumn[f.key] = c
            columns[c] = f
        }
        return SheetLayout(form: form, headerTop: span.top, headerBottom: span.bottom, columns: columns, headerText: span.headerText,
                           unknownColumns: unknown, duplicateColumns: duplicates, codesRow: nil, dataRows: [],
                           totalRow: nil, matched: columns.count)
    }

    /// Near misses: an unknown header close to a field nobody matched ("did you mean").
    public static func suggest(_ layout: inout SheetLayout) {
        let matched = Set(layout.columns.values.map(\.key))
        let unmatched = layout.form.fields.filter { !matched.contains($0.key) }
        let names = unmatched.flatMap { [$0.header] + $0.aliases }
        layout.unknownColumns = layout.unknownColumns.map { c, shown, _ in
            let last = shown.components(separatedBy: " / ").last ?? shown
            let bare = headerKey(last).bare
            let suggestion = Folding.suggestion(for: bare, among: names).flatMap { n in
                unmatched.first { ([$0.header] + $0.aliases).contains(n) }
            }
            return (c, shown, suggestion)
        }
    }

    /// The text of a merged group cell covering (row, column) from its left, if any.
    static func groupText(_ grid: SheetGrid, row: Int, column: Int) -> String? {
        for range in grid.summary.merged where range.contains(CellReference(row: row, column: column)) {
            if range.first.row == row && range.first.column != column { return text(grid.value(range.first)) }
        }
        return nil
    }

    /// The text without spaces, parentheses and asterisks at either end, as
    /// `trimmingCharacters(in: CharacterSet(charactersIn: " ()*"))` gives it.
    static func codeText(_ s: String) -> String {
        func edge(_ c: Unicode.Scalar) -> Bool { c == " " || c == "(" || c == ")" || c == "*" }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !edge($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !edge($0) })!
        return String(scalars[first...last])
    }

    static func isCodesRow(_ row: SheetRow) -> Bool {
        let values = row.cells.map { $0.value }
        guard values.count >= 3 else { return false }
        let short = values.filter { v in
            switch v {
            case .text(let s):
                let t = codeText(s)
                return t.count <= 3 && !t.isEmpty
            case .number(let d): return d == d.rounded() && d >= 0 && d < 100
            default: return false
            }
        }
        // Codes run A, B, 1, 2, 3…: at least one letter code or a run of small integers.
        let letters = values.contains { if case .text(let s) = $0 { return s.count == 1 && s.first!.isLetter }; return false }
        let numbers = values.compactMap { v -> Double? in
            if case .number(let d) = v { return d }
            if case .text(let s) = v { return Double(codeText(s)) }
            return nil
        }
        let consecutive = zip(numbers, numbers.dropFirst()).filter { $1 == $0 + 1 }.count
        return short.count == values.count && (letters || consecutive >= 2)
    }

    static func firstText(_ row: SheetRow) -> String? {
        row.cells.lazy.compactMap { text($0.value) }.first
    }

    /// Data rows after the header (and the codes row), the total row, and where notes begin.
    static func findBody(_ grid: SheetGrid, _ layout: inout SheetLayout) {
        let after = grid.rows.indices.filter { grid.rows[$0].number > layout.headerBottom }
        var index = 0
        if let first = after.first.map({ grid.rows[$0] }), first.number == layout.headerBottom + 1, isCodesRow(first) {
            layout.codesRow = first.number
            index = 1
        }
        // Whether a column is one of the form's, by its number.
        var fieldColumn = [Bool](repeating: false, count: (layout.columns.keys.max() ?? 0) + 1)
        for c in layout.columns.keys where c >= 0 { fieldColumn[c] = true }
        while index < after.count {
            let row = grid.rows[after[index]]
            index += 1
            // Whether the row holds anything in the form's columns, and a number there.
            var anyField = false, fieldNumber = false
            for c in row.cells where c.column >= 0 && c.column < fieldColumn.count && fieldColumn[c.column] {
                anyField = true
                if case .number = c.value { fieldNumber = true; break }
            }
            // The first text's key, and whether any text names the total: keys folded only
            // until the total is found.
            var first: String?
            var isTotal = false
            for c in row.cells {
                guard let t = text(c.value) else { continue }
                let k = Folding.key(t)
                if first == nil { first = k }
                if totalWords.contains(k) { isTotal = true; break }
            }
            if isTotal {
                layout.totalRow = row
                break
            }
            if let t = first, noteWords.contains(where: { t.hasPrefix($0) }), !fieldNumber {
                break
            }
            // A row holding nothing in the form's columns (a stray note) is not data.
            if !anyField { continue }
            // A row that only numbers itself (STT) with nothing else is an empty form row.
            layout.dataRows.append(row)
        }
    }
}
