import Foundation
import Testing
import TongHop

/// `tonghop run --timings`: the stage table after the summary, and one line of it in the log.
@Suite struct TimingsCommandTests {
    /// The seconds of a table row (wall, CPU), from the end of the line.
    func seconds(_ line: Substring) -> (wall: Double, cpu: Double)? {
        let parts = line.split(separator: " ")
        guard parts.count >= 3, let wall = Double(parts[parts.count - 2]), let cpu = Double(parts[parts.count - 1]) else { return nil }
        return (wall, cpu)
    }

    @Test(arguments: [Language.vi, .en]) func everyStageIsTimedAndTheStagesFitInTheTotal(language: Language) throws {
        let inbox = workFolder()
        try FileManager.default.copyItem(atPath: Binary.root.path + "/samples/inbox/Khanh Son", toPath: inbox + "/Khanh Son")
        let work = workFolder()
        let r = try Binary.run(runArguments(work, inbox: inbox) + ["--timings", "--lang", language.rawValue])
        #expect(r.status <= 1, "\(r.stdout)\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        var stageWall = 0.0
        for stage in RunStage.allCases {
            let name = stage.name(language)
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "no line for \(name) in\n\(r.stdout)")
            let s = try #require(seconds(line), "no seconds in \(line)")
            #expect(s.wall >= 0 && s.cpu >= 0)
            stageWall += s.wall
        }
        let totalName = language == .vi ? "tổng" : "total"
        let total = try #require(lines.first { $0.hasPrefix(totalName) }.flatMap(seconds), "no total in\n\(r.stdout)")
        // Each printed figure is rounded to a thousandth.
        #expect(stageWall <= total.wall + 0.0005 * Double(RunStage.allCases.count), "stages \(stageWall) s, total \(total.wall) s")
        // New files were checked and recorded: those stages took time.
        let checking = try #require(lines.first { $0.hasPrefix(RunStage.checking.name(language) + " ") }.flatMap(seconds))
        #expect(checking.wall > 0)
        // The run log (standard error) has the same in one line.
        let log = try #require(r.stderr.split(separator: "\n").first { $0.contains("listing+hashing=") })
        for stage in RunStage.allCases { #expect(log.contains(" \(stage.rawValue)=")) }
    }

    @Test func withoutTheFlagNoTableButTheLogLine() throws {
        let work = workFolder()
        let r = try Binary.run(runArguments(work, inbox: workFolder(), asOf: "2019-01-10"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains(RunStage.checking.name(.vi)))
        #expect(r.stderr.contains("tonghop: thời gian (giây đồng hồ/giây máy): plan="))
    }
}
