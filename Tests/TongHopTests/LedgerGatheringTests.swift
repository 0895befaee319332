import Foundation
import Testing
@testable import TongHop

/// A run records its new files in few transactions (`Ledger.gathering`): what a user would
/// notice is that the ledger holds the same rows, that a file's checks still see the files
/// recorded before it, and that a run stopped part way keeps whole files only.
@Suite struct LedgerGatheringTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)
    static let stamp = Ledger.RunStamp(asOf: Day("2019-12-05")!, startedAt: "2019-12-05T08:00:00Z")

    func checked(_ relative: String) -> FileResult {
        FileCheck.check(path: Repo.root.appendingPathComponent("samples/inbox/" + relative).path, relative: relative, plan: Self.plan)
    }

    func record(_ r: FileResult, _ sha: String, in ledger: Ledger) throws(LedgerError) {
        try ledger.record(r, sha256: sha, size: 1, mtime: 0, receivedOn: Day("2019-11-16")!)
    }

    @Test func aStoppedGatheringKeepsTheCommittedFilesWholeAndNothingOfTheRest() throws {
        let q1 = checked("Cam Ranh/BC von quy 1 - Cam Ranh.xlsx"), q2 = checked("Cam Ranh/BC von quy 2 - Cam Ranh.xlsx")
        try #require(q1.status == .accepted && q2.status == .accepted)
        let path = temporaryFolder("gathering") + "/t.sqlite"
        let ledger = try Ledger(path: path)
        ledger.begin(Self.stamp)
        var seenBeforeCommit: Ledger.AcceptedVersion?
        var committed = false
        var filesInTransaction = 0
        do {
            try ledger.gathering { () throws(LedgerError) in
                try record(q1, "a", in: ledger)
                // The checks of the next file see this one before it is committed.
                seenBeforeCommit = try ledger.acceptedVersion(unit: "569", form: "capital-quarterly", period: Period("2019-Q1")!)
                committed = try ledger.commitGathered()
                try record(q2, "b", in: ledger)
                filesInTransaction = try ledger.files().count
                throw LedgerError(path: path, detail: "stopped")
            }
            Issue.record("the gathering did not throw")
        } catch {
            #expect(error.detail == "stopped")
        }
        #expect(seenBeforeCommit?.file == q1.file && committed && filesInTransaction == 2)
        // Another connection, as the next run would open it: the committed file, whole.
        let reopened = try Ledger(path: path)
        #expect(try reopened.files().map(\.name) == [q1.file])
        let plain = try Ledger(path: temporaryFolder("plain") + "/t.sqlite")
        plain.begin(Self.stamp)
        try record(q1, "a", in: plain)
        let ids = try reopened.submissions().map(\.id)
        let plainIds = try plain.submissions().map(\.id)
        #expect(!ids.isEmpty && ids == plainIds)
        let values = try reopened.values(submissions: ids), plainValues = try plain.values(submissions: ids)
        #expect(values == plainValues)
        let findings = try reopened.findingsByFile(), plainFindings = try plain.findingsByFile()
        #expect(findings == plainFindings)
        let rows = try reopened.rowNumbers(submissions: ids), plainRows = try plain.rowNumbers(submissions: ids)
        #expect(rows == plainRows)

        // The run goes on writing into its own row after the rolled-back part.
        try record(q2, "b", in: ledger)
        #expect(try reopened.files().map(\.name).sorted() == [q1.file, q2.file].sorted())
        #expect(try reopened.runCount() == 1)
    }
}
