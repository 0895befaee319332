// Validation: every check of SPEC 3.5 on one form's table: types, Vietnamese number text,
// bounds, required values, communes, duplicates, the total row, rules between fields and
// money entered in đồng. Pure: a table and the plan in, findings and values out.
import Foundation
import Sheets

/// One data row's accepted values.
public struct RowValues: Sendable, Equatable, Codable {
    /// The commune (row key), or nil for a single-row form.
    public var key: String?
    public var row: Int
    public var numbers: [String: Double]
    public var texts: [String: String]
    /// Fields whose cell was blank: *no data*, never 0 (stored with neither number nor text).
    public var missing: [String] = []
}

public struct SubmissionCheck: Sendable {
    public var rows: [RowValues]
    public var findings: [Finding]
}

struct SubmissionValidator {
    let plan: Plan
    let form: FormDefinition
    let unit: ReportingUnit?
    let layout: SheetLayout
    let file: String
    let sheet: String
    /// The matched columns left to right, each with its field: sorted once for every row.
    let ordered: [(column: Int, field: FieldDefinition)]
    /// What reading each of those columns needs, in the same order.
    let readings: [Reading]
    var findings: [Finding] = []

    init(plan: Plan, form: FormDefinition, unit: ReportingUnit?, layout: SheetLayout, file: String, sheet: String) {
        self.plan = plan
        self.form = form
        self.unit = unit
        self.layout = layout
        self.file = file
        self.sheet = sheet
        ordered = layout.columns.sorted { $0.key < $1.key }.map { (column: $0.key, field: $0.value) }
        readings = ordered.map { Reading(column: $0.column, field: $0.field) }
    }

    /// A finding at the cell of `row` and `column` (or at the row alone), saying `message`.
    mutating func add(_ severity: Severity, _ code: Finding.Code, row: Int? = nil, column: Int? = nil,
                      value: String? = nil, _ message: Message) {
        let cell = row.flatMap { r in column.map { CellReference(row: r, column: $0).description } }
        findings.append(Finding(severity, code, file: file, sheet: sheet, cell: cell, row: row, value: value, message))
    }

    static func shown(_ v: CellValue) -> String {
        if case .number(let d) = v { return VietnameseFormat.number(d) }
        return v.displayText
    }

    func header(_ f: FieldDefinition) -> String { "\"\(f.header)\"" }

    mutating func run() -> SubmissionCheck {
        checkColumns()
        var rows: [RowValues] = []
        for row in layout.dataRows {
            rows.append(readRow(row))
        }
        if form.rows == .single, rows.count > 1 {
            add(.warning, .duplicateRow, row: rows[1].row, column: layout.columns.keys.min(),
                Say.extraRows(count: rows.count, used: rows[0].row))
            rows = [rows[0]]
        }
        if rows.isEmpty {
            add(.error, .missingValue, row: layout.headerBottom, column: layout.columns.keys.min(),
                Say.noDataRows(headerRow: layout.headerBottom))
        }
        if form.rows == .perCommune { checkCommunes(rows) }
        checkTotals(rows)
        checkRules(rows)
        checkUnits(rows)
        return SubmissionCheck(rows: rows, findings: findings)
    }

