// The rule and target language: parsing anything, evaluating whatever parses.
import TongHop

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let e = try? Expression.parse(text) else { return 0 }
    _ = e.evaluate({ name in Double(name.utf8.count) }, sum: { _ in 1 })
    _ = e.names
    return 0
}
