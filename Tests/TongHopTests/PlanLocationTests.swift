import Foundation
import Testing
@testable import TongHop

/// Where the plan and the report templates are found, and what tonghop.yml may say.
@Suite struct PlanLocationTests {
    /// A fake install: `<prefix>/share/tonghop/templates/{khanh-hoa-2019,report}`.
    static func install() throws -> String {
        let prefix = temporaryFolder("prefix")
        let share = prefix + "/share/tonghop/templates"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repo.plan2019, toPath: share + "/khanh-hoa-2019")
        try FileManager.default.copyItem(atPath: Repo.root.path + "/templates/report", toPath: share + "/report")
        return prefix
    }

    @Test func theOrderIsOptionVariableSettingsWorkingFolderInstall() throws {
        let prefix = try Self.install()
        let share = prefix + "/share/tonghop"
        var settings = WorkingSettings()
        settings.plan = Repo.plan2019
        // Named places win, in order, even over an existing default.
        #expect(try PlanLocation.plan(option: "/tmp", environment: ["TONGHOP_PLAN": "/var"], settings: settings, shareFolder: share) == "/tmp")
        #expect(try PlanLocation.plan(option: nil, environment: ["TONGHOP_PLAN": "/var"], settings: settings, shareFolder: share) == "/var")
        #expect(try PlanLocation.plan(option: nil, environment: [:], settings: settings, shareFolder: share) == Repo.plan2019)
        // Unnamed: the working folder (the test runs in the package root), then the install.
        let here = FileManager.default.currentDirectoryPath
        let atRoot = FileManager.default.fileExists(atPath: here + "/templates/khanh-hoa-2019/plan.yml")
        let found = try PlanLocation.plan(option: nil, environment: [:], shareFolder: share)
        #expect(found == (atRoot ? "templates/khanh-hoa-2019" : share + "/templates/khanh-hoa-2019"))
    }

    @Test func aNamedPlanThatIsMissingIsNotReplaced() {
        #expect(throws: PlanNotFound(looked: [.init(path: "/khong-co", source: .environment)])) {
            try PlanLocation.plan(option: nil, environment: ["TONGHOP_PLAN": "/khong-co"], shareFolder: nil)
        }
    }

    @Test func reportTemplatesFallBackToTheWorkingFolderThenTheInstall() throws {
        let prefix = try Self.install()
        let folders = PlanLocation.reportFolders(plan: "/etc/ke-hoach/2020", shareFolder: prefix + "/share/tonghop")
        #expect(folders == ["/etc/ke-hoach/2020/report", "/etc/ke-hoach/report", "templates/report",
                            prefix + "/share/tonghop/templates/report"])
        // Beside an installed plan: no folder twice.
        let installed = PlanLocation.reportFolders(plan: "templates/khanh-hoa-2019", shareFolder: nil)
        #expect(installed == ["templates/khanh-hoa-2019/report", "templates/report"])
    }

    @Test func workingSettingsAreReadAndCheckedLineByLine() throws {
        let work = temporaryFolder("settings")
        #expect(try WorkingSettings.load(folder: work) == WorkingSettings())
        try "# the nightly run\ninbox: /srv/hop-thu\nout: bao-cao\ndb: so-cai.sqlite\nplan: ke-hoach\nlang: en\n"
            .write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        let s = try WorkingSettings.load(folder: work)
        #expect(s.inbox == "/srv/hop-thu" && s.out == "bao-cao" && s.db == "so-cai.sqlite" && s.plan == "ke-hoach" && s.lang == .en)
        try "inbox: hop-thu\nlang: fr\n".write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        let error = try #require(throws: SettingsError.self) { try WorkingSettings.load(folder: work) }
        #expect(error.message(.vi) == work + "/tonghop.yml:2: lang: “fr” không phải vi hay en")
        try "- inbox\n".write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        #expect(throws: SettingsError.self) { try WorkingSettings.load(folder: work) }
        try "inbox:\n".write(toFile: work + "/tonghop.yml", atomically: true, encoding: .utf8)
        #expect(throws: SettingsError.self) { try WorkingSettings.load(folder: work) }
    }
}
