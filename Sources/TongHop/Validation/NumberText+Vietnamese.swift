// Validation: numbers typed as text, the Vietnamese way (`1.234,5`, `12,5%`) or the English
// way, decided by the column's type, and never guessed when two readings are possible.
import Foundation

public enum VietnameseNumber {
    public enum Reading: Equatable, Sendable {
        case number(Double)
        /// Two readings are possible (`1.234` in a column that allows decimals).
        case ambiguous(Double, Double)
        case notANumber
        case blank
    }

    /// Reads `text` for a column that does or does not allow decimals. `.` and `,` are both
    /// used as thousands separators and as decimal marks in Vietnam: `1.234,5` and
    /// `1,234.5` are unambiguous; a lone separator followed by exactly three digits is
    /// ambiguous where decimals are allowed, and a thousands separator where they are not.
    public static func read(_ text: String, allowsDecimals: Bool) -> Reading {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        t = t.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
        if t.isEmpty || t == "-" || t == "–" || t == "—" { return .blank }
        var negative = false
        if t.hasPrefix("(") && t.hasSuffix(")") { negative = true; t = String(t.dropFirst().dropLast()) }
        if t.hasPrefix("-") || t.hasPrefix("−") { negative = true; t = String(t.dropFirst()) }
        if t.hasPrefix("+") { t = String(t.dropFirst()) }
        if t.hasSuffix("%") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        // Spaces as thousands separators: "1 234 567".
        let parts = t.split(separator: " ")
        if parts.count > 1 {
            guard parts.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isASCIIDigit) }) else { return .notANumber }
            t = parts.joined()
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "," }), t.first!.isASCIIDigit || t.first == "," || t.first == "." else {
            return .notANumber
        }
        let dots = t.filter { $0 == "." }.count
        let commas = t.filter { $0 == "," }.count
        func value(_ s: String) -> Double? { Double(s).map { negative ? -$0 : $0 } }
        func groupsValid(_ s: String, separator: Character) -> Bool {
            let g = s.split(separator: separator, omittingEmptySubsequences: false)
            return g.count > 1 && (1...3).contains(g[0].count) && g.dropFirst().allSatisfy { $0.count == 3 }
        }
        if dots == 0 && commas == 0 { return value(t).map(Reading.number) ?? .notANumber }
        if dots > 0 && commas > 0 {
            // Both: the last one is the decimal mark.
            let lastDot = t.lastIndex(of: ".")!, lastComma = t.lastIndex(of: ",")!
            let decimalMark: Character = lastDot > lastComma ? "." : ","
            let thousands: Character = decimalMark == "." ? "," : "."
            let integerPart = String(t[..<(decimalMark == "." ? lastDot : lastComma)])
            let fraction = String(t[t.index(after: decimalMark == "." ? lastDot : lastComma)...])
            guard fraction.allSatisfy(\.isASCIIDigit), !integerPart.contains(decimalMark),
                  integerPart.contains(thousands) ? groupsValid(integerPart, separator: thousands) : true else { return .notANumber }
            return value(integerPart.replacingOccurrences(of: String(thousands), with: "") + "." + fraction).map(Reading.number) ?? .notANumber
        }
        let sep: Character = dots > 0 ? "." : ","
        let count = max(dots, commas)
        if count > 1 {
            // Several of one separator: only thousands groups make sense ("1.234.567").
            guard groupsValid(t, separator: sep) else { return .notANumber }
            return value(t.replacingOccurrences(of: String(sep), with: "")).map(Reading.number) ?? .notANumber
        }
        let pieces = t.split(separator: sep, omittingEmptySubsequences: false)
        let asDecimal = value(pieces[0].isEmpty ? "0." + pieces[1] : pieces[0] + "." + pieces[1])
        if groupsValid(t, separator: sep) {
            guard let asThousands = value(t.replacingOccurrences(of: String(sep), with: "")), let asDecimal else { return .notANumber }
            if !allowsDecimals { return .number(asThousands) }
            return .ambiguous(asDecimal, asThousands)
        }
        guard let d = asDecimal, pieces[1].allSatisfy(\.isASCIIDigit) else { return .notANumber }
        return .number(d)
    }
}

extension Character {
    /// One of 0–9, alone: a digit with a combining mark after it ("2\u{655}") is not.
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
