// Any bytes as a CSV file: decoding (BOM, UTF-16, Windows-1258), delimiter sniffing, quoting.
import Sheets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    do {
        let sheet = try CSVSheet(bytes: bytes, name: "fuzz")
        _ = try sheet.readSheet(1) { row in _ = row.cells.map(\.value.displayText) }
    } catch {}
    return 0
}