    mutating func checkColumns() {
        let matched = Set(layout.columns.values.map(\.key))
        for f in form.fields where f.required && !matched.contains(f.key) {
            let near = layout.unknownColumns.first { $0.suggestion?.key == f.key }
            if let near {
                add(.error, .missingColumn, row: layout.headerBottom, column: near.column, value: near.text,
                    Say.columnMisnamed(f, at: near.column, reads: near.text))
            } else {
                add(.error, .missingColumn, row: layout.headerBottom,
                    Say.columnMissing(f))
            }
        }
        // An optional column left out: its figures are no data for this unit, never 0.
        for f in form.fields where !f.required && f.blank != .empty && !matched.contains(f.key) {
            let near = layout.unknownColumns.first { $0.suggestion?.key == f.key }
            add(.warning, .missingColumn, row: layout.headerBottom, column: near?.column, value: near?.text,
                Say.optionalColumnMissing(f, near: near.map { ($0.column, $0.text) }))
        }
        for u in layout.unknownColumns where u.suggestion == nil || matched.contains(u.suggestion!.key) || !u.suggestion!.required {
            if let s = u.suggestion, !matched.contains(s.key) {
                add(.warning, .unknownColumn, row: layout.headerBottom, column: u.column, value: u.text,
                    Say.unknownColumn(u.text, suggestion: s))
            } else {
                add(.info, .unknownColumn, row: layout.headerBottom, column: u.column, value: u.text,
                    Say.extraColumn(u.text))
            }
        }
        for d in layout.duplicateColumns {
            add(.error, .duplicateColumn, row: layout.headerBottom, column: d.column, value: layout.headerText[d.column],
                Say.duplicateColumn(d.field, first: d.first, again: d.column))
        }
    }

    /// What reading a cell needs of its column's field, kept apart from the field so that a
    /// cell read without a finding copies no field.
    struct Reading {
        var column: Int
        var key: String
        var type: FieldType
        var isRowKey: Bool
        var min: Double?
        var max: Double?
        var isMoney: Bool

        init(column: Int, field f: FieldDefinition) {
            self.column = column
            key = f.key
            type = f.type
            isRowKey = f.isRowKey
            min = f.min
            max = f.max
            isMoney = SubmissionValidator.isMoney(f)
        }
    }

    /// Reads every field of one row, with a finding for each value that cannot be used.
    mutating func readRow(_ row: SheetRow) -> RowValues {
        let readings = self.readings
        var numbers: [String: Double] = [:]
        var texts: [String: String] = [:]
        numbers.reserveCapacity(readings.count)
        var missing: [String] = []
        var key: String?
        for i in readings.indices {
            let r = readings[i], column = r.column
            let cell = row.cell(at: column)
            let value = cell?.value ?? .empty
            if let shown = Self.blankText(value, r.type) {
                switch blank(ordered[i].field, shown: shown, row: row.number, column: column) {
                case .zero: numbers[r.key] = 0
                case .empty: break
                case .noData: missing.append(r.key)
                }
                continue
            }
            switch r.type {
            case .text, .enumeration:
                // Legacy TCVN3/VNI text was converted with the whole file (FileCheck).
                let text = value.displayText
                if r.type == .enumeration, case let k = Folding.key(text), !ordered[i].field.values.contains(where: { Folding.key($0) == k }) {
                    add(.error, .typeError, row: row.number, column: column, value: text,
                        Say.notAValue(text, of: ordered[i].field))
                    continue
                }
                texts[r.key] = text
                if r.isRowKey { key = text }
            case .date:
                switch value {
                case .dateTime(let dt):
                    texts[r.key] = Day(year: dt.year, month: dt.month, day: dt.day)?.description
                case .text(let t) where Day(t) != nil:
                    texts[r.key] = Day(t)!.description
                default:
                    add(.error, .typeError, row: row.number, column: column, value: Self.shown(value),
                        Say.notADate(Self.shown(value)))
                }
            case .integer, .decimal, .percent:
                let read: Double?
                if case .number(let d) = value { read = d } else { read = number(value, cell: cell, field: ordered[i].field, row: row.number, column: column) }
                guard var d = read else { continue }
                if r.type == .percent, cell?.isPercent == true { d *= 100 }
                // Hundreds of digits read as infinity: no total could hold it, and no report could show it.
                if !d.isFinite {
                    add(.error, .outOfRange, row: row.number, column: column, value: Self.shown(value),
                        Say.tooLarge(ordered[i].field, shown: Self.shown(value)))
                    continue
                }
                if r.type == .integer, abs(d - d.rounded()) > 1e-9 {
                    add(.error, .typeError, row: row.number, column: column, value: Self.shown(value),
                        Say.notWhole(ordered[i].field, shown: Self.shown(value)))
                    continue
                }
                if let min = r.min, d < min {
                    add(.error, .outOfRange, row: row.number, column: column, value: VietnameseFormat.number(d),
                        Say.belowMinimum(ordered[i].field, d, min: min))
                    continue
                }
                if let max = r.max, d > max, r.isMoney, d >= 1000 * Swift.max(max, 1) {
                    suspect(ordered[i].field, d, plausible: max, row: row.number, column: column)
                    continue
                }
                if let max = r.max, d > max {
                    add(.error, .outOfRange, row: row.number, column: column, value: VietnameseFormat.number(d),
                        Say.aboveMaximum(ordered[i].field, d, max: max))
                    continue
                }
                numbers[r.key] = d
            }
        }
        return RowValues(key: key, row: row.number, numbers: numbers, texts: texts, missing: missing)
    }

