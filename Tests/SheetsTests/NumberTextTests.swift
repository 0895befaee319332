// The byte formatter must print exactly what C's %.15g prints: the report CSVs and
// `inspect --csv` depend on it, and the golden files were made with %.15g.
import Foundation
import Testing
@testable import Sheets

@Suite struct ByteFormattingTests {
    private func check(_ d: Double) -> Bool {
        guard d.isFinite, d != 0 else { return true }
        let fast = NumberText.format(d), reference = NumberText.printf15g(d)
        if fast != reference { Issue.record("\(d.bitPattern) \(d): \(fast) vs \(reference)"); return false }
        return true
    }

    @Test func samePrintedTextAsPrintf() {
        let fixed: [Double] = [0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123456789012345, 1e15, 999999999999999.9,
                               9999999999999996, 0.00001, 0.0001, 0.000123456, 1e-5, 9.99999999999999e-5,
                               1234.5, -1234.5, 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e21, 123456.7890123456,
                               0.30000000000000004, 1.0000000000000002, 43768.5, 12345.6779999999999999,
                               2.6303323046962774, 9.5, 0.95, 99.99999999999999, 0.5e-4, 1.5, 2.5]
        var bad = 0
        for d in fixed where !check(d) || !check(-d) { bad += 1 }
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return rng
        }
        for i in 0..<300_000 where bad < 5 {
            let d: Double
            switch i % 4 {
            case 0: d = Double(bitPattern: next())  // any double
            case 1: d = Double(Int64(bitPattern: next()) % 100_000_000) / 100  // money
            case 2: d = Double(next() % 1_000_000) / Double(next() % 999 + 1)  // ratios
            default:
                // Ties at the 16th digit: 15 digits then a 5, at every scale.
                let m = Double(next() % 900_000_000_000_000 + 100_000_000_000_000) * 10 + 5
                d = m * pow(10, Double(Int(next() % 40) - 30))
            }
            if !check(d) { bad += 1 }
        }
        #expect(bad == 0)
    }

    @Test func integersZeroAndSpecials() {
        #expect(NumberText.format(0) == "0")
        #expect(NumberText.format(-0.0) == "0")
        #expect(NumberText.format(42) == "42")
        #expect(NumberText.format(-7) == "-7")
        #expect(NumberText.format(.nan) == "#NUM!")
        #expect(NumberText.format(-.infinity) == "-#NUM!")
        #expect(NumberText.format(0.1 + 0.2) == "0.3")
    }

    @Test func datesAndDurationsByArithmetic() {
        #expect(ExcelDateTime(year: 2019, month: 10, day: 5).isoText == "2019-10-05")
        #expect(ExcelDateTime(year: 2019, month: 10, day: 5, hour: 8, minute: 3, second: 9).isoText == "2019-10-05T08:03:09")
        #expect(ExcelDateTime(year: 1899, month: 12, day: 30, hour: 18, isTimeOnly: true).isoText == "18:00:00")
        #expect(ExcelDateTime(year: 12, month: 1, day: 1).isoText == "0012-01-01")
        #expect(ExcelDateTime.durationText(days: 1.75) == "42:00:00")
        #expect(ExcelDateTime.durationText(days: -0.5) == "-12:00:00")
        #expect(ExcelDateTime.durationText(days: 1e300) == "1e+300")
    }

    @Test func csvFieldsAsBytes() {
        #expect(CSVWriter.record(["a", "b,c", "d\"e", "f\r\ng", "Hà Nội"]) == "a,\"b,c\",\"d\"\"e\",\"f\r\ng\",Hà Nội\r\n")
        #expect(CSVWriter.field("x;y", delimiter: ";") == "\"x;y\"")
        var out: [UInt8] = []
        CSVWriter.appendCell(.number(1234.5), to: &out)
        CSVWriter.appendCell(.text("1,5"), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1234.5\"1,5\"")
    }
}
