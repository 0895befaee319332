// Template: the form on paper. Column widths, a header row as tall as its wrapped text, the
// code and total rows marked, bordered blank cells to fill, the signature block from the plan,
// and the page set-up of PrintLayout.
import Foundation
import Sheets

extension FormTemplate {
    /// Widths in characters: STT, the commune, numbers, other text.
    static func width(of f: FieldDefinition) -> Double {
        if f.isRowKey { return 22 }
        switch f.type {
        case .text: return 20
        case .enumeration: return max(12, min(24, Double(f.values.map(\.count).max() ?? 0) + 3))
        default: return 12
        }
    }

    /// Heights in points of the rows other than the header.
    enum RowHeight {
        static let heading = 16.5, title = 21.0, gap = 9.0, codes = 15.75, data = 18.75, single = 24.0, total = 18.75, signature = 16.5
    }

    /// Rows of the signature block under the table, counted from its first line.
    static let signatureLines = 9

    static func layOutForPrint(_ sheet: inout WorkbookDraft.Sheet, plan: Plan, form: FormDefinition, unit: ReportingUnit?, dataRows: Int) {
        let perCommune = form.rows == .perCommune
        let lastColumn = form.fields.count + 1
        let firstData = FormLayout.firstDataRow
        let lastData = firstData + dataRows - 1
        let totalRow = perCommune ? lastData + 1 : nil
        let blockStart = (totalRow ?? lastData) + 2
        let lastRow = blockStart + signatureLines - 1

        // Widths, and the header as tall as its longest wrapped text.
        sheet.widths[1] = 5
        for (i, f) in form.fields.enumerated() { sheet.widths[i + 2] = width(of: f) }
        var headerHeight = 31.5
        for f in form.fields {
            let h = TextMeasure.wrappedHeight(f.headerText, columnCharacters: width(of: f), size: 11, bold: true)
            headerHeight = max(headerHeight, h)
        }
        sheet.rowHeights[FormLayout.headerRow] = headerHeight
        for r in 1..<FormLayout.headerRow { sheet.rowHeights[r] = r == 3 ? RowHeight.title : r == 6 ? RowHeight.gap : RowHeight.heading }
        sheet.rowHeights[FormLayout.codesRow] = RowHeight.codes
        for r in firstData...lastData { sheet.rowHeights[r] = perCommune ? RowHeight.data : RowHeight.single }
        if let totalRow { sheet.rowHeights[totalRow] = RowHeight.total }
        for r in (totalRow ?? lastData) + 1...lastRow { sheet.rowHeights[r] = r == blockStart - 1 ? RowHeight.gap : RowHeight.signature }

        // The codes row reads as codes, the total row as a total; blank cells have borders.
        let styled = Dictionary(sheet.cells.enumerated().map { (CellReference(row: $0.element.row, column: $0.element.column), $0.offset) },
                                uniquingKeysWith: { a, _ in a })
        for c in 1...lastColumn {
            if let i = styled[CellReference(row: FormLayout.codesRow, column: c)] { sheet.cells[i].style = .codes }
            for r in firstData...lastData {
                if let i = styled[CellReference(row: r, column: c)] {
                    if sheet.cells[i].style == .plain { sheet.cells[i].style = .bordered }
                } else {
                    sheet.set(r, c, .blank, c == 1 ? .bordered : inputStyle(form.fields[c - 2]))
                }
            }
            guard let totalRow else { continue }
            if let i = styled[CellReference(row: totalRow, column: c)] {
                switch sheet.cells[i].style {
                case .integer: sheet.cells[i].style = .totalInteger
                case .decimal: sheet.cells[i].style = .totalDecimal
                default: sheet.cells[i].style = .totalText
                }
            } else {
                sheet.set(totalRow, c, .blank, .totalText)
            }
        }

        // FormLayout's own signature line gives way to the block.
        sheet.cells.removeAll { $0.row > (totalRow ?? lastData) }
        let table = PrintLayout.Table(widths: sheet.widths, heights: sheet.rowHeights, lastRow: lastRow,
                                      titleRows: FormLayout.headerRow...FormLayout.codesRow,
                                      titleColumns: perCommune ? 1...((form.fields.firstIndex { $0.isRowKey } ?? 0) + 2) : nil,
                                      keepTogetherFrom: lastData)
        let layout = PrintLayout.plan(table, paper: form.print.paper == .a3 ? .a3 : .a4, minimumScale: form.print.minimumScale)
        sheet.page = layout.pageSetup(for: table)

        let official = plan.official
        let place = unit.map { official.place(of: $0) } ?? "……………"
        placeSignatures(&sheet, row: blockStart, from: layout.columnStarts.last ?? 1, to: lastColumn,
                        preparer: official.preparer, dateLine: OfficialInfo.dateLine(place: place), signer: official.unitSigner)
        let firstPageEnd = (layout.columnStarts.dropFirst().first ?? lastColumn + 1) - 1
        let headingEnd = placeHeading(&sheet, repeated: layout.pagesAcross > 1 ? table.titleColumns : nil, firstPageEnd: firstPageEnd)
        placeNationalMotto(&sheet, from: headingEnd + 1, to: firstPageEnd)
    }