    /// The cell's text when it holds nothing (empty, or a dash in a number column), else nil.
    static func blankText(_ value: CellValue, _ type: FieldType) -> String? {
        guard case .text(let t) = value else { return value.isEmpty ? "" : nil }
        switch type {
        case .integer, .decimal, .percent:
            return VietnameseNumber.read(t, allowsDecimals: true) == .blank ? t : nil
        case .text, .enumeration:
            return Folding.isBlank(t) ? t : nil
        case .date:
            return nil
        }
    }

    /// A blank cell is *no data*: an error where the field is required, a `missing-value`
    /// warning where it is optional, unless the form declares what its blank means. Never 0
    /// unless the form says `blank: zero`; no message asks for a 0 in place of a figure.
    mutating func blank(_ f: FieldDefinition, shown: String, row: Int, column: Int) -> BlankMeaning {
        // A row without its commune's name is named by `checkCommunes`.
        if f.isRowKey { return .noData }
        if f.blank != .noData { return f.blank }
        if f.required {
            add(.error, .missingValue, row: row, column: column, value: shown.isEmpty ? nil : shown,
                Say.requiredBlank(f, shown: shown))
            return .noData
        }
        add(.warning, .missingValue, row: row, column: column, value: shown.isEmpty ? nil : shown,
            Say.optionalBlank(f, shown: shown))
        return .noData
    }

    /// A cell's number: a number cell as it is, text read the Vietnamese way for the column.
    mutating func number(_ value: CellValue, cell: Cell?, field f: FieldDefinition, row: Int, column: Int) -> Double? {
        switch value {
        case .number(let d): return d
        case .bool, .dateTime, .duration:
            add(.error, .typeError, row: row, column: column, value: Self.shown(value),
                Say.notANumberValue(f, shown: Self.shown(value)))
            return nil
        case .error(let e):
            add(.error, .typeError, row: row, column: column, value: e,
                Say.formulaError(e))
            return nil
        case .text(let t):
            switch VietnameseNumber.read(t, allowsDecimals: f.type != .integer, allowsPercent: f.type == .percent) {
            case .number(let d): return d
            case .percentSign, .formula:
                numberTextFinding(t, field: f, row: row, column: column)
                return nil
            case .blank:
                // Read as blank before this point (`blankText`); nothing to add here.
                return nil
            case .ambiguous(let a, let b):
                add(.error, .ambiguousNumber, row: row, column: column, value: t,
                    Say.ambiguous(t, a, b))
                return nil
            case .notANumber:
                add(.error, .typeError, row: row, column: column, value: t,
                    Say.notANumberText(f, t))
                return nil
            }
        case .empty:
            return nil
        }
    }

    /// A `%` in a column that is not a percentage, or formula text, at its cell.
    mutating func numberTextFinding(_ t: String, field f: FieldDefinition, row: Int, column: Int) {
        switch VietnameseNumber.read(t, allowsDecimals: true, allowsPercent: false) {
        case .percentSign(let d):
            add(.error, .typeError, row: row, column: column, value: t,
                Say.percentSign(f, t, d))
        case .formula:
            add(.error, .typeError, row: row, column: column, value: t,
                Say.formulaText(t))
        default:
            break
        }
    }

