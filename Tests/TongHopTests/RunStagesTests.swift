import Foundation
import Sheets
import Testing
@testable import TongHop

/// The run as stages: one context, hooks given by the caller, errors said as what they are.
@Suite struct RunStagesTests {
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func inbox() throws -> String {
        let inbox = temporaryFolder("stages-inbox")
        try FileManager.default.copyItem(atPath: Repo.root.appendingPathComponent("samples/inbox/Khanh Son").path, toPath: inbox + "/Khanh Son")
        return inbox
    }

    @Test func hooksAreCalledAtTheirMomentsAndTheStagesAreTimed() throws {
        let inbox = try inbox()
        let work = temporaryFolder("stages-work")
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        let calls = Calls()
        var options = RunOptions(inbox: inbox, out: work + "/reports", database: work + "/tonghop.sqlite", asOf: Day("2019-12-05")!)
        options.hooks = RunHooks(afterList: { calls.add("list \($0)") }, afterHash: { calls.add("hash \(($0 as NSString).lastPathComponent)") },
                                 afterRecord: { calls.add("record \($0)") })
        let timings = RunTimings()
        options.timings = timings
        let outcome = try RunJob.run(plan: plan, options: options)
        let all = calls.all
        #expect(all.first == "list \(inbox)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: inbox + "/Khanh Son").count
        #expect(all.filter { $0.hasPrefix("hash ") }.count == files)
        #expect(all.filter { $0.hasPrefix("record ") } == (1...outcome.filesNew).map { "record \($0)" })
        let entries = timings.entries
        #expect(entries.map(\.stage) == RunStage.allCases)
        #expect(entries.first { $0.stage == .checking }!.wall > 0 && entries.first { $0.stage == .rendering }!.wall > 0)
        #expect(entries.reduce(0) { $0 + $1.wall } <= timings.total.wall)
        #expect(outcome.timings === timings)

        // Nothing new: no hash, no record, nothing checked or rendered.
        let again = Calls()
        options.hooks = RunHooks(afterList: { again.add("list \($0)") }, afterHash: { again.add("hash \($0)") },
                                 afterRecord: { again.add("record \($0)") })
        let quiet = RunTimings()
        options.timings = quiet
        let rerun = try RunJob.run(plan: plan, options: options)
        #expect(again.all == ["list \(inbox)"] && !rerun.reportsWritten)
        #expect(quiet.entries.first { $0.stage == .checking }!.wall == 0 && quiet.entries.first { $0.stage == .rendering }!.wall == 0)
    }

