import Foundation
import Testing

/// The install: scripts/install.sh (what `make install` runs on the release build) with the
/// debug build, into an empty folder, then the program used from elsewhere, as cron would.
@Suite struct InstallTests {
    static let sample = Binary.root.path + "/samples/inbox/Khanh Vinh/BC von quy 1 - Khanh Vinh.xlsx"

    /// Runs `program` in `folder` without TONGHOP_PLAN from the test's own environment.
    static func run(_ program: String, _ arguments: [String], in folder: String,
                    environment extra: [String: String] = [:]) throws -> Binary.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["TONGHOP_PLAN"] = nil
        p.environment = environment.merging(extra) { $1 }
        let out = temporaryFile("out"), err = temporaryFile("err")
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return Binary.Result(status: p.terminationStatus,
                             stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    static func temporaryFile(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    static func emptyFolder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An install made once for the suite.
    static let prefix: String = {
        let prefix = try! emptyFolder("prefix")
        let r = try! run("/bin/bash", [Binary.root.path + "/scripts/install.sh", Binary.url.path, prefix], in: Binary.root.path)
        precondition(r.status == 0, "install.sh failed: \(r.stderr)")
        return prefix
    }()

    @Test func installPutsTheProgramPlansTemplatesAndGuideInPlace() {
        let fm = FileManager.default
        #expect(fm.isExecutableFile(atPath: Self.prefix + "/bin/tonghop"))
        #expect(fm.fileExists(atPath: Self.prefix + "/share/tonghop/templates/khanh-hoa-2019/plan.yml"))
        #expect(fm.fileExists(atPath: Self.prefix + "/share/tonghop/templates/khanh-hoa-2019/forms"))
        #expect(fm.fileExists(atPath: Self.prefix + "/share/tonghop/templates/report/index.mustache"))
        #expect(fm.fileExists(atPath: Self.prefix + "/share/tonghop/huong-dan-su-dung.md"))
    }

    @Test func checkFromTheRootFolderFindsTheInstalledPlan() throws {
        let r = try Self.run(Self.prefix + "/bin/tonghop", ["check", Self.sample], in: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Báo cáo số liệu các nguồn vốn quý · Quý I/2019 — CHẤP NHẬN"))
    }

    @Test func aMissingPlanSaysEveryPlaceItLooked() throws {
        // The program alone, with no share folder beside it.
        let bare = try Self.emptyFolder("bare")
        try FileManager.default.createDirectory(atPath: bare + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Binary.url.path, toPath: bare + "/bin/tonghop")
        let r = try Self.run(bare + "/bin/tonghop", ["check", Self.sample], in: "/")
        #expect(r.status == 2)
        #expect(r.stderr.contains("templates/khanh-hoa-2019 (thư mục đang làm việc)"))
        #expect(r.stderr.contains(bare + "/share/tonghop/templates/khanh-hoa-2019 (thư mục cài đặt)"))
        #expect(r.stderr.contains("TONGHOP_PLAN"))
    }

    @Test func theVariableNamesThePlanAndAWrongOneIsNotReplaced() throws {
        let r = try Self.run(Self.prefix + "/bin/tonghop", ["check", Self.sample], in: "/",
                             environment: ["TONGHOP_PLAN": "/khong-co/ke-hoach"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("không có thư mục kế hoạch /khong-co/ke-hoach (biến TONGHOP_PLAN)"))
    }

    /// tonghop.yml in the working folder: the cron line is just `tonghop run`.
    @Test func workingSettingsMakeTheCronLineShort() throws {
        let work = try Self.emptyFolder("work")
        try FileManager.default.createDirectory(atPath: work + "/hop-thu", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.sample, toPath: work + "/hop-thu/BC von quy 1 - Khanh Vinh.xlsx")
        try "inbox: hop-thu\nout: bao-cao\ndb: so-cai.sqlite\nlang: en\n".write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        let r = try Self.run(Self.prefix + "/bin/tonghop", ["run", "--as-of", "2019-12-05", "--settle-seconds", "0"], in: work)
        #expect(r.status == 1, "\(r.stderr)") // the other districts' reports are missing
        #expect(FileManager.default.fileExists(atPath: work + "/so-cai.sqlite"))
        #expect(FileManager.default.fileExists(atPath: work + "/bao-cao/index.html"))
        #expect(r.stdout.contains("Summary as of 2019-12-05"))
        // The nightly backup reads the same settings: no --db, the ledger the run wrote, in English.
        let b = try Self.run(Self.prefix + "/bin/tonghop", ["ledger", "backup", "sao-luu.sqlite"], in: work)
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("Backed up the ledger so-cai.sqlite"), "\(b.stdout)")
        #expect(FileManager.default.fileExists(atPath: work + "/sao-luu.sqlite"))
        // So does closing a period: the reports folder and the ledger of tonghop.yml.
        let closed = try Self.run(Self.prefix + "/bin/tonghop", ["close", "2019-11"], in: work)
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.contains("Closed 2019-11 with data to 2019-12-05"), "\(closed.stdout)")
        #expect(FileManager.default.fileExists(atPath: work + "/bao-cao/2019-11/da-chot.txt"))
        // The command line still wins.
        let c = try Self.run(Self.prefix + "/bin/tonghop", ["check", "--lang", "vi", Self.sample], in: work)
        #expect(c.stdout.contains("CHẤP NHẬN"))
    }

    @Test func aMistakeInTheSettingsNamesTheFileLineAndKey() throws {
        let work = try Self.emptyFolder("work")
        try "inbox: hop-thu\nhop-thu: x\n".write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        let r = try Self.run(Self.prefix + "/bin/tonghop", ["check", Self.sample], in: work)
        #expect(r.status == 2)
        #expect(r.stderr.contains(work + "/tonghop.yml:2: hop-thu: khóa không biết; chỉ dùng được inbox, out, db, plan, lang"))
    }
}
