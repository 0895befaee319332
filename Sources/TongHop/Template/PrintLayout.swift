// Template: how a table sheet prints. Landscape, at the largest scale that keeps the table
// whole on the width of the paper, but never below the form's smallest scale: a wider table
// continues on more pages, cut between columns, with the row-name columns and the header rows
// printed again on each (print titles). Pages break between rows so that the total row and the
// signature block under it stay on one page. Every row has a height, so the pages fall where
// computed in Excel and LibreOffice alike.
import Foundation
import Sheets

public struct PrintLayout: Sendable, Equatable {
    /// Percent.
    public var scale: Int
    /// The first column of each page across (1 for the first).
    public var columnStarts: [Int]
    /// The first row of each page down (1 for the first).
    public var rowStarts: [Int]
    public var paper: PageSetup.Paper

    /// Where a table sits on its sheet.
    public struct Table: Sendable {
        /// Widths in characters, by 1-based column; the last column is the table's right edge.
        public var widths: [Int: Double]
        /// Heights in points, by 1-based row, of every row down to the last printed.
        public var heights: [Int: Double]
        public var lastRow: Int
        /// Rows printed again on every page (the header).
        public var titleRows: ClosedRange<Int>
        /// Columns printed again on every page across (STT and the name of the row), if any.
        public var titleColumns: ClosedRange<Int>?
        /// From this row to the last, one page: the last data row, the total row, the signatures.
        public var keepTogetherFrom: Int

        public init(widths: [Int: Double], heights: [Int: Double], lastRow: Int, titleRows: ClosedRange<Int>,
                    titleColumns: ClosedRange<Int>?, keepTogetherFrom: Int) {
            self.widths = widths
            self.heights = heights
            self.lastRow = lastRow
            self.titleRows = titleRows
            self.titleColumns = titleColumns
            self.keepTogetherFrom = keepTogetherFrom
        }

        var lastColumn: Int { widths.keys.max() ?? 1 }
        func width(_ c: Int) -> Double { TextMeasure.columnPoints(widths[c] ?? 8.43) }
        func height(_ r: Int) -> Double { heights[r] ?? 15 }
    }

    /// Room kept free on the printed width and height, for the applications' own rounding.
    static let slack = 0.96

    /// The layout of `table` on `paper`, landscape, at `minimumScale` percent or more.
    public static func plan(_ table: Table, paper: PageSetup.Paper, minimumScale: Int) -> PrintLayout {
        var setup = PageSetup()
        setup.paper = paper
        setup.landscape = true
        let (pageWidth, pageHeight) = setup.printableSize
        let usableWidth = pageWidth * slack, usableHeight = pageHeight * slack
        let columns = Array(1...table.lastColumn)
        let totalWidth = columns.map(table.width).reduce(0, +)
        let totalHeight = (1...max(table.lastRow, 1)).map(table.height).reduce(0, +)
        let floorScale = min(max(minimumScale, 10), 100)

        var scale = min(100, Int((100 * usableWidth / totalWidth).rounded(.down)))
        var starts = [1]
        if scale < floorScale {
            // As many pages across as the smallest scale needs, at the largest scale that
            // needs no more.
            let needed = columnStarts(table, width: usableWidth * 100 / Double(floorScale)).count
            scale = floorScale
            for s in stride(from: 100, to: floorScale, by: -1)
            where columnStarts(table, width: usableWidth * 100 / Double(s)).count <= needed {
                scale = s
                break
            }
            starts = columnStarts(table, width: usableWidth * 100 / Double(scale))
        }
        // A table that fits one page down at a scale still readable is printed so.
        let heightScale = Int((100 * usableHeight / totalHeight).rounded(.down))
        if heightScale < scale && heightScale >= floorScale { scale = heightScale }
        let rows = rowStarts(table, height: usableHeight * 100 / Double(scale))
        return PrintLayout(scale: scale, columnStarts: starts, rowStarts: rows, paper: paper)
    }

    /// The first column of each page across, filling each page from the left.
    static func columnStarts(_ table: Table, width: Double) -> [Int] {
        let repeated = table.titleColumns.map { $0.map(table.width).reduce(0, +) } ?? 0
        var starts = [1]
        var used = 0.0
        for c in 1...table.lastColumn {
            let w = table.width(c)
            if used + w > width, used > repeated {
                starts.append(c)
                used = repeated
            }
            used += w
        }
        return starts
    }

    /// The first row of each page down; the rows from `keepTogetherFrom` on are never parted.
    static func rowStarts(_ table: Table, height: Double) -> [Int] {
        let repeated = table.titleRows.map(table.height).reduce(0, +)
        var starts = [1]
        var used = 0.0
        var r = 1
        while r <= table.lastRow {
            let block = r == table.keepTogetherFrom
                ? (r...table.lastRow).map(table.height).reduce(0, +)
                : table.height(r)
            // A page holds at least the repeated header and one row, whatever the sizes.
            if used + block > height, used > repeated, r > table.titleRows.upperBound + 1 {
                starts.append(r)
                used = repeated
            }
            if r == table.keepTogetherFrom {
                used += block
                break
            }
            used += block
            r += 1
        }
        return starts
    }

    /// Pages across.
    public var pagesAcross: Int { columnStarts.count }
    /// Pages down.
    public var pagesDown: Int { rowStarts.count }

    /// The sheet's page set-up: paper, landscape, scale, breaks, print titles, page numbers.
    public func pageSetup(for table: Table) -> PageSetup {
        var p = PageSetup()
        p.paper = paper
        p.landscape = true
        p.scale = scale
        p.rowBreaks = Array(rowStarts.dropFirst())
        p.columnBreaks = Array(columnStarts.dropFirst())
        p.repeatRows = table.titleRows
        if pagesAcross > 1 { p.repeatColumns = table.titleColumns }
        p.footer = "&CTrang &P/&N"
        p.centerHorizontally = pagesAcross == 1
        return p
    }
}