    /// Past the kept-bytes budget a new file is read again before its check: the reports are
    /// the same as with every file kept, and a file whose bytes changed since they were hashed
    /// is left for the next run, never checked as other bytes than those recorded.
    @Test func filesBeyondTheKeptBytesAreReadAgainAndMustHashTheSame() throws {
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        func run(keptBytes: Int, _ name: String, hooks: RunHooks = RunHooks()) throws -> (RunOutcome, String) {
            let inbox = try inbox()
            let work = temporaryFolder(name)
            var options = RunOptions(inbox: inbox, out: work + "/reports", database: work + "/tonghop.sqlite", asOf: Day("2019-12-05")!)
            options.keptBytes = keptBytes
            options.hooks = hooks
            return (try RunJob.run(plan: plan, options: options), work + "/reports/2019-11")
        }
        let (kept, keptFolder) = try run(keptBytes: 32 << 20, "kept-all")
        let (reread, rereadFolder) = try run(keptBytes: 0, "kept-none")
        #expect(reread.filesNew == kept.filesNew && reread.notRead == 0)
        for page in ["index.html", "summary.json", "csv/chi-tieu.csv", "phan-hoi/574.html"] {
            #expect(FileManager.default.contents(atPath: keptFolder + "/" + page) == FileManager.default.contents(atPath: rereadFolder + "/" + page),
                    "\(page) differs when files are read again")
        }
        // Every file is changed right after it is hashed: none may be checked now.
        let (changed, _) = try run(keptBytes: 0, "kept-none-changed", hooks: RunHooks(afterHash: { path in
            if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(Data("x".utf8)); h.closeFile() }
        }))
        #expect(changed.filesNew == 0 && changed.notRead == kept.filesNew)
    }

    @Test func theLedgerRowOfARunIsTheContextsStartAndDay() throws {
        let inbox = try inbox()
        let work = temporaryFolder("stages-clock")
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        var options = RunOptions(inbox: inbox, out: work + "/reports", database: work + "/tonghop.sqlite", asOf: Day("2019-12-05")!)
        options.clock = { Date(timeIntervalSince1970: 1_575_500_000) }
        _ = try RunJob.run(plan: plan, options: options)
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        let rows = try ledger.read { try String.fetchAll($0, sql: "SELECT started_at || ' ' || finished_at || ' ' || as_of FROM run") }
        #expect(rows == ["2019-12-04T22:53:20Z 2019-12-04T22:53:20Z 2019-12-05"])
    }

    @Test func anErrorNoStageExpectedIsNotCalledALedgerError() {
        struct Odd: Error, CustomStringConvertible { var description: String { "something odd" } }
        #expect {
            try RunJob.Stages.guarded(.rendering) { throw Odd() }
        } throws: { error in
            guard case .failed(let stage, let detail) = error as? RunJobError else { return false }
            return stage == .rendering && detail == "something odd"
        }
        #expect {
            try RunJob.Stages.guarded(.rendering) { throw LedgerError(path: "x", detail: "y", kind: .damaged) }
        } throws: { error in
            guard case .ledger(let l) = error as? RunJobError else { return false }
            return l.kind == .damaged
        }
    }

    @Test func aLedgerErrorKeepsSQLitesStatementAndCode() throws {
        let ledger = try Ledger(path: temporaryFolder("ledger-error") + "/t.sqlite")
        #expect {
            try ledger.read { try String.fetchAll($0, sql: "SELECT x FROM no_such_table") }
        } throws: { error in
            guard let e = error as? LedgerError, let sqlite = e.sqlite else { return false }
            return e.kind == .failed && sqlite.sql == "SELECT x FROM no_such_table" && sqlite.code == 1
                && e.detail.contains("no_such_table")
        }
    }

    @Test func aWriteOutsideARunIsRefused() throws {
        let ledger = try Ledger(path: temporaryFolder("ledger-stamp") + "/t.sqlite")
        #expect(throws: LedgerError.self) { try ledger.setReportFingerprint("f", period: "2019-11") }
        ledger.begin(Ledger.RunStamp(asOf: Day("2019-12-05")!, startedAt: "t"))
        try ledger.setReportFingerprint("f", period: "2019-11")
        #expect(try ledger.reportFingerprint(period: "2019-11") == "f")
    }

    @Test func statusesAreReadAsTheirTypes() throws {
        let ledger = try Ledger(path: temporaryFolder("ledger-status") + "/t.sqlite")
        ledger.begin(Ledger.RunStamp(asOf: Day("2019-12-05")!, startedAt: "t"))
        try ledger.write { db in
            try db.execute(sql: "INSERT INTO run (started_at, as_of) VALUES ('t', '2019-12-05')")
            try db.execute(sql: "INSERT INTO file (sha256, size, name, received_on, first_run, status) VALUES ('a', 1, 'a.xlsx', '2019-11-01', 1, 'accepted')")
            try db.execute(sql: "INSERT INTO file_name (file_id, name, run_id) VALUES (1, 'a.xlsx', 1)")
            try db.execute(sql: "INSERT INTO submission (file_id, sheet, unit, form, period, status, received_on) VALUES (1, 's', '575', 'monthly', '2019-11', 'accepted', '2019-11-01')")
        }
        #expect(try ledger.submissions().map(\.status) == [.accepted])
        #expect(try ledger.files().map(\.status) == [.accepted])
        try ledger.write { try $0.execute(sql: "UPDATE submission SET status = 'maybe'") }
        #expect {
            try ledger.submissions()
        } throws: { error in
            (error as? LedgerError)?.kind == .damaged && (error as? LedgerError)?.detail.contains("maybe") == true
        }
    }
}
