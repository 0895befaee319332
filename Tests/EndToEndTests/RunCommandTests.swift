import Foundation
import Testing
import TongHop

func workFolder() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func runArguments(_ work: String, inbox: String = "samples/inbox", asOf: String = "2019-12-05") -> [String] {
    ["run", "--inbox", inbox, "--out", work + "/reports", "--db", work + "/tonghop.sqlite", "--as-of", asOf, "--settle-seconds", "0"]
}

/// What a run leaves that matters: the report and every accepted value in the ledger.
func state(_ work: String) throws -> (summary: Data?, values: [String]) {
    let summary = FileManager.default.contents(atPath: work + "/reports/2019-11/summary.json")
    let ledger = try Ledger(path: work + "/tonghop.sqlite")
    var values: [String] = []
    for s in try ledger.submissions() where s.status == .accepted {
        for (row, fields) in try ledger.values(submission: s.id) {
            for (field, v) in fields { values.append("\(s.file)|\(s.sheet)|\(row)|\(field)|\(v)|\(s.version ?? 0)|\(s.supersededBy != nil)") }
        }
    }
    return (summary, values.sorted())
}

@Suite(.serialized) struct RunCommandTests {
    static let reference: (summary: Data?, values: [String]) = {
        let work = workFolder()
        _ = try! Binary.run(runArguments(work))
        return try! state(work)
    }()

    @Test func sampleRunExitsOneAndSaysWhy() throws {
        let work = workFolder()
        let r = try Binary.run(runArguments(work))
        #expect(r.status == 1)
        #expect(r.stdout.contains("Báo cáo đến hạn: 144 — 139 đúng hạn, 1 muộn, 1 thiếu, 3 bị từ chối; 24 chưa đến hạn"))
        #expect(r.stdout.contains("Hộp thư: 148 tệp — 147 mới, 1 bản sao"))
        // Not a terminal: one plain line per stage.
        #expect(r.stderr.contains("tonghop: hộp thư samples/inbox: 148 tệp\n"))
        #expect(FileManager.default.fileExists(atPath: work + "/reports/2019-11/summary.json"))
    }

