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
                p.isEmpty ? nil : WorksheetHandler.fastDecimal(p[...])
            }
            guard let fast else { continue }
            #expect(fast == strtod(s, nil), "\(s)")
        }
    }
}
