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