    mutating func checkCommunes(_ rows: [RowValues]) {
        guard let keyColumn = layout.columns.first(where: { $0.value.isRowKey })?.key else { return }
        var seen: [String: Int] = [:]
        // Each commune of the unit folded once, for the rows and for the communes missing.
        let communeKeys = unit?.communes.map(ReportingUnit.communeKey) ?? []
        let known = unit.map { Dictionary(zip(communeKeys, $0.communes), uniquingKeysWith: { a, _ in a }) } ?? [:]
        for r in rows {
            guard let name = r.key else {
                add(.error, .missingValue, row: r.row, column: keyColumn,
                    Say.noCommuneName(row: r.row))
                continue
            }
            let k = ReportingUnit.communeKey(name)
            if let first = seen[k] {
                add(.error, .duplicateRow, row: r.row, column: keyColumn, value: name,
                    Say.communeTwice(name, firstRow: first))
                continue
            }
            seen[k] = r.row
            if let unit, !unit.communes.isEmpty, known[k] == nil {
                let suggestion = Folding.suggestion(for: k, among: unit.communes)
                add(.warning, .unknownUnit, row: r.row, column: keyColumn, value: name,
                    Say.unknownCommune(name, unit: unit, suggestion: suggestion))
            }
        }
        if let unit, !unit.communes.isEmpty, !rows.isEmpty {
            let missing = zip(unit.communes, communeKeys).filter { seen[$0.1] == nil }.map(\.0)
            if !missing.isEmpty {
                add(.warning, .missingRow, row: layout.totalRow?.number ?? layout.dataRows.last?.number, column: keyColumn,
                    Say.communesMissing(missing))
            }
        }
    }

    /// The `Tổng cộng` row must equal the sum of the rows above it.
    mutating func checkTotals(_ rows: [RowValues]) {
        guard let total = layout.totalRow, form.rows == .perCommune else { return }
        for (column, f) in ordered where f.type == .integer || f.type == .decimal {
            let value = total.value(at: column)
            let stated: Double?
            switch value {
            case .number(let d): stated = d
            case .text(let t):
                switch VietnameseNumber.read(t, allowsDecimals: true, allowsPercent: false) {
                case .number(let d): stated = d
                case .percentSign, .formula:
                    numberTextFinding(t, field: f, row: total.number, column: column)
                    stated = nil
                default: stated = nil
                }
            default: stated = nil
            }
            guard let stated else { continue }
            // Only when every row's figure was usable can the sum be compared.
            let parts = rows.compactMap { $0.numbers[f.key] }
            guard parts.count == rows.count else { continue }
            let sum = parts.reduce(0, +)
            let tolerance = f.type == .integer ? 0.5 : max(0.051, abs(sum) * 1e-9)
            if abs(stated - sum) > tolerance {
                add(.error, .totalMismatch, row: total.number, column: column, value: VietnameseFormat.number(stated),
                    Say.totalMismatch(f, stated: stated, sum: sum))
            }
        }
    }

    mutating func checkRules(_ rows: [RowValues]) {
        for rule in form.rules {
            let names = rule.expression.names.map(\.0)
            let first = names.first.flatMap { layout.column(of: $0) }
            if rule.scope == .total {
                var totals: [String: Double] = [:]
                for r in rows { for (k, v) in r.numbers { totals[k, default: 0] += v } }
                // A field with a no-data row has no total (never a partial sum).
                for r in rows { for k in r.missing { totals[k] = nil } }
                if case .bool(false) = rule.expression.evaluate({ totals[$0] }) {
                    add(rule.severity, .ruleViolation, row: layout.totalRow?.number, column: first,
                        Say.ruleOnTotals(rule, values: describe(names, totals)))
                }
                continue
            }
            for r in rows {
                if case .bool(false) = rule.expression.evaluate({ r.numbers[$0] }, sum: { k in
                    rows.contains { $0.numbers[k] == nil } ? nil : rows.reduce(0) { $0 + $1.numbers[k]! } }) {
                    add(rule.severity, .ruleViolation, row: r.row, column: first,
                        Say.ruleOnRow(rule, commune: r.key, values: describe(names, r.numbers)))
                }
            }
        }
    }

