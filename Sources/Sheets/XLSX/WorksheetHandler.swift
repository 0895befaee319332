// The hot path: turns a worksheet's SAX events into rows of typed cells, one row at a time.
import CLibXML2
import Foundation

/// Its mutable state is marked `@exclusivity(unchecked)`: it is touched millions of times a
/// second from libxml2's callbacks, on one thread and never re-entrantly, so the runtime's
/// access checks would only cost time (the flag that did this for the whole module made the
/// package unusable as a dependency).
final class WorksheetHandler: XMLPartHandler {
    private let sharedStrings: [String]
    private let styleKinds: [NumberFormatKind]
    private let date1904: Bool
    private let maxCells: Int
    private let emit: (SheetRow) throws -> Void

    @exclusivity(unchecked) private(set) var summary = SheetSummary()
    /// An error thrown by the row handler, rethrown unchanged.
    @exclusivity(unchecked) private(set) var callerError: Error?
    @exclusivity(unchecked) private var row = SheetRow(number: 0, cells: [])
    @exclusivity(unchecked) private var rowOpen = false
    @exclusivity(unchecked) private var rowOutOfOrder = false
    @exclusivity(unchecked) private var lastRowNumber = 0
    @exclusivity(unchecked) private var lastColumn = 0

    // The cell being read.
    @exclusivity(unchecked) private var cellColumn = 0
    @exclusivity(unchecked) private var cellType: UInt8 = 0  // first byte of t=, 0 when absent
    @exclusivity(unchecked) private var cellType2: UInt8 = 0  // second byte, to tell "str" from "s"
    @exclusivity(unchecked) private var cellStyle = 0
    @exclusivity(unchecked) private var hasInline = false
    private let inlineText: TextCollector
    private let text: TextCollector
    @exclusivity(unchecked) private var inValue = false
    @exclusivity(unchecked) private var inInline = false
    @exclusivity(unchecked) private var phoneticDepth = 0
    @exclusivity(unchecked) private var tStart = 0
    @exclusivity(unchecked) private var tPreserve = false
    @exclusivity(unchecked) private var inSheetData = false
    @exclusivity(unchecked) private var skipDepth = 0

    init(sharedStrings: [String], styleKinds: [NumberFormatKind], date1904: Bool,
         limits: ReadLimits, emit: @escaping (SheetRow) throws -> Void) {
        self.sharedStrings = sharedStrings
        self.styleKinds = styleKinds
        self.date1904 = date1904
        self.maxCells = limits.maxCells
        self.emit = emit
        self.text = TextCollector(cap: limits.maxCellTextBytes)
        self.inlineText = TextCollector(cap: limits.maxCellTextBytes)
        super.init()
        row.cells.reserveCapacity(64)
    }

