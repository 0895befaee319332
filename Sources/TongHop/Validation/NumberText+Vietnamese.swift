// Validation: numbers typed as text, the Vietnamese way (`1.234,5`, `1 234,5`, `12,5%`) or
// the English way, decided by the column's type, and never guessed when two readings are
// possible. A leading `0,` or `0.` is a decimal (no thousands group starts with 0); Excel's
// accounting zero (` -   `) is 0; a `%` counts only in a percent column; formula text
// (`=SUM(C9:C20)`, from a CSV saved with its formulas) is not a number.
import Foundation

public enum VietnameseNumber {
    public enum Reading: Equatable, Sendable {
        case number(Double)
        /// Two readings are possible (`1.234` in a column that allows decimals).
        case ambiguous(Double, Double)
        case notANumber
        case blank
        /// A number with `%` in a column that does not take percentages.
        case percentSign(Double)
        /// Formula text: the value was never computed.
        case formula(String)
    }

    /// Reads `text` for a column that does or does not allow decimals. `.` and `,` are both
    /// used as thousands separators and as decimal marks in Vietnam: `1.234,5` and
    /// `1,234.5` are unambiguous; a lone separator followed by exactly three digits is
    /// ambiguous where decimals are allowed, and a thousands separator where they are not.
    public static func read(_ text: String, allowsDecimals: Bool, allowsPercent: Bool = true) -> Reading {
        // No-break, narrow no-break and thin spaces group thousands as a space does.
        var t = text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
            .replacingOccurrences(of: "\u{2009}", with: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return .blank }
        if t.hasPrefix("="), t.count > 1 { return .formula(t) }
        // Excel's accounting format shows zero as a dash.
        if t == "-" || t == "–" || t == "—" { return .number(0) }
        if t.hasSuffix("%") {
            let inner = read(String(t.dropLast()), allowsDecimals: true, allowsPercent: false)
            guard case .number(let d) = inner else { return inner == .blank ? .notANumber : inner }
            return allowsPercent ? .number(d) : .percentSign(d)
        }
        var negative = false
        if t.hasPrefix("(") && t.hasSuffix(")") { negative = true; t = String(t.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
        if t.hasPrefix("-") || t.hasPrefix("−") { negative = true; t = String(t.dropFirst()).trimmingCharacters(in: .whitespaces) }
        if t.hasPrefix("+") { t = String(t.dropFirst()) }
        // Spaces as thousands separators: "1 234 567", "1 234,5"; the last group may carry
        // the decimals.
        let parts = t.split(separator: " ")
        if parts.count > 1 {
            func group(_ p: Substring) -> Bool { p.count == 3 && p.allSatisfy(\.isASCIIDigit) }
            func lastGroup(_ p: Substring) -> Bool {
                guard let mark = p.firstIndex(where: { $0 == "," || $0 == "." }) else { return group(p) }
                let fraction = p[p.index(after: mark)...]
                return group(p[..<mark]) && !fraction.isEmpty && fraction.allSatisfy(\.isASCIIDigit)
            }
            guard (1...3).contains(parts[0].count), parts[0].allSatisfy(\.isASCIIDigit), parts.dropFirst().dropLast().allSatisfy(group),
                  lastGroup(parts.last!) else { return .notANumber }
            let joined = parts.joined()
            guard let mark = joined.firstIndex(where: { $0 == "," || $0 == "." }) else { return Double(joined).map { .number(negative ? -$0 : $0) } ?? .notANumber }
            let d = Double(joined[..<mark] + "." + joined[joined.index(after: mark)...])
            return d.map { .number(negative ? -$0 : $0) } ?? .notANumber
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "," }), t.first!.isASCIIDigit || t.first == "," || t.first == "." else {
            return .notANumber
        }
        let dots = t.filter { $0 == "." }.count
        let commas = t.filter { $0 == "," }.count
        func value(_ s: String) -> Double? { Double(s).map { negative ? -$0 : $0 } }
        func groupsValid(_ s: String, separator: Character) -> Bool {
            let g = s.split(separator: separator, omittingEmptySubsequences: false)
            // A thousands group never starts with 0: "0,500" is a half.
            return g.count > 1 && (1...3).contains(g[0].count) && g[0].first != "0" && g.dropFirst().allSatisfy { $0.count == 3 }
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
