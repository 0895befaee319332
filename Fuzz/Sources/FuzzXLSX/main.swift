// Whole files (ZIP bytes) and single parts through the XLSX reader: any input must end in
// cells or a SheetsError, never a crash, hang or unbounded memory.
import Sheets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var limits = ReadLimits()
    limits.maxEntryBytes = 8 << 20
    limits.maxTotalBytes = 16 << 20
    limits.maxCells = 200_000
    do {
        let book = try Spreadsheets.open(bytes: bytes, name: "fuzz", limits: limits)
        for s in book.sheets { _ = try book.readSheet(s.number) { _ in } }
    } catch {}
    return 0
}