    @Test func nothingDueNothingMissingExitsZero() throws {
        let work = workFolder()
        let inbox = workFolder()
        let r = try Binary.run(runArguments(work, inbox: inbox, asOf: "2019-01-10"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func theInboxIsNeverWritten() throws {
        let inbox = workFolder()
        try FileManager.default.copyItem(atPath: Binary.root.path + "/samples/inbox/Khanh Son", toPath: inbox + "/Khanh Son")
        let before = try FileManager.default.subpathsOfDirectory(atPath: inbox).sorted()
        _ = try Binary.run(runArguments(workFolder(), inbox: inbox))
        #expect(try FileManager.default.subpathsOfDirectory(atPath: inbox).sorted() == before)
    }

    @Test func aSecondRunWaitsThenGivesUpNamingTheHolder() throws {
        let work = workFolder()
        do {
            let held = try RunLock(path: work + "/tonghop.sqlite.lock")
            let r = try Binary.run(runArguments(work))
            #expect(r.status == 2)
            #expect(r.stderr.contains("một lần chạy khác đang giữ khóa"))
            #expect(r.stderr.contains("pid \(getpid())"))
            withExtendedLifetime(held) {}
        }
        // Released (as the kernel does when a run is killed): the next run goes ahead.
        let again = try Binary.run(runArguments(work))
        #expect(again.status == 1)
    }

    @Test(arguments: [1, 17, 60, 144])
    func killedWhileRecordingThenRepaired(afterFiles: Int) throws {
        let work = workFolder()
        let killed = try Binary.run(runArguments(work), environment: ["TONGHOP_TEST_KILL_AFTER_FILES": String(afterFiles)])
        #expect(killed.status != 0 && killed.status != 1 && killed.status != 2, "the run was not killed")
        let repaired = try Binary.run(runArguments(work))
        #expect(repaired.status == 1)
        let s = try state(work)
        #expect(s.summary == Self.reference.summary)
        #expect(s.values == Self.reference.values)
    }

    /// Kills at moments nobody chose: after a delay drawn from a fixed seed, several times
    /// over the same ledger, then one run to the end.
    @Test func killedAtRandomMomentsThenRepaired() throws {
        let work = workFolder()
        var rng: UInt64 = 2019
        var kills = 0
        for _ in 0..<8 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let delay = 100_000 + UInt32(rng >> 40) % 1_400_000
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = runArguments(work)
            p.currentDirectoryURL = Binary.root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            p.waitUntilExit()
        }
        #expect(kills > 0, "every run finished before its kill: nothing was tested")
        let repaired = try Binary.run(runArguments(work))
        #expect(repaired.status == 1)
        let s = try state(work)
        #expect(s.summary == Self.reference.summary)
        #expect(s.values == Self.reference.values)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work + "/reports").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func killedWhileWritingReportsLeavesTheOldOnesThenRepairs() throws {
        let work = workFolder()
        _ = try Binary.run(runArguments(work, asOf: "2019-11-20"))
        let old = FileManager.default.contents(atPath: work + "/reports/2019-11/summary.json")
        #expect(old != nil)
        let killed = try Binary.run(runArguments(work), environment: ["TONGHOP_TEST_KILL_BEFORE_RENAME": "1"])
        #expect(killed.status != 1 && killed.status != 0)
        // The previous report is intact, not half-written.
        #expect(FileManager.default.contents(atPath: work + "/reports/2019-11/summary.json") == old)
        let repaired = try Binary.run(runArguments(work))
        #expect(repaired.status == 1)
        #expect(try state(work).summary == Self.reference.summary)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work + "/reports").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func unwritableOutputIsExitTwoAndTheLedgerHasNoHalfRun() throws {
        let work = workFolder()
        try "not a folder".write(toFile: work + "/reports", atomically: true, encoding: .utf8)
        let r = try Binary.run(runArguments(work))
        #expect(r.status == 2)
        #expect(r.stderr.contains("không ghi được báo cáo"))
    }

    @Test func statusShowsTheCalendar() throws {
        let work = workFolder()
        _ = try Binary.run(runArguments(work))
        let r = try Binary.run(["status", "--db", work + "/tonghop.sqlite", "--as-of", "2019-12-05"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("574 Huyện Diên Khánh\n  BỊ TỪ CHỐI, chờ gửi lại: Báo cáo số liệu các nguồn vốn quý Quý III/2019 — hạn 16/10/2019 (50 ngày trước)\n"))
        #expect(r.stdout.contains("  QUÁ HẠN, chưa nhận: Báo cáo tháng thực hiện nhiệm vụ hỗ trợ phụ nữ phát triển kinh tế Tháng 11/2019 — hạn 18/11/2019 (17 ngày trước)"))
        // The .xls came: received, cannot be read, not "chưa nhận"; Trường Sa is exempt.
        #expect(r.stdout.contains("  Đã nhận, không đọc được — gửi lại dạng .xlsx: Báo cáo đánh giá hoạt động tiết kiệm năm 2018 Năm 2018 — hạn 31/03/2019 (249 ngày trước) [Cam Lam/Danh gia tiet kiem 2018 - Cam Lam.xls]"))
        #expect(r.stdout.contains("576 Huyện Trường Sa\n  được miễn: không phải báo cáo năm 2019\n"))
        #expect(r.stdout.contains("  nộp muộn: Báo cáo tháng thực hiện nhiệm vụ hỗ trợ phụ nữ phát triển kinh tế Tháng 10/2019 — 3 ngày"))
        #expect(r.stdout.contains("sắp đến hạn: Báo cáo tháng thực hiện nhiệm vụ hỗ trợ phụ nữ phát triển kinh tế Tháng 12/2019 — 17/12/2019 (còn 12 ngày)"))
    }
}