    func describe(_ names: [String], _ values: [String: Double]) -> String {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.map { n in
            let label = form.field(n)?.header ?? n
            return "\(label) = \(values[n].map { VietnameseFormat.number($0) } ?? "—")"
        }.joined(separator: "; ")
    }

    static func isMoney(_ f: FieldDefinition) -> Bool { f.unit == "triệu đồng" }

    /// With no bound declared and no history, a commune's money figure of a million triệu
    /// đồng (a thousand billion đồng) or more cannot be right.
    static let moneyCeiling = 1_000_000.0

    /// Money in triệu đồng that reads a thousand times or more what the field can be was
    /// typed in đồng (or nghìn đồng): an error at each such cell, never summed.
    mutating func checkUnits(_ rows: [RowValues]) {
        for (column, f) in ordered where Self.isMoney(f) && f.max == nil {
            for r in rows {
                guard let v = r.numbers[f.key], v >= Self.moneyCeiling else { continue }
                suspect(f, v, plausible: nil, row: r.row, column: column)
            }
        }
    }

    /// A `unit-suspect` error at the cell; `plausible` is the column's declared maximum, if any.
    mutating func suspect(_ f: FieldDefinition, _ v: Double, plausible: Double?, row: Int, column: Int) {
        let m = UnitSuspect.message(header: header(f), value: v, plausible: plausible, history: false)
        add(.error, .unitSuspect, row: row, column: column, value: VietnameseFormat.number(v), m)
    }
}

/// The words of a `unit-suspect` error: what the cell holds, what the field can be, and the
/// figure to type instead, in triệu đồng.
public enum UnitSuspect {
    /// What the cell most likely meant, in triệu đồng: typed in đồng (a millionth), or in
    /// nghìn đồng (a thousandth) when that is nearer the level the field has had.
    public static func intended(_ v: Double, plausible: Double?) -> (value: Double, typedIn: String, typedInEn: String) {
        let million = v / 1_000_000, thousand = v / 1000
        if let p = plausible, p > 0, abs(log10(max(thousand, 1e-9) / p)) < abs(log10(max(million, 1e-9) / p)) {
            return (thousand, "nghìn đồng", "thousand đồng")
        }
        return (million, "đồng", "đồng")
    }

    public static func message(header: String, value v: Double, plausible: Double?, history: Bool) -> Message {
        // A declared maximum is a ceiling, not a usual level: only history tells nghìn đồng.
        let meant = intended(v, plausible: history ? plausible : nil)
        let fix = VietnameseFormat.number(meant.value, maxFractionDigits: 3)
        let level: String, levelEn: String
        if let p = plausible {
            level = history ? "mức cao nhất của một hàng trong các báo cáo trước của đơn vị là \(VietnameseFormat.number(p))"
                            : "mức cao nhất hợp lý của cột là \(VietnameseFormat.number(p))"
            levelEn = history ? "the highest row figure in the unit's earlier reports is \(VietnameseFormat.number(p))"
                              : "the column's plausible maximum is \(VietnameseFormat.number(p))"
        } else {
            level = "không một xã nào có đến \(VietnameseFormat.number(SubmissionValidator.moneyCeiling)) triệu đồng"
            levelEn = "no commune reaches \(VietnameseFormat.number(SubmissionValidator.moneyCeiling)) million đồng"
        }
        return Message(
            vi: "Cột \(header) tính bằng triệu đồng, nhưng ô ghi \(VietnameseFormat.number(v)), gấp 1.000 lần trở lên mức có thể có (\(level)): có lẽ đã ghi bằng \(meant.typedIn). Số này không được cộng vào tổng và báo cáo phải gửi lại.",
            en: "Column \(header) is in million đồng, but the cell holds \(VietnameseFormat.number(v)), 1,000 times or more what it can be (\(levelEn)): probably typed in \(meant.typedInEn). It is not added to any total and the report must be sent again.",
            hint: .init(vi: "Cách sửa: nhập theo triệu đồng: \(fix).", en: "To fix: enter it in million đồng: \(fix)."))
    }
}
