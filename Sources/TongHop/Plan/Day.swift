// Plan: calendar days and reporting periods. Everything here is pure date arithmetic on
// the proleptic Gregorian calendar, with no time zone: a due date is a day, not an instant.
import Foundation
import Sheets

/// A calendar day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(ordinal: Int) {
        let (y, m, d) = ExcelDateTime.civilFromDays(ordinal)
        year = y; month = m; day = d
    }

    /// Days since 1970-01-01.
    public var ordinal: Int { ExcelDateTime.daysFromCivil(year, month, day) }

    /// Monday = 1 … Sunday = 7.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 + 1 }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `2019-11-30` or `30/11/2019`.
    public init?(_ text: String) {
        // `2019-11-30` exactly, as the ledger stores every day: read from its bytes.
        let u = text.utf8
        if u.count == 10 {
            var digits = [Int](repeating: 0, count: 8), n = 0, shape = true
            for (i, b) in u.enumerated() {
                if i == 4 || i == 7 { shape = shape && b == UInt8(ascii: "-") }
                else if b >= 0x30 && b <= 0x39 { digits[n] = Int(b - 0x30); n += 1 } else { shape = false }
            }
            if shape {
                self.init(year: digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                          month: digits[4] * 10 + digits[5], day: digits[6] * 10 + digits[7])
                return
            }
        }
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-")
        if iso.count == 3, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]), iso[0].count == 4 {
            self.init(year: y, month: m, day: d)
            return
        }
        let vn = t.split(separator: "/")
        if vn.count == 3, let d = Int(vn[0]), let m = Int(vn[1]), let y = Int(vn[2]), vn[2].count == 4 {
            self.init(year: y, month: m, day: d)
            return
        }
        return nil
    }

    /// ISO form, `2019-11-30`.
    public var description: String { Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }

    /// Vietnamese form, `30/11/2019`.
    public var vietnamese: String { Self.padded(day, 2) + "/" + Self.padded(month, 2) + "/" + Self.padded(year, 4) }

    /// `n` as `%0<width>d` writes it, without Foundation's formatter (days and periods are
    /// written for every row of every page).
    static func padded(_ n: Int, _ width: Int) -> String {
        guard n >= 0 else { return String(format: "%0\(width)d", n) }
        let digits = String(n)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    public static func - (a: Day, b: Day) -> Int { a.ordinal - b.ordinal }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(s)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

public enum PeriodKind: String, Sendable, CaseIterable {
    case month, quarter, halfYear = "half-year", year

    /// Calendar months one period of this kind covers.
    var months: Int {
        switch self {
        case .month: return 1
        case .quarter: return 3
        case .halfYear: return 6
        case .year: return 12
        }
    }

    /// Periods of this kind in a year.
    var perYear: Int { 12 / months }
}

/// A reporting period: `2019-03`, `2019-Q1`, `2019-H1`, `2019`.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let kind: PeriodKind
    public let year: Int
    /// Month 1–12, quarter 1–4, half 1–2; 1 for a year.
    public let index: Int

    public init?(kind: PeriodKind, year: Int, index: Int) {
        guard (1...kind.perYear).contains(index), (1900...9999).contains(year) else { return nil }
        self.kind = kind
        self.year = year
        self.index = index
    }

    public init?(_ code: String) {
        let parts = code.split(separator: "-")
        guard let first = parts.first, first.count == 4, let y = Int(first) else { return nil }
        if parts.count == 1 { self.init(kind: .year, year: y, index: 1); return }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.hasPrefix("Q"), let q = Int(p.dropFirst()) { self.init(kind: .quarter, year: y, index: q); return }
        if p.hasPrefix("H"), let h = Int(p.dropFirst()) { self.init(kind: .halfYear, year: y, index: h); return }
        if p.count == 2, let m = Int(p) { self.init(kind: .month, year: y, index: m); return }
        return nil
    }

    public var description: String {
        switch kind {
        case .month: return Day.padded(year, 4) + "-" + Day.padded(index, 2)
        case .quarter: return "\(year)-Q\(index)"
        case .halfYear: return "\(year)-H\(index)"
        case .year: return "\(year)"
        }
    }

    /// As a title says it: `Tháng 11/2019`, `Quý III/2019`, `6 tháng đầu năm 2019`, `Năm 2019`.
    public var vietnamese: String {
        switch kind {
        case .month: return "Tháng \(index)/\(year)"
        case .quarter: return "Quý \(["I", "II", "III", "IV"][index - 1])/\(year)"
        case .halfYear: return index == 1 ? "6 tháng đầu năm \(year)" : "6 tháng cuối năm \(year)"
        case .year: return "Năm \(year)"
        }
    }

    /// The last calendar month the period covers (1–12).
    var lastMonth: Int { index * kind.months }

    var monthCount: Int { kind.months }

    /// Every period of this kind in a year.
    public static func all(_ kind: PeriodKind, in year: Int) -> [Period] {
        (1...kind.perYear).compactMap { Period(kind: kind, year: year, index: $0) }
    }

    public static func < (a: Period, b: Period) -> Bool {
        (a.year, a.lastMonth, a.monthCount) < (b.year, b.lastMonth, b.monthCount)
    }
}

/// How periods map to days: Decree 09/2019/NĐ-CP's cut-off (a month runs from the 15th of
/// the month before to the 14th), or plain calendar months.
public enum CutoffRule: String, Sendable {
    case decree09 = "decree-09-2019"
    case calendarMonth = "calendar-month"

    public func start(of p: Period) -> Day {
        let firstMonth = p.lastMonth - p.monthCount + 1
        switch self {
        case .calendarMonth:
            return Day(year: p.year, month: firstMonth, day: 1)!
        case .decree09:
            let m = firstMonth == 1 ? 12 : firstMonth - 1
            let y = firstMonth == 1 ? p.year - 1 : p.year
            return Day(year: y, month: m, day: 15)!
        }
    }

    public func end(of p: Period) -> Day {
        switch self {
        case .calendarMonth:
            return Day(year: p.year, month: p.lastMonth, day: Day.daysIn(month: p.lastMonth, year: p.year))!
        case .decree09:
            return Day(year: p.year, month: p.lastMonth, day: 14)!
        }
    }
}
