// Every string a reader returns is NFC: Swift compares NFC and NFD as equal, but hashes,
// bytes and SQLite do not.
import Foundation

public enum NFC {
    public static func normalize(_ s: String) -> String {
        var s = s
        let already = s.withUTF8 { isSurelyNFC($0) }
        return already ? s : s.precomposedStringWithCanonicalMapping
    }

    /// A cheap sufficient test: every scalar below U+0300 (where no character changes under
    /// NFC) or in U+1E00–U+1EFF (precomposed Latin, which holds most Vietnamese letters).
    /// Anything else, combining marks included, goes through full normalisation.
    static func isSurelyNFC(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = p.count
        while i < n {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            if b >= 0xC2, b <= 0xCB { i += 2; continue }
            if b == 0xE1, i + 1 < n, p[i + 1] >= 0xB8, p[i + 1] <= 0xBB { i += 3; continue }
            return false
        }
        return true
    }
}
