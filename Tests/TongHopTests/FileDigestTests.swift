import Foundation
import Testing
@testable import TongHop

@Suite struct FileDigestTests {
    /// FIPS 180-4's own examples, through swift-crypto, as the ledger stores them.
    @Test func knownDigests() throws {
        #expect(FileDigest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileDigest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Over one read chunk (1 MiB), so that chunks are joined right.
        let data = Data((0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: URL(fileURLWithPath: path))
        let (digest, size) = try FileDigest.sha256(file: path)
        #expect(size == data.count)
        #expect(digest == FileDigest.sha256(data))
        #expect(digest.count == 64)
    }
}
