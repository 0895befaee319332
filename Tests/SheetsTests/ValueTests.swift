import Foundation
@testable import Sheets
import Testing

@Suite struct NumberTextTests {
    @Test func binaryNoiseNeverShows() {
        #expect(NumberText.format(0.1 + 0.2) == "0.3")
        #expect(NumberText.format(1234.5) == "1234.5")
        #expect(NumberText.format(42) == "42")
        #expect(NumberText.format(-0.25) == "-0.25")
    }

    @Test func largeIntegersKeepEveryDigit() {
        #expect(NumberText.format(8_595_602_512_225) == "8595602512225")
        #expect(NumberText.format(123_456_789_012_345) == "123456789012345")
    }

    @Test func exponentOnlyForExtremeMagnitudes() {
        #expect(NumberText.format(1e20) == "1e+20")
        #expect(NumberText.format(0.000001) == "1e-06")
        #expect(NumberText.format(0.0001) == "0.0001")
    }
}

@Suite struct DateSerialTests {
    @Test func serialsOfThe1900System() {
        #expect(ExcelDateTime(serial: 1, date1904: false)?.isoText == "1900-01-01")
        #expect(ExcelDateTime(serial: 59, date1904: false)?.isoText == "1900-02-28")
        // Excel's phantom leap day, kept so that every later serial lands where Excel shows it.
        #expect(ExcelDateTime(serial: 60, date1904: false)?.isoText == "1900-02-29")
        #expect(ExcelDateTime(serial: 61, date1904: false)?.isoText == "1900-03-01")
        #expect(ExcelDateTime(serial: 43_799, date1904: false)?.isoText == "2019-11-30")
    }

    @Test func serialsOfThe1904System() {
        #expect(ExcelDateTime(serial: 0, date1904: true)?.isoText == "1904-01-01")
        #expect(ExcelDateTime(serial: 42_337, date1904: true)?.isoText == "2019-11-30")
    }

    @Test func timesRoundToTheSecond() {
        #expect(ExcelDateTime(serial: 43_768.5, date1904: false)?.isoText == "2019-10-30T12:00:00")
        #expect(ExcelDateTime(serial: 0.75, date1904: false, timeOnlyFormat: true)?.isoText == "18:00:00")
        // 23:59:59.9 rounds into the next day rather than showing 24:00:00.
        #expect(ExcelDateTime(serial: 43_768.999_999, date1904: false)?.isoText == "2019-10-31")
    }

    @Test func impossibleSerialsAreNotDates() {
        #expect(ExcelDateTime(serial: -1, date1904: false) == nil)
        #expect(ExcelDateTime(serial: 3_000_000, date1904: false) == nil)
    }

    @Test func isoCellText() {
        #expect(ExcelDateTime(iso: "2021-01-01")?.isoText == "2021-01-01")
        #expect(ExcelDateTime(iso: "2021-01-01T10:10:10.000Z")?.isoText == "2021-01-01T10:10:10")
        #expect(ExcelDateTime(iso: "10:10:10")?.isoText == "10:10:10")
        #expect(ExcelDateTime(iso: "2021-13-01") == nil)
    }
}

@Suite struct CellReferenceTests {
    @Test func roundTrip() {
        #expect(CellReference("C17") == CellReference(row: 17, column: 3))
        #expect(CellReference("$AB$2")?.description == "AB2")
        #expect(CellReference("XFD1048576")?.description == "XFD1048576")
    }

    @Test func outsideTheGridIsRefused() {
        #expect(CellReference("XFE1") == nil)
        #expect(CellReference("A1048577") == nil)
        #expect(CellReference("A0") == nil)
        #expect(CellReference("17") == nil)
    }

    @Test func ranges() {
        let r = CellRange("C4:A2")
        #expect(r?.description == "A2:C4")
        #expect(r?.contains(CellReference(row: 3, column: 2)) == true)
    }
}

@Suite struct FastDecimalTests {
    /// The fast path gives exactly what strtod gives, or declines.
    @Test func agreesWithStrtodOrDeclines() {
        var rng: UInt64 = 1
        var samples = ["0", "42", "-0.25", "1234.5", "0.1", "0.30000000000000004", "8595602512225", "123456789012345",
                       "1234567890123456", "1e5", "1.", ".5", "-", "", "9007199254740993", "0.000001"]
        for _ in 0..<20_000 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let whole = rng >> 44, frac = (rng >> 20) & 0xFFFFF
            samples.append("\(rng & 1 == 0 ? "" : "-")\(whole).\(frac)")
        }
        for s in samples {
            let bytes = Array(s.utf8)
            let fast = bytes.withUnsafeBufferPointer { p -> Double? in
                p.isEmpty ? nil : DecimalParsing.fastDecimal(p[...])
            }
            guard let fast else { continue }
            #expect(fast == strtod(s, nil), "\(s)")
        }
    }
}

@Suite struct DecimalParsingTests {
    private func parse(_ s: String) -> Double? {
        Array(s.utf8).withUnsafeBufferPointer { DecimalParsing.parseDouble($0) }
    }

    /// Every length around the fast path's limits, and the values Gnumeric and .NET write:
    /// the same double as strtod, never a trap.
    @Test func boundariesAgreeWithStrtod() {
        var samples = ["2.6303323046962774324020672609", "12345.6779999999999999", "0.300000000000000000011",
                       "0.26303323046962774324", "-0", "0", "-0.0", "1E+308", "4.9E-324", "1e-320",
                       "000000000000000000000000000001.5", "0.000000000000000000000000000001",
                       "00012.3400", "-00000000000000000000.5", "99999999999999999999999999999"]
        for n in [15, 16, 19, 20, 21, 29, 40] {
            let digits = String((0..<n).map { Character(String(($0 * 7 + 3) % 10)) })
            samples.append(digits)
            samples.append("-" + digits)
            samples.append("9" + String(repeating: "9", count: n - 1))
            for point in [1, n / 2, n - 1] {
                let i = digits.index(digits.startIndex, offsetBy: point)
                samples.append(String(digits[..<i]) + "." + digits[i...])
                samples.append("0." + digits)
                samples.append(String(digits[..<i]) + "." + digits[i...] + "E-5")
            }
        }
        for s in samples {
            let expected = strtod(s, nil)
            let got = parse(s)
            #expect(got != nil, "\(s)")
            #expect(got?.bitPattern == expected.bitPattern, "\(s): \(String(describing: got)) vs \(expected)")
        }
    }

    @Test func refusesWhatIsNotADecimal() {
        for s in ["", " ", "-", ".", "1e", "0x10", "inf", "nan", "1.2.3", "1e400", "--1", "1,5", "12a"] {
            #expect(parse(s) == nil, "\(s)")
        }
        #expect(parse(" 42 ") == 42)
        #expect(parse("-0")?.sign == .minus)
    }
}
