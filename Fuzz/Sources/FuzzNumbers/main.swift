// Text as people type numbers, dates, periods and references.
import Sheets
import TongHop

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = VietnameseNumber.read(text, allowsDecimals: true)
    _ = VietnameseNumber.read(text, allowsDecimals: false)
    _ = ExcelDateTime(iso: text)
    _ = Day(text)
    _ = Period(text)
    _ = CellReference(text)
    _ = CellRange(text)
    _ = Identifier.periods(in: text, defaultYear: 2019)
    _ = Folding.key(text)
    _ = LegacyText.check(text)
    if size >= 8 {
        let d = UnsafeRawPointer(data).loadUnaligned(as: Double.self)
        _ = NumberText.format(d)
        _ = VietnameseFormat.number(d)
        _ = ExcelDateTime(serial: d, date1904: size % 2 == 0)
    }
    return 0
}
