import Foundation
import Sheets
import Testing
@testable import TongHop

/// What the ledger records is exactly what was checked, and nothing is lost or invented:
/// races made to happen at a chosen moment through the run's test hooks, damaged and
/// foreign ledgers, paths that meet, hostile names and text.
@Suite(.serialized) struct IntegrityTests {
    static let sample = Binary.root.path + "/samples/inbox"

    /// An inbox holding Khánh Sơn's files (18, all accepted as of 5 December 2019): the
    /// sample's later correction of its November is left out, so one name per report.
    static func khanhSon() throws -> String {
        let inbox = workFolder()
        try FileManager.default.copyItem(atPath: sample + "/Khanh Son", toPath: inbox + "/Khanh Son")
        try FileManager.default.removeItem(atPath: inbox + "/Khanh Son/BC thang 11 - Khanh Son (bo sung).xlsx")
        return inbox
    }

    static func sha256(_ path: String) throws -> String {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(text.prefix(64))
    }

    static func python(_ script: String, _ arguments: [String] = []) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + arguments
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    // MARK: 1. A passing read failure is not a verdict

    @Test func aRunUnderLoweredLimitsRecordsNothingAndTheNextRunReadsEverything() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let starved = try Binary.run(runArguments(work, inbox: inbox) + ["--file-memory-mb", "1"])
        // (A worker may still finish a small file within what it already holds: that is a
        // true reading. None is a verdict of the limit.)
        #expect(starved.stdout.contains(" 0 bị từ chối, 0 không nhận diện được, 0 định dạng không đọc được"), "\(starved.stdout)")
        #expect(starved.stdout.contains("--file-memory-mb (thường là 3072); chưa ghi gì"), "\(starved.stdout)")
        let normal = try Binary.run(runArguments(work, inbox: inbox))
        #expect(normal.stdout.contains(" 0 bị từ chối"), "\(normal.stdout)")
        let files = try Ledger(path: work + "/tonghop.sqlite").files()
        #expect(files.count == 18 && files.allSatisfy { $0.status == .accepted }, "\(files.map(\.status))")
    }

    // MARK: 2. What is hashed is what is checked

    @Test func aFileReplacedBetweenHashingAndCheckingIsRecordedAsTheBytesHashed() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let name = "Khanh Son/BC thang 11 - Khanh Son.xlsx"
        let original = try Self.sha256(inbox + "/" + name)
        // After each file is hashed, it is replaced by another district's unrelated workbook.
        let other = Self.sample + "/Book1.xlsx"
        let r = try Binary.run(runArguments(work, inbox: inbox),
                               environment: ["TONGHOP_TEST_AFTER_HASH": "case \"$1\" in *'thang 11'*) cp '\(other)' \"$1\";; esac"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        #expect(try Self.sha256(inbox + "/" + name) == Self.sha256(other), "the hook did not replace the file")
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        let file = try #require(ledger.files().first { $0.name == name })
        // Recorded as the Khánh Sơn November report it was when hashed, not as Book1's bytes.
        #expect(file.status == .accepted)
        let submission = try #require(ledger.submissions().first { $0.fileId == file.id })
        #expect(submission.unit == "575" && submission.period == "2019-11")
        #expect(try ledger.knownFile(sha256: original)?.id == file.id)
        // The new bytes under that name are a new file for the next run, not a "copy".
        let next = try Binary.run(runArguments(work, inbox: inbox))
        #expect(next.stdout.contains("1 mới, 0 bản sao"), "\(next.stdout)")
    }

    // MARK: 3. The ledger is never invented

    @Test func aNewLedgerIsMadeOnlyWhereNoFileIsAndSaysSo() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.stderr.contains("tạo sổ cái mới \(work)/tonghop.sqlite"), "\(r.stderr)")
        let again = try Binary.run(runArguments(work, inbox: inbox))
        #expect(!again.stderr.contains("tạo sổ cái mới"))
        // A mistyped folder is not created.
        let typo = try Binary.run(["run", "--inbox", inbox, "--out", work + "/r", "--db", work + "/khong-co/tonghop.sqlite",
                                   "--as-of", "2019-12-05", "--settle-seconds", "0"])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("không có thư mục \(work)/khong-co"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/khong-co"))
    }

    @Test(arguments: ["empty", "garbage", "other-sqlite", "folder"])
    func aFileThatIsNotALedgerIsExitTwoAndLeftAlone(kind: String) throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let db = work + "/tonghop.sqlite"
        switch kind {
        case "empty": _ = FileManager.default.createFile(atPath: db, contents: Data())
        case "garbage": _ = FileManager.default.createFile(atPath: db, contents: Data(repeating: 0x41, count: 5000))
        case "other-sqlite": try Self.python("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('create table t(x)'); c.commit()", [db])
        default: try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: true)
        }
        let before = try FileManager.default.attributesOfItem(atPath: db)
        let bytes = FileManager.default.contents(atPath: db)
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(kind == "empty" ? r.stderr.contains("rỗng (0 byte)") : r.stderr.contains("không phải sổ cái tonghop"), "\(r.stderr)")
        #expect(r.stderr.contains("Cách sửa"))
        let status = try Binary.run(["status", "--db", db, "--as-of", "2019-12-05"])
        #expect(status.status == 2, "\(status.stdout)")
        #expect(FileManager.default.contents(atPath: db) == bytes)
        #expect(try FileManager.default.attributesOfItem(atPath: db)[.modificationDate] as? Date == before[.modificationDate] as? Date)
    }

    @Test func statusReadsTheLedgerWithoutWritingIt() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        _ = try Binary.run(runArguments(work, inbox: inbox))
        let db = work + "/tonghop.sqlite"
        let before = FileManager.default.contents(atPath: db)
        chmod(db, 0o444)
        let r = try Binary.run(["status", "--db", db, "--as-of", "2019-12-05"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("575 Huyện Khánh Sơn"))
        #expect(FileManager.default.contents(atPath: db) == before)
    }

    // MARK: 4. Settled files only

    @Test func aFileJustWrittenIsLeftForTheNextRun() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        // Everything copied a moment ago: by default (5 s) nothing is settled yet.
        let r = try Binary.run(Array(runArguments(work, inbox: inbox).dropLast(2)))
        #expect(r.stdout.contains("Hộp thư: 0 tệp"), "\(r.stdout)")
        #expect(r.stdout.contains("Bỏ qua Khanh Son/BC thang 11 - Khanh Son.xlsx: đang được ghi, để lần sau"), "\(r.stdout)")
    }

    @Test func aFileGrowingBetweenListingAndReadingIsLeftForTheNextRun() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let name = "Khanh Son/BC thang 11 - Khanh Son.xlsx"
        let r = try Binary.run(runArguments(work, inbox: inbox),
                               environment: ["TONGHOP_TEST_AFTER_LIST": "printf 'xx' >> \"$1/\(name)\""])
        #expect(r.stdout.contains("Hộp thư: 18 tệp — 17 mới"), "\(r.stdout)")
        #expect(r.stdout.contains("Bỏ qua \(name): đang được ghi, để lần sau"), "\(r.stdout)")
        #expect(try Ledger(path: work + "/tonghop.sqlite").files().allSatisfy { $0.name != name })
    }

    // MARK: 5. A damaged ledger is detected and the way back is said

    @Test func aDamagedLedgerIsExitTwoWithTheRestoreProcedureAndABackupRestores() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let db = work + "/tonghop.sqlite"
        let first = try Binary.run(runArguments(work, inbox: inbox))
        let backup = try Binary.run(["ledger", "backup", "--db", db, work + "/sao-luu.sqlite"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("Đã sao lưu sổ cái"))
        // 64-byte overwrites over 16 pages (not the first: that would be "not a ledger").
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        let size = try handle.seekToEnd()
        let pages = Int(size) / 4096
        for i in 0..<16 {
            try handle.seek(toOffset: UInt64((1 + i * max(1, (pages - 1) / 16)) * 4096))
            handle.write(Data(repeating: 0xA5, count: 64))
        }
        try handle.close()
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.status == 2, "\(r.stdout)")
        #expect(r.stderr.contains("bị hỏng"), "\(r.stderr)")
        #expect(r.stderr.contains("Cách khôi phục"))
        #expect(!r.stderr.contains("SQL:") && !r.stderr.contains("INSERT") && !r.stderr.contains("SELECT"))
        // The procedure: keep the damaged file, put the backup in its place, run again.
        try FileManager.default.moveItem(atPath: db, toPath: db + ".hong")
        try? FileManager.default.removeItem(atPath: db + "-wal")
        try? FileManager.default.removeItem(atPath: db + "-shm")
        try FileManager.default.copyItem(atPath: work + "/sao-luu.sqlite", toPath: db)
        let restored = try Binary.run(runArguments(work, inbox: inbox))
        #expect(restored.status == first.status)
        #expect(restored.stdout.contains("Hộp thư: 18 tệp — 0 mới, 0 bản sao, 18 đã ghi trước đây"), "\(restored.stdout)")
    }

    // MARK: 6. Unreadable folders, names that are not UTF-8, loops

    @Test func entriesThatCannotBeReadAreEachListedWithTheirOwnReason() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        // A name in Windows-1258 bytes, a link loop, a link to a missing file.
        let bad = inbox + "/Khanh Son/BC thang 12 - Kh\u{E1}nh S\u{01A1}n.xlsx"
        let badBytes = Array("\(inbox)/Khanh Son/BC thang 12 - Kh".utf8) + [0xE1] + Array("nh.xlsx".utf8) + [0]
        let fd = open(badBytes.map { CChar(bitPattern: $0) }, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)
        _ = bad
        #expect(symlink("loop-b.xlsx", inbox + "/loop-a.xlsx") == 0)
        #expect(symlink("loop-a.xlsx", inbox + "/loop-b.xlsx") == 0)
        #expect(symlink("khong-co.xlsx", inbox + "/dangling.xlsx") == 0)
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.stdout.contains("Bỏ qua Khanh Son/BC thang 12 - Kh\\xE1nh.xlsx: tên tệp có ký tự không đọc được (không phải UTF-8"), "\(r.stdout)")
        #expect(r.stdout.contains("Bỏ qua loop-a.xlsx: liên kết vòng"), "\(r.stdout)")
        #expect(r.stdout.contains("Bỏ qua dangling.xlsx: liên kết trỏ tới tệp không còn tồn tại"), "\(r.stdout)")
        #expect(r.stdout.contains("Hộp thư: 18 tệp — 18 mới"))
    }

    @Test(.enabled(if: getuid() != 0, "root opens any folder"))
    func anUnreadableSubfolderIsListedNotSkippedSilently() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        try FileManager.default.copyItem(atPath: Self.sample + "/Cam Lam", toPath: inbox + "/Cam Lam")
        chmod(inbox + "/Cam Lam", 0o000)
        defer { chmod(inbox + "/Cam Lam", 0o755) }
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.stdout.contains("Bỏ qua Cam Lam/: không có quyền mở thư mục"), "\(r.stdout)")
    }

    @Test func anUnreadableSubfolderIsListedWhenTheWalkerMeetsOne() throws {
        // As root every folder opens: the walker is given one that cannot be opened.
        var listing = InboxListing()
        Inbox.walk(folder: "/proc/1/fd-does-not-exist", relative: "Cam Lam", root: "/proc", into: &listing)
        #expect(listing.skipped.first?.0 == "Cam Lam/")
        #expect(listing.skipped.first?.1.contains("các tệp bên trong chưa được đọc") == true)
    }

    // MARK: 7. One lock per ledger, whatever path reaches it

    @Test func theSameLedgerThroughALinkWaitsForTheLock() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let real = work + "/that"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/link", withDestinationPath: real)
        let held = try RunLock(path: real + "/tonghop.sqlite.lock")
        let r = try Binary.run(["run", "--inbox", inbox, "--out", work + "/reports", "--db", work + "/link/tonghop.sqlite",
                                "--as-of", "2019-12-05", "--settle-seconds", "0"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("một lần chạy khác đang giữ khóa"), "\(r.stderr)")
        withExtendedLifetime(held) {}
    }

    // MARK: 8. The run never reads what it writes

    @Test(arguments: ["out", "db", "inbox-in-out"])
    func anOutputInsideTheInboxIsAUsageError(which: String) throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        var arguments = runArguments(work, inbox: inbox)
        switch which {
        case "out": arguments[arguments.firstIndex(of: "--out")! + 1] = inbox + "/bao-cao"
        case "db": arguments[arguments.firstIndex(of: "--db")! + 1] = inbox + "/../" + (inbox as NSString).lastPathComponent + "/so-cai.sqlite"
        default: arguments[arguments.firstIndex(of: "--out")! + 1] = (inbox as NSString).deletingLastPathComponent
        }
        let r = try Binary.run(arguments)
        #expect(r.status == 64, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("Cách sửa"))
        #expect(!FileManager.default.fileExists(atPath: inbox + "/bao-cao"))
        #expect(!FileManager.default.fileExists(atPath: inbox + "/so-cai.sqlite"))
    }

    // MARK: 9. Annotated copies never share a name

    @Test func twoNamesThatFoldAlikeGetTwoAnnotatedCopies() throws {
        let inbox = workFolder(), work = workFolder()
        try FileManager.default.createDirectory(atPath: inbox + "/Cam Lam", withIntermediateDirectories: true)
        let source = Self.sample + "/Cam Lam/BC von quy 2 - Cam Lam.xlsx"
        try FileManager.default.copyItem(atPath: source, toPath: inbox + "/Cam Lam/BC von quy 2 - Cam Lam (sua lai).xlsx")
        // The same workbook saved again (other bytes, same content) under the accented name.
        try Self.python("""
            import sys, zipfile
            src, dst = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as b:
                for i in a.infolist():
                    i2 = zipfile.ZipInfo(i.filename, (2019, 7, 20, 8, 0, 0)); i2.compress_type = zipfile.ZIP_DEFLATED
                    b.writestr(i2, a.read(i.filename))
            """, [source, inbox + "/Cam Lam/BC von quy 2 - Cam L\u{E2}m (s\u{1EED}a l\u{1EA1}i).xlsx"])
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.stdout.contains("2 mới, 0 bản sao"), "\(r.stdout)")
        let folder = work + "/reports/2019-11/phan-hoi/570"
        let copies = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xlsx") }
        #expect(copies.count == 2, "\(copies)")
        let page = try String(contentsOfFile: work + "/reports/2019-11/phan-hoi/570.html", encoding: .utf8)
        for c in copies {
            #expect(page.contains("href=\"570/\(c.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)\""), "\(c)")
        }
    }

    // MARK: 10. Older bytes sent again under the same name

    @Test func olderBytesResentUnderTheSameNameAreKnownAfterOneRun() throws {
        let inbox = workFolder(), work = workFolder()
        try FileManager.default.createDirectory(atPath: inbox + "/Khanh Son", withIntermediateDirectories: true)
        let name = inbox + "/Khanh Son/BC thang 11 - Khanh Son.xlsx"
        let a = Self.sample + "/Khanh Son/BC thang 11 - Khanh Son.xlsx", b = Self.sample + "/Khanh Son/BC thang 10 - Khanh Son.xlsx"
        func put(_ source: String, _ seconds: TimeInterval) throws {
            try? FileManager.default.removeItem(atPath: name)
            try FileManager.default.copyItem(atPath: source, toPath: name)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: name)
        }
        try put(a, 3000)
        _ = try Binary.run(runArguments(work, inbox: inbox))
        try put(b, 2000)
        _ = try Binary.run(runArguments(work, inbox: inbox))
        try put(a, 1000)
        _ = try Binary.run(runArguments(work, inbox: inbox))
        let runs = try Ledger(path: work + "/tonghop.sqlite").runCount()
        let again = try Binary.run(runArguments(work, inbox: inbox))
        #expect(again.stdout.contains("Hộp thư: 1 tệp — 0 mới, 0 bản sao, 1 đã ghi trước đây"), "\(again.stdout)")
        #expect(try Ledger(path: work + "/tonghop.sqlite").runCount() == runs)
    }

    // MARK: 11. Direction and control characters are shown, never obeyed

    static func hostileText(_ inbox: String) throws -> String {
        try FileManager.default.createDirectory(atPath: inbox + "/Khanh Son", withIntermediateDirectories: true)
        let csv = try Binary.run(["inspect", "--csv", Self.sample + "/Khanh Son/BC thang 11 - Khanh Son.xlsx"]).stdout
        let path = inbox + "/Khanh Son/BC thang 11 - Khanh Son.csv"
        try csv.replacingOccurrences(of: "Tô Hạp", with: "Tô\u{202E}Hạp\u{1B}[31m").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anRLOCommuneNameIsShownEscapedInTheReports() throws {
        let inbox = workFolder(), work = workFolder()
        _ = try Self.hostileText(inbox)
        _ = try Binary.run(runArguments(work, inbox: inbox))
        let pages = ["index.html", "phan-hoi/575.html", "csv/chat-luong-du-lieu.csv"].map {
            (try? String(contentsOfFile: work + "/reports/2019-11/" + $0, encoding: .utf8)) ?? ""
        }
        #expect(pages.contains { $0.contains("Tô‹U+202E›Hạp‹U+001B›[31m") }, "the name is not shown at all")
        for p in pages {
            #expect(!p.contains("\u{202E}") && !p.contains("\u{1B}"))
        }
    }

    @Test func checkNeverSendsControlCharactersToTheTerminal() throws {
        let inbox = workFolder()
        let path = try Self.hostileText(inbox)
        let r = try Binary.run(["check", path])
        #expect(r.stdout.contains("Tô‹U+202E›Hạp‹U+001B›[31m"), "\(r.stdout)")
        #expect(!r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{202E}"))
    }

    // MARK: 12. A vanished file is a per-file skip

    @Test func aFileGoneBetweenListingAndReadingIsSkippedAndReadWhenBack() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        let name = "Khanh Son/BC thang 11 - Khanh Son.xlsx"
        let r = try Binary.run(runArguments(work, inbox: inbox),
                               environment: ["TONGHOP_TEST_AFTER_LIST": "mv \"$1/\(name)\" \"$1/../gone.xlsx\""])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("Bỏ qua \(name): tệp đã bị chuyển đi hoặc xóa trong lúc chạy"), "\(r.stdout)")
        #expect(r.stdout.contains("17 mới"))
        try FileManager.default.moveItem(atPath: inbox + "/../gone.xlsx", toPath: inbox + "/" + name)
        let back = try Binary.run(runArguments(work, inbox: inbox))
        #expect(back.stdout.contains("Hộp thư: 18 tệp — 1 mới, 0 bản sao, 17 đã ghi trước đây"), "\(back.stdout)")
        #expect(back.stdout.contains("Tệp mới: 1 được chấp nhận"))
    }

    // MARK: 13. check reads in a worker under run's limits

    @Test func checkStopsAHostileFileWithinItsCPULimit() throws {
        let dir = workFolder()
        let attributes = (0..<200_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        try ZipWriter.write(HostileInputTests.workbook(sheet: HostileInputTests.sheet("<row r=\"1\"><c r=\"A1\" \(attributes)><v>1</v></c></row>")),
                            to: dir + "/200k-attributes.xlsx")
        // Measured in CPU seconds of check and its worker (wait4 of check counts the worker it
        // waited for): the machine running the tests may be shared, and wall-clock time is not
        // what the limit bounds.
        let output = dir + "/out.txt"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [Binary.url.path, "check", "--plan", Binary.root.path + "/templates/khanh-hoa-2019",
                         "--file-cpu-seconds", "3", dir + "/200k-attributes.xlsx"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, Binary.url.path, &actions, nil, &argv, environ) == 0)
        posix_spawn_file_actions_destroy(&actions)
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        #expect(cpu < 10, "check took \(cpu) CPU seconds")
        let r = (status: (status >> 8) & 0xFF, stdout: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
        #expect(r.status == 1, "\(r.stdout)")
        #expect(r.stdout.contains("200k-attributes.xlsx"))
    }

    // MARK: 14. Nothing outlives a killed run

    @Test func workersDieWithAKilledRun() throws {
        let inbox = workFolder(), work = workFolder()
        // Two million plain cells keep a worker reading for seconds (an element with 200,000
        // attributes no longer does: it is refused before it is parsed).
        var rows = ""
        rows.reserveCapacity(80 << 20)
        for r in 1...500_000 {
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r)</v></c><c r=\"B\(r)\"><v>\(r).5</v></c>"
            rows += "<c r=\"C\(r)\"><v>\(r * 3)</v></c><c r=\"D\(r)\"><v>\(r % 97)</v></c></row>"
        }
        let slow = HostileInputTests.workbook(sheet: HostileInputTests.sheet(rows))
        for i in 0..<2 { try ZipWriter.write(slow, to: inbox + "/slow-\(i).xlsx") }
        let marker = "tonghop-plan-\(UUID().uuidString)"
        // The plan through a link of a name no other process has: the workers are found by it.
        try FileManager.default.createSymbolicLink(atPath: work + "/" + marker, withDestinationPath: Binary.root.path + "/templates")
        let plan = work + "/" + marker + "/khanh-hoa-2019"
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["run", "--plan", plan] + runArguments(work, inbox: inbox).dropFirst()
        p.currentDirectoryURL = Binary.root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        func workers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
                guard Int(pid) != nil, let c = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
                return String(decoding: c, as: UTF8.self).contains(marker) && Int32(pid) != p.processIdentifier
            }
        }
        var started = false
        for _ in 0..<100 where !started { usleep(100_000); started = !workers().isEmpty }
        #expect(started, "no worker started")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        var left = workers()
        for _ in 0..<30 where !left.isEmpty { usleep(100_000); left = workers() }
        #expect(left.isEmpty, "workers outlived the run: \(left)")
    }

    @Test func annotatedCopiesAreMadeInsideTheOutputNotTheSystemTemporaryFolder() throws {
        let inbox = workFolder(), work = workFolder(), temp = workFolder()
        try FileManager.default.copyItem(atPath: Self.sample + "/Cam Lam", toPath: inbox + "/Cam Lam")
        let killed = try Binary.run(runArguments(work, inbox: inbox),
                                    environment: ["TONGHOP_TEST_KILL_DURING_FEEDBACK": "1", "TMPDIR": temp])
        #expect(killed.status != 0 && killed.status != 1 && killed.status != 2, "the run was not killed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp).isEmpty)
        let repaired = try Binary.run(runArguments(work, inbox: inbox), environment: ["TMPDIR": temp])
        #expect(repaired.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/reports").filter { $0.hasPrefix(".") }.isEmpty)
    }

    // MARK: Messages

    @Test func aDayOrPeriodOutsideThePlanIsAUsageError() throws {
        let work = workFolder()
        let day = try Binary.run(runArguments(work, asOf: "0000-01-01"))
        #expect(day.status == 64, "\(day.stderr)")
        let notADay = try Binary.run(runArguments(work, asOf: "2019-13-45"))
        #expect(notADay.status == 64)
        let period = try Binary.run(runArguments(work) + ["--period", "1900-01"])
        #expect(period.status == 64, "\(period.stderr)")
        #expect(period.stderr.contains("ngoài kế hoạch năm 2019"))
        #expect(!FileManager.default.fileExists(atPath: work + "/reports/1900-01"))
        let status = try Binary.run(["status", "--db", work + "/tonghop.sqlite", "--as-of", "1900-01-01"])
        #expect(status.status == 64)
    }

    @Test func aTemplateFolderUnderAFileIsExitTwoInWords() throws {
        let work = workFolder()
        _ = FileManager.default.createFile(atPath: work + "/tep", contents: Data("x".utf8))
        let r = try Binary.run(["template", "--all", "--as-of", "2019-12-05", "-o", work + "/tep/sub"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("\(work)/tep là một tệp, không phải thư mục"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aDuplicateKeyInThePlanIsNamedByLineNotDumped() throws {
        let work = workFolder()
        try FileManager.default.createSymbolicLink(atPath: work + "/report", withDestinationPath: Binary.root.path + "/templates/report")
        try FileManager.default.copyItem(atPath: Binary.root.path + "/templates/khanh-hoa-2019", toPath: work + "/plan")
        let text = try String(contentsOfFile: work + "/plan/plan.yml", encoding: .utf8)
        let doubled = text.replacingOccurrences(of: "\nyear:", with: "\nyear: 2019\nyear:")
        #expect(doubled != text)
        try doubled.write(toFile: work + "/plan/plan.yml", atomically: true, encoding: .utf8)
        let r = try Binary.run(["plan", "--plan", work + "/plan"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("khóa \"year\" được ghi hai lần"), "\(r.stderr)")
        #expect(r.stderr.count < 400, "\(r.stderr)")
    }

    @Test func aLockFileThatCannotBeMadeIsNotCalledAReportProblem() throws {
        let inbox = try Self.khanhSon(), work = workFolder()
        // A folder where the lock file should be: it cannot be opened as a file.
        try FileManager.default.createDirectory(atPath: work + "/tonghop.sqlite.lock", withIntermediateDirectories: true)
        let r = try Binary.run(runArguments(work, inbox: inbox))
        #expect(r.status == 2)
        #expect(r.stderr.contains("không tạo được tệp khóa"), "\(r.stderr)")
        #expect(!r.stderr.contains("không ghi được báo cáo"))
    }

    // MARK: 12.7 A copy keeps the earliest received date of its bytes

    @Test func aCopyArrivingLaterKeepsTheEarliestReceivedDate() throws {
        let work = workFolder()
        _ = try Binary.run(runArguments(work))
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        let file = try #require(ledger.files().first { $0.names.contains("Nha Trang/BC thang 11 - Nha Trang.xlsx") })
        // The register: 16/11 in the district's folder, 18/11 for the copy sent again by email.
        #expect(file.names.contains("BC thang 11 - Nha Trang (gui lai qua email).xlsx"))
        #expect(file.receivedOn.description == "2019-11-16")
        #expect(file.name == "Nha Trang/BC thang 11 - Nha Trang.xlsx")
    }

    @Test func anOnTimeReportSentAgainLaterUnderAnotherNameStaysOnTime() throws {
        let inbox = workFolder(), work = workFolder()
        try FileManager.default.createDirectory(atPath: inbox + "/Khanh Son", withIntermediateDirectories: true)
        let october = inbox + "/Khanh Son/BC thang 10 - Khanh Son.xlsx"
        try FileManager.default.copyItem(atPath: Self.sample + "/Khanh Son/BC thang 10 - Khanh Son.xlsx", toPath: october)
        try "Khanh Son/BC thang 10 - Khanh Son.xlsx;15/10/2019\nBC thang 10 (gui lai).xlsx;28/11/2019\n"
            .write(toFile: inbox + "/so-cong-van-den.csv", atomically: true, encoding: .utf8)
        // The same bytes arrive again on 28/11 under another name, in the same run or later.
        try FileManager.default.copyItem(atPath: october, toPath: inbox + "/BC thang 10 (gui lai).xlsx")
        _ = try Binary.run(runArguments(work, inbox: inbox))
        let status = try Binary.run(["status", "--db", work + "/tonghop.sqlite", "--as-of", "2019-12-05"])
        #expect(!status.stdout.contains("nộp muộn: Báo cáo tháng thực hiện nhiệm vụ hỗ trợ phụ nữ phát triển kinh tế Tháng 10/2019"), "\(status.stdout)")
        let ledger = try Ledger(path: work + "/tonghop.sqlite")
        #expect(try ledger.files().first?.receivedOn.description == "2019-10-15")
    }
}
