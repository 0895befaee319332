import Foundation
import Sheets
import Testing
@testable import TongHop

@Suite struct SampleInboxTests {
    func generate(_ scale: SampleInboxOptions.Scale, files: Int, seed: UInt64 = 7) throws -> (SampleInboxSummary, String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sample-\(UUID().uuidString)").path
        var options = SampleInboxOptions()
        options.scale = scale
        options.files = files
        options.seed = seed
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        return (try SampleInbox.generate(plan: plan, options: options, out: out), out)
    }

    func contents(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: folder)!
        while let f = e.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(f)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                out[f] = FileManager.default.contents(atPath: path)
            }
        }
        return out
    }

    @Test func sameSeedSameInbox() throws {
        let (a, outA) = try generate(.national, files: 150)
        let (b, outB) = try generate(.national, files: 150)
        #expect(a.files == 150 && b.files == 150)
        #expect(try contents(outA + "/inbox") == contents(outB + "/inbox"))
        let (_, outC) = try generate(.national, files: 150, seed: 8)
        #expect(try contents(outA + "/inbox") != contents(outC + "/inbox"))
    }

    @Test func nationalScaleBringsItsOwnPlan() throws {
        let (s, out) = try generate(.national, files: 40)
        let plan = try PlanLoader.load(folder: out + "/plan")
        #expect(plan.activeUnits.count > 600)
        #expect(plan.activeUnits.count == s.units)
        #expect(plan.forms.count == 6)
    }

    @Test func filesAreReadableWorkbooksInTheTemplateLayout() throws {
        let (s, out) = try generate(.province, files: 60)
        #expect(s.units == 8)
        #expect(s.valid + s.invalid + s.unidentified + s.duplicates == 60)
        let register = try String(contentsOfFile: out + "/inbox/so-cong-van-den.csv", encoding: .utf8)
        #expect(register.split(separator: "\r\n").count == 61)
        let first = try #require(try contents(out + "/inbox").keys.sorted().first { $0.hasSuffix(".xlsx") && !$0.hasPrefix("Book1") })
        let grid = try Spreadsheets.open(path: out + "/inbox/" + first).loadSheet(1)
        #expect(grid.value(CellReference(row: FormLayout.headerRow, column: 1)) == .text("STT"))
        guard case .text(let period)? = Optional(grid.value(CellReference("A4")!)) else {
            Issue.record("no period line"); return
        }
        #expect(period.hasPrefix("Kỳ báo cáo: "))
    }
}

/// `tonghop sample --scale national`: the files it calls valid pass every check of the plan.
@Suite struct SampleValidityTests {
    /// Every file the generator calls valid is accepted with no finding at all, read back by
    /// the same checks as a run (received on its register date).
    @Test func nationalValidFilesAreAccepted() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sample-valid-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = SampleInboxOptions()
        options.scale = .national
        options.files = 400
        let summary = try SampleInbox.generate(plan: try PlanLoader.load(folder: Repo.plan2019), options: options, out: out)
        let plan = try PlanLoader.load(folder: summary.planFolder)
        let register = Inbox.register(summary.inbox)
        #expect(summary.validFiles.count == summary.valid && summary.valid > 300)
        var refused: [String] = []
        for file in summary.validFiles {
            var r = FileCheck.check(path: summary.inbox + "/" + file, relative: file, plan: plan)
            let received = try #require(register[file])
            IntakeReview.review(&r, receivedOn: received, plan: plan, history: nil)
            if r.status != .accepted || !r.allFindings.filter({ $0.severity != .info }).isEmpty {
                refused.append(file + ": " + r.allFindings.map { "[\($0.code.rawValue)] \($0.vi)" }.joined(separator: " | "))
            }
        }
        #expect(refused.isEmpty, "\(refused.count) valid files refused, first: \(refused.first ?? "")")
    }

    /// Each form drawn many times, as the generator draws it for a late slot of the year (the
    /// round-robin reaches the half-year and quarterly forms only after thousands of files):
    /// every rule holds, `closing == opening + lent - repaid` included.
    @Test func everyFormsDrawsHoldEveryRule() throws {
        let plan = try PlanLoader.load(folder: Repo.plan2019)
        let unit = try #require(plan.activeUnits.first)
        var rng = SeededRandom(seed: 11)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sample-draws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for form in plan.forms {
            let period = try #require(plan.periods(of: form).last)
            for i in 0..<25 {
                let rows = SampleInbox.values(for: form, unit: unit, rng: &rng)
                let path = dir + "/\(form.id)-\(i).xlsx"
                try XLSXWriter.write(FormLayout.draft(plan: plan, form: form, unit: unit, period: period, rows: rows), to: path)
                let r = FileCheck.check(path: path, relative: "\(unit.shortName)/\(form.id)-\(i).xlsx", plan: plan)
                let problems = r.allFindings.filter { $0.severity != .info }
                #expect(r.status == .accepted && problems.isEmpty, "\(form.id) draw \(i): \(problems.map(\.vi))")
            }
        }
    }

    @Test func receivedAfterThePeriodEnds() throws {
        let end = try #require(Day("2019-11-14")), due = try #require(Day("2019-11-18"))
        #expect(SampleInbox.receivedDate(due: due, end: end, early: 5) == end)
        #expect(SampleInbox.receivedDate(due: due, end: end, early: 2) == Day("2019-11-16"))
        // A year's plan due before its period ends may come early.
        let planDue = try #require(Day("2019-03-31")), yearEnd = try #require(Day("2019-12-14"))
        #expect(SampleInbox.receivedDate(due: planDue, end: yearEnd, early: 3) == Day("2019-03-28"))
    }
}
