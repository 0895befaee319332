import Foundation
import Testing
@testable import TongHop

/// What `tonghop check` is given: files as named, folders listed as the run lists an inbox.
@Suite struct CheckTargetsTests {
    @Test func aFolderIsListedAsAnInboxWithoutItsRegisterAndAMissingPathIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/Khanh Vinh", withIntermediateDirectories: true)
        for name in ["Khanh Vinh/b.xlsx", "a.csv", Inbox.registerName, "~$a.xlsx"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let single = folder + "/a.csv"
        let targets = try CheckTargets.gather([single, folder])
        #expect(targets.paths == [single, folder + "/Khanh Vinh/b.xlsx", folder + "/a.csv"])
        #expect(targets.skipped.isEmpty)
        #expect(throws: CheckTargets.Missing.self) { try CheckTargets.gather([folder + "/khong-co.xlsx"]) }
        do { _ = try CheckTargets.gather([folder + "/khong-co.xlsx"]) } catch let missing as CheckTargets.Missing {
            #expect(missing.message.text(.vi) == "không có tệp \(folder)/khong-co.xlsx")
        }
    }
}
