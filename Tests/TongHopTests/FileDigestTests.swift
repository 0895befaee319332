import Foundation
import Testing
@testable import TongHop

@Suite struct FileDigestTests {
    /// FIPS 180-4's own examples, through swift-crypto, as the ledger stores them.
    @Test func knownDigests() throws {
        #expect(FileDigest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileDigest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let data = Data((0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        #expect(FileDigest.sha256(data).count == 64)
    }
}