    /// libxml2 calls these methods directly, millions of times per sheet.
    override class func installCallbacks(_ sax: inout xmlSAXHandler) {
        sax.startElementNs = { ctx, local, _, uri, _, _, nbAttributes, _, attributes in
            guard let ctx, let local else { return }
            Unmanaged<WorksheetHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                guard $0.enter() else { return }
                $0.startElement(XMLName(local: local, uri: uri),
                                XMLAttributes(base: attributes, count: Int(nbAttributes)))
            }
        }
        sax.endElementNs = { ctx, local, _, uri in
            guard let ctx, let local else { return }
            Unmanaged<WorksheetHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.leave()
                $0.endElement(XMLName(local: local, uri: uri))
            }
        }
        sax.characters = { ctx, ch, len in
            guard let ctx, let ch, len > 0 else { return }
            Unmanaged<WorksheetHandler>.fromOpaque(ctx)._withUnsafeGuaranteedRef {
                $0.characters(UnsafeBufferPointer(start: ch, count: Int(len)))
            }
        }
        sax.cdataBlock = sax.characters
    }

    private func failAtCell(_ kind: SheetsError.Kind) {
        let ref = CellReference(row: max(lastRowNumber, 1), column: max(cellColumn, 1))
        fail(SheetsError(kind, cell: ref.description))
    }

    override func startElement(_ name: XMLName, _ a: XMLAttributes) {
        if skipDepth > 0 { skipDepth += 1; return }
        let first = name.local.pointee
        // Dispatch on the first byte before comparing whole names: most events are c and v.
        switch first {
        case UInt8(ascii: "c") where name.is("c"):
            startCell(a)
        case UInt8(ascii: "v") where name.is("v"):
            inValue = true
            text.reset()
            text.active = true
        case UInt8(ascii: "r") where name.is("row"):
            startRow(a)
        case UInt8(ascii: "r") where name.is("rPh"):
            phoneticDepth += 1
        case UInt8(ascii: "i") where name.is("is"):
            inInline = true
            hasInline = true
            inlineText.reset()
        case UInt8(ascii: "t") where name.is("t"):
            if inInline, phoneticDepth == 0 {
                inlineText.active = true
                tStart = inlineText.count
                tPreserve = a.preservesSpace
            }
        case UInt8(ascii: "s") where name.is("sheetData"):
            inSheetData = true
        case UInt8(ascii: "m") where name.is("mergeCell"):
            if let ref = a.string("ref"), let range = CellRange(ref) { summary.merged.append(range) }
        case UInt8(ascii: "d") where name.is("dimension"):
            summary.declaredDimension = a.string("ref")
        case UInt8(ascii: "e") where name.is("extLst"):
            skipDepth = 1
        default:
            break
        }
    }

    override func endElement(_ name: XMLName) {
        if skipDepth > 0 { skipDepth -= 1; return }
        switch name.local.pointee {
        case UInt8(ascii: "v") where name.is("v"):
            inValue = false
            text.active = false
        case UInt8(ascii: "c") where name.is("c"):
            endCell()
        case UInt8(ascii: "t") where name.is("t"):
            if inlineText.active, !tPreserve { inlineText.trimTail(from: tStart) }
            inlineText.active = false
        case UInt8(ascii: "r") where name.is("row"):
            endRow()
        case UInt8(ascii: "r") where name.is("rPh"):
            phoneticDepth -= 1
        case UInt8(ascii: "i") where name.is("is"):
            inInline = false
        case UInt8(ascii: "s") where name.is("sheetData"):
            if rowOpen { endRow() }
            inSheetData = false
        default:
            break
        }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inValue { text.append(bytes) } else if inlineText.active { inlineText.append(bytes) }
    }

    private func startRow(_ a: XMLAttributes) {
        if rowOpen { endRow() }
        var number = lastRowNumber + 1
        if let r = a.bytes("r") {
            guard let n = WorksheetHandler.parseInt(r), n >= 1, n <= CellReference.maxRow else {
                failAtCell(.badCellReference(String(decoding: r, as: UTF8.self)))
                return
            }
            number = n
        }
        guard number <= CellReference.maxRow else {
            failAtCell(.badCellReference("row \(number)"))
            return
        }
        if number < lastRowNumber { rowOutOfOrder = true }
        lastRowNumber = number
        lastColumn = 0
        row.number = number
        row.cells.removeAll(keepingCapacity: true)
        rowOpen = true
    }

    private func endRow() {
        rowOpen = false
        guard !row.cells.isEmpty else { return }
        if rowOutOfOrder {
            // Cells arrived out of column order (hand-written XML): sort, keep the last of duplicates.
            row.cells.sort { $0.column < $1.column }
            var dedup: [Cell] = []
            for c in row.cells {
                if dedup.last?.column == c.column { dedup[dedup.count - 1] = c } else { dedup.append(c) }
            }
            row.cells = dedup
            rowOutOfOrder = false
        }
        summary.lastRow = max(summary.lastRow, row.number)
        if let last = row.cells.last?.column { summary.lastColumn = max(summary.lastColumn, last) }
        do {
            try emit(row)
        } catch {
            // The caller's own error: stop, and let readSheet throw it as it was.
            callerError = error
            fail(SheetsError(.io("stopped by the caller")))
        }
    }

    private func startCell(_ a: XMLAttributes) {
        if !rowOpen {
            // A cell outside any <row>: treat it as opening the row its reference names.
            row.number = lastRowNumber + 1
            row.cells.removeAll(keepingCapacity: true)
            rowOpen = true
        }
        // One pass over the attributes: r, t and s are one-letter, unqualified names.
        var r: UnsafeBufferPointer<UInt8>?, t: UnsafeBufferPointer<UInt8>?, st: UnsafeBufferPointer<UInt8>?
        if let base = a.base {
            for i in 0..<a.count {
                let p = base + i * 5
                guard let name = p[0], name[1] == 0, p[2] == nil, let v0 = p[3], let v1 = p[4] else { continue }
                let value = UnsafeBufferPointer(start: v0, count: v1 - v0)
                switch name[0] {
                case UInt8(ascii: "r"): r = value
                case UInt8(ascii: "t"): t = value
                case UInt8(ascii: "s"): st = value
                default: break
                }
            }
        }
        var column = lastColumn + 1
        if let r {
            guard let ref = CellReference.parse(r), ref.column >= 1 else {
                failAtCell(.badCellReference(String(decoding: r, as: UTF8.self)))
                return
            }
            column = ref.column
            if ref.row != 0, ref.row != row.number {
                // The cell names another row than its <row>: trust the cell, as Excel does.
                if !row.cells.isEmpty { endRow(); rowOpen = true; row.cells.removeAll(keepingCapacity: true) }
                row.number = ref.row
                lastRowNumber = ref.row
            }
        }
        guard column <= CellReference.maxColumn else {
            failAtCell(.badCellReference(CellReference.columnName(column) + String(row.number)))
            return
        }
        if column <= lastColumn { rowOutOfOrder = true }
        cellColumn = column
        lastColumn = column
        if let t, t.count > 0 {
            cellType = t[0]
            cellType2 = t.count > 1 ? t[1] : 0
        } else {
            cellType = 0
            cellType2 = 0
        }
        cellStyle = st.flatMap(WorksheetHandler.parseInt) ?? 0
        hasInline = false
        text.reset()
        inlineText.reset()
    }

    private func endCell() {
        if text.overflow || inlineText.overflow {
            failAtCell(.limitExceeded(.cellText, limit: text.cap))
            return
        }
        let value = cellValue()
        guard !value.isEmpty else { return }
        summary.cellCount += 1
        if summary.cellCount > maxCells {
            failAtCell(.limitExceeded(.cellCount, limit: maxCells))
            return
        }
        let percent = (cellType == 0 || cellType == UInt8(ascii: "n")) && cellStyle < styleKinds.count && styleKinds[cellStyle] == .percent
        row.cells.append(Cell(column: cellColumn, value: value, isPercent: percent))
    }

    private func cellValue() -> CellValue {
        cellValue(text.bytes)
    }

    private func cellValue(_ v: UnsafeBufferPointer<UInt8>) -> CellValue {
        switch (cellType, cellType2) {
        case (UInt8(ascii: "s"), 0):  // shared string
            let trimmed = WorksheetHandler.trim(v)
            if trimmed.isEmpty { return .empty }
            guard let index = WorksheetHandler.parseInt(trimmed), index >= 0, index < sharedStrings.count else {
                failAtCell(.badSharedString(String(decoding: trimmed, as: UTF8.self)))
                return .empty
            }
            let s = sharedStrings[index]
            return s.isEmpty ? .empty : .text(s)
        case (UInt8(ascii: "s"), _):  // "str": a formula's string result
            return v.isEmpty ? .empty : .text(OOXMLText.decode(v))
        case (UInt8(ascii: "i"), _):  // inlineStr
            if !hasInline { return v.isEmpty ? .empty : .text(OOXMLText.decode(v)) }
            if inlineText.isEmpty { return .empty }
            return .text(OOXMLText.decode(inlineText.bytes))
        case (UInt8(ascii: "b"), _):
            let t = WorksheetHandler.trim(v)
            if t.isEmpty { return .empty }
            return .bool(t.first == UInt8(ascii: "1") || t.first == UInt8(ascii: "t") || t.first == UInt8(ascii: "T"))
        case (UInt8(ascii: "e"), _):
            return v.isEmpty ? .empty : .error(String(decoding: WorksheetHandler.trim(v), as: UTF8.self))
        case (UInt8(ascii: "d"), _):
            let s = String(decoding: v, as: UTF8.self)
            if s.isEmpty { return .empty }
            if let dt = ExcelDateTime(iso: s) { return .dateTime(dt) }
            return .text(s)
        default:  // "n" or absent: a number, shown as a date when its style says so
            if v.isEmpty { return hasInline && !inlineText.isEmpty ? .text(OOXMLText.decode(inlineText.bytes)) : .empty }
            guard let d = DecimalParsing.parseDouble(v) else { return .text(String(decoding: v, as: UTF8.self)) }
            let kind = cellStyle < styleKinds.count ? styleKinds[cellStyle] : .plain
            switch kind {
            case .plain, .percent: return .number(d)
            case .date, .time:
                if let dt = ExcelDateTime(serial: d, date1904: date1904, timeOnlyFormat: kind == .time) {
                    return .dateTime(dt)
                }
                return .number(d)
            case .duration: return .duration(d)
            }
        }
    }

    @inline(__always)
    static func trim(_ v: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var s = v.startIndex, e = v.endIndex
        while s < e, v[s] <= 0x20 { s += 1 }
        while e > s, v[e - 1] <= 0x20 { e -= 1 }
        return v[s..<e]
    }

    @inline(__always)
    static func parseInt<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var n = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }
}