    /// The union's name centred in the top left corner (within the repeated columns when the
    /// form is printed across pages, so that it heads every page); the title, period and unit
    /// lines centred over the first page. Returns the heading's last column.
    static func placeHeading(_ sheet: inout WorkbookDraft.Sheet, repeated: ClosedRange<Int>?, firstPageEnd: Int) -> Int {
        func width(_ c: Int) -> Double { TextMeasure.columnPoints(sheet.widths[c] ?? 8.43) }
        var end = repeated?.upperBound ?? 1
        if repeated == nil {
            var w = width(1)
            while end < firstPageEnd - 3, w < 190 {
                end += 1
                w += width(end)
            }
        }
        let characters = (1...end).map { sheet.widths[$0] ?? 8.43 }.reduce(0, +)
        for i in sheet.cells.indices where sheet.cells[i].column == 1 && (1...5).contains(sheet.cells[i].row) {
            let row = sheet.cells[i].row
            switch row {
            case 1:
                sheet.cells[i].style = .centeredBoldWrapped
                if case .text(let t) = sheet.cells[i].value {
                    let h = TextMeasure.wrappedHeight(t, columnCharacters: characters, size: 11, bold: true)
                    sheet.rowHeights[1] = max(RowHeight.heading, h / 2)
                    sheet.rowHeights[2] = max(RowHeight.heading, h / 2)
                }
                sheet.merged.append(CellRange(first: CellReference(row: 1, column: 1), last: CellReference(row: 2, column: end)))
            case 3, 4, 5:
                sheet.cells[i].style = row == 3 ? .titleCentered : .centered
                sheet.merged.append(CellRange(first: CellReference(row: row, column: 1), last: CellReference(row: row, column: firstPageEnd)))
            default:
                break
            }
        }
        return end
    }

    /// The style of a cell to fill: bordered, formatted for its type.
    static func inputStyle(_ f: FieldDefinition) -> WorkbookDraft.Style {
        switch f.type {
        case .integer: return .integer
        case .decimal, .percent: return .decimal
        case .date: return .date
        default: return .bordered
        }
    }

    /// Columns from the right end of `first...last` wide enough for `points`.
    static func columnsFromRight(_ sheet: WorkbookDraft.Sheet, _ first: Int, _ last: Int, points: Double) -> ClosedRange<Int> {
        var start = last
        var width = TextMeasure.columnPoints(sheet.widths[last] ?? 8.43)
        while start > first, width < points {
            start -= 1
            width += TextMeasure.columnPoints(sheet.widths[start] ?? 8.43)
        }
        return start...last
    }

    /// The Quốc hiệu and Tiêu ngữ, centred over the right of the first page.
    static func placeNationalMotto(_ sheet: inout WorkbookDraft.Sheet, from first: Int, to last: Int) {
        let motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        sheet.cells.removeAll { ($0.row == 1 || $0.row == 2) && $0.column > 1 }
        let columns = columnsFromRight(sheet, min(first, last), last, points: TextMeasure.width(motto, size: 11, bold: true) + 12)
        sheet.set(1, columns.lowerBound, .text(motto), .centeredBold)
        sheet.set(2, columns.lowerBound, .text("Độc lập - Tự do - Hạnh phúc"), .centeredBold)
        if columns.count > 1 {
            for r in 1...2 {
                sheet.merged.append(CellRange(first: CellReference(row: r, column: columns.lowerBound),
                                              last: CellReference(row: r, column: columns.upperBound)))
            }
        }
    }

    /// `Người lập biểu` on the left; the date line, the signer's titles and the seal on the
    /// right; side by side, within the columns of the last page across. The first line starts
    /// with the preparer's title, so that a reader of the filled form knows the table ended.
    static func placeSignatures(_ sheet: inout WorkbookDraft.Sheet, row: Int, from first: Int, to last: Int,
                                preparer: String, dateLine: String, signer: OfficialInfo.Signer) {
        let rightText = [dateLine, signer.onBehalf ?? "", signer.title, "(Ký tên, đóng dấu)"]
        let needed = rightText.map { TextMeasure.width($0, size: 11, bold: true) }.max()! + 18
        let right = columnsFromRight(sheet, first + 1, last, points: needed)
        var leftEnd = first
        var leftWidth = TextMeasure.columnPoints(sheet.widths[first] ?? 8.43)
        while leftEnd + 1 < right.lowerBound, leftWidth < 150 {
            leftEnd += 1
            leftWidth += TextMeasure.columnPoints(sheet.widths[leftEnd] ?? 8.43)
        }
        let left = first...leftEnd
        func line(_ r: Int, _ columns: ClosedRange<Int>, _ text: String, _ style: WorkbookDraft.Style) {
            sheet.set(r, columns.lowerBound, .text(text), style)
            if columns.count > 1 {
                sheet.merged.append(CellRange(first: CellReference(row: r, column: columns.lowerBound),
                                              last: CellReference(row: r, column: columns.upperBound)))
            }
        }
        line(row, left, preparer, .centeredBold)
        line(row + 1, left, "(Ký, ghi rõ họ tên)", .centeredItalic)
        line(row, right, dateLine, .centeredItalic)
        var r = row + 1
        if let onBehalf = signer.onBehalf {
            line(r, right, onBehalf, .centeredBold)
            r += 1
        }
        line(r, right, signer.title, .centeredBold)
        line(r + 1, right, "(Ký tên, đóng dấu)", .centeredItalic)
        if let name = signer.name { line(row + signatureLines - 1, right, name, .centeredBold) }
    }
}
