// The value types every reader produces: a typed cell value, a calendar date-time, an A1 reference.
import Foundation

/// What one cell holds, as the file stored it (formulas through their cached value).
public enum CellValue: Equatable, Sendable {
    case empty
    case number(Double)
    case text(String)
    case bool(Bool)
    case dateTime(ExcelDateTime)
    /// An elapsed time (`[h]:mm:ss`), in days.
    case duration(Double)
    /// An error such as `#N/A` or `#DIV/0!`.
    case error(String)

    public var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }

    /// The value as Excel would show it in a plain cell: numbers at 15 significant digits,
    /// dates ISO 8601, booleans `TRUE`/`FALSE`, errors as their text.
    public var displayText: String {
        switch self {
        case .empty: return ""
        case .number(let d): return NumberText.format(d)
        case .text(let s): return s
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .dateTime(let dt): return dt.isoText
        case .duration(let days): return ExcelDateTime.durationText(days: days)
        case .error(let e): return e
        }
    }
}

/// A calendar date and time of day, as decoded from an Excel serial or an ISO 8601 cell.
public struct ExcelDateTime: Equatable, Hashable, Sendable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// True when the value has no date part (a serial below 1 shown with a time-only format).
    public var isTimeOnly: Bool

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                isTimeOnly: Bool = false) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.isTimeOnly = isTimeOnly
    }

    public var hasTime: Bool { hour != 0 || minute != 0 || second != 0 }

    /// `yyyy-mm-dd`, `yyyy-mm-ddThh:mm:ss` when there is a time, `hh:mm:ss` for a time alone.
    public var isoText: String {
        var out: [UInt8] = []
        out.reserveCapacity(19)
        appendISO(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: ExcelDateTime, b: ExcelDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second)
            < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    /// Decodes an Excel serial. In the 1900 system serial 60 is Excel's phantom 29/02/1900;
    /// serials 1–59 count from 31/12/1899 so that 1 is 01/01/1900, as Excel shows them.
    /// Returns nil for serials Excel cannot show as a date (negative or past 9999).
    public init?(serial: Double, date1904: Bool, timeOnlyFormat: Bool = false) {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        // Round to the millisecond first, then to the second, as Excel does for display.
        let totalMillis = (serial * 86_400_000).rounded()
        var days = Int(totalMillis / 86_400_000)
        var secondsOfDay = Int(((totalMillis - Double(days) * 86_400_000) / 1000).rounded())
        if secondsOfDay >= 86_400 { days += 1; secondsOfDay -= 86_400 }
        let epochDay: Int  // days from 1970-01-01 of the serial's day
        if date1904 {
            epochDay = days + ExcelDateTime.daysFromCivil(1904, 1, 1)
        } else if days == 60 {
            self.init(year: 1900, month: 2, day: 29,
                      hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60)
            return
        } else if days < 60 {
            epochDay = days + ExcelDateTime.daysFromCivil(1899, 12, 31)
        } else {
            epochDay = days + ExcelDateTime.daysFromCivil(1899, 12, 30)
        }
        let (y, m, d) = ExcelDateTime.civilFromDays(epochDay)
        self.init(year: y, month: m, day: d,
                  hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60,
                  isTimeOnly: timeOnlyFormat && days == 0)
    }

    /// Parses the ISO 8601 text of a `t="d"` cell: `2021-01-01`, `2021-01-01T10:30:00(.000)(Z)`,
    /// or a time alone `10:30:00`.
    public init?(iso: String) {
        let s = iso.trimmingCharacters(in: .whitespaces)
        func num(_ sub: Substring) -> Int? { Int(sub) }
        var datePart: Substring = ""
        var timePart: Substring = ""
        if let t = s.firstIndex(where: { $0 == "T" || $0 == " " }) {
            datePart = s[..<t]; timePart = s[s.index(after: t)...]
        } else if s.contains(":") {
            timePart = s[...]
        } else {
            datePart = s[...]
        }
        var y = 1899, mo = 12, d = 30
        if !datePart.isEmpty {
            let p = datePart.split(separator: "-", omittingEmptySubsequences: false)
            guard p.count == 3, let yy = num(p[0]), let mm = num(p[1]), let dd = num(p[2]),
                  (1...12).contains(mm), (1...31).contains(dd) else { return nil }
            y = yy; mo = mm; d = dd
        }
        var h = 0, mi = 0, se = 0
        if !timePart.isEmpty {
            var t = timePart
            if let z = t.firstIndex(where: { $0 == "Z" || $0 == "+" }) { t = t[..<z] }
            let p = t.split(separator: ":", omittingEmptySubsequences: false)
            guard p.count >= 2, let hh = num(p[0]), let mm = num(p[1]) else { return nil }
            h = hh; mi = mm
            if p.count > 2 {
                guard let sec = Double(p[2]), sec >= 0, sec < 61 else { return nil }
                se = Int(sec.rounded())
            }
            guard (0...23).contains(h), (0...59).contains(mi), (0...60).contains(se) else { return nil }
        }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: min(se, 59),
                  isTimeOnly: datePart.isEmpty)
    }

    /// `[h]:mm:ss` text of an elapsed time.
    public static func durationText(days: Double) -> String {
        var out: [UInt8] = []
        appendDuration(days: days, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // Howard Hinnant's civil-calendar algorithms: exact for the proleptic Gregorian calendar.
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// A cell position, 1-based, shown as `C17`.
public struct CellReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384

    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses `C17` (or `$C$17`); nil when it is not a reference inside Excel's grid.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.removeAll { $0 == UInt8(ascii: "$") }
        guard let parsed = bytes.withUnsafeBufferPointer({ CellReference.parse($0) }),
              parsed.row >= 1 else { return nil }
        self = parsed
    }

    /// Parses letters then digits from bytes; the row may be absent (then 0).
    /// Read for every cell of a sheet: each loop stops at its limit before a value could
    /// overflow, so the arithmetic wraps unchecked.
    @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> CellReference? {
        guard let base = p.baseAddress else { return nil }
        let n = p.count
        var i = 0
        var col = 0
        while i < n {
            let c = (base[i] | 0x20) &- 0x61
            if c > 25 { break }
            col = col &* 26 &+ Int(c) &+ 1
            if col > maxColumn { return nil }
            i &+= 1
        }
        guard col > 0 else { return nil }
        var row = 0
        let digitsStart = i
        while i < n {
            let d = base[i] &- 0x30
            if d > 9 { break }
            row = row &* 10 &+ Int(d)
            if row > maxRow { return nil }
            i &+= 1
        }
        guard i == n else { return nil }
        return CellReference(row: i == digitsStart ? 0 : row, column: col)
    }

    public static func columnName(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(65 + r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    public var description: String { CellReference.columnName(column) + String(row) }

    public static func < (a: CellReference, b: CellReference) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }
}

/// A rectangular range such as a merged block `A1:C2`.
public struct CellRange: Hashable, Sendable, CustomStringConvertible {
    public var first: CellReference
    public var last: CellReference

    public init(first: CellReference, last: CellReference) {
        self.first = first
        self.last = last
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard let a = parts.first.flatMap({ CellReference(String($0)) }) else { return nil }
        let b = parts.count > 1 ? CellReference(String(parts[1])) : a
        guard let b, parts.count <= 2 else { return nil }
        first = CellReference(row: min(a.row, b.row), column: min(a.column, b.column))
        last = CellReference(row: max(a.row, b.row), column: max(a.column, b.column))
    }

    public func contains(_ r: CellReference) -> Bool {
        (first.row...last.row).contains(r.row) && (first.column...last.column).contains(r.column)
    }

    public var description: String { "\(first):\(last)" }
}
