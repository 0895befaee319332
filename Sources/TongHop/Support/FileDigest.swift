// Support: the SHA-256 of a file's bytes (read once, as `FileSnapshot`), which is how the
// ledger knows a file it has seen. Intake, Plan (its digest) and Rendering use it, so it
// belongs to none of them.
// The hashing is swift-crypto's (BoringSSL's audited code on Linux, CryptoKit on Apple).
import Crypto
import Foundation

public enum FileDigest {
    /// The lower-case hex SHA-256 of bytes.
    public static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
