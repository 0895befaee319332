import Foundation
import Testing
@testable import TongHop

/// The parts the run's integrity rests on, one at a time.
@Suite struct IntakeIntegrityTests {
    @Test func directionAndControlCharactersAreMarkedNotPassed() {
        #expect(TextSafety.neutralised("Xã An\u{202E}01,5") == "Xã An‹U+202E›01,5")
        #expect(TextSafety.neutralised("a\u{1B}[2Jb\u{9B}c") == "a‹U+001B›[2Jb‹U+009B›c")
        #expect(TextSafety.neutralised("dòng 1\ndòng 2\tx") == "dòng 1\ndòng 2\tx")
        #expect(TextSafety.neutralised("dòng 1\ndòng 2", lineBreaks: false) == "dòng 1‹U+000A›dòng 2")
        let page = Data("<td>Tô\u{2067}Hạp – Nha Trang</td>".utf8)
        #expect(String(decoding: TextSafety.neutralised(page), as: UTF8.self) == "<td>Tô‹U+2067›Hạp – Nha Trang</td>")
        let clean = Data("<td>Khánh Sơn – 16/11</td>".utf8)
        #expect(TextSafety.neutralised(clean) == clean)
    }

    @Test func aSnapshotIsTheBytesAsListedOrNothing() throws {
        let folder = temporaryFolder("snapshot")
        let path = folder + "/a.csv"
        try Data("Xã,Số\nA,1\n".utf8).write(to: URL(fileURLWithPath: path))
        let listing = try Inbox.list(folder, settleSeconds: 0)
        let file = try #require(listing.files.first)
        let snapshot = try FileSnapshot.read(file)
        #expect(snapshot.bytes == Data("Xã,Số\nA,1\n".utf8))
        #expect(snapshot.sha256 == SHA256.hex(snapshot.bytes))
        // Grown since it was listed: not read now.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        handle.write(Data("B,2\n".utf8))
        try handle.close()
        #expect(throws: TransientReadFailure.self) { try FileSnapshot.read(file) }
        // Gone: not read now, and said so.
        try FileManager.default.removeItem(atPath: path)
        do {
            _ = try FileSnapshot.read(file)
            Issue.record("a vanished file was read")
        } catch {
            #expect(error.reason == Inbox.Skip.vanished)
        }
    }

    @Test func onlySettledFilesAreListed() throws {
        let folder = temporaryFolder("settle")
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/new.csv"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/old.csv"))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: folder + "/old.csv")
        let listing = try Inbox.list(folder, settleSeconds: 5)
        #expect(listing.files.map(\.relative) == ["old.csv"])
        #expect(listing.skipped.map(\.0) == ["new.csv"])
        #expect(listing.skipped.first?.1 == Inbox.Skip.stillWriting)
    }

    @Test func annotatedCopyNamesKeepTheNameAndNeverClash() {
        let plain = "Khanh Son/BC Khanh Son (sua lai).xlsx", accented = "Khánh Sơn/BC Khánh Sơn (sửa lại).xlsx"
        #expect(FeedbackWorkbooks.outputName(plain, among: [plain, accented]) == "BC Khanh Son (sua lai) (gop y).xlsx")
        #expect(FeedbackWorkbooks.outputName(accented, among: [plain, accented]) == "BC Khánh Sơn (sửa lại) (gop y).xlsx")
        let a = "Khanh Son/a.xlsx", b = "Khanh Son/cu/a.xlsx"
        let na = FeedbackWorkbooks.outputName(a, among: [a, b]), nb = FeedbackWorkbooks.outputName(b, among: [a, b])
        #expect(na != nb)
        #expect(FeedbackWorkbooks.outputName("x\u{202E}y\u{1B}.xlsx") == "x_y_ (gop y).xlsx")
    }
}
