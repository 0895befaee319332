import Foundation
import Testing
@testable import TongHop

/// What a worker says about a file reaches the run exactly as the worker found it.
@Suite struct WireResultTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    static func sampleFiles() -> [String] {
        let inbox = Repo.root.appendingPathComponent("samples/inbox").path
        let names = (FileManager.default.enumerator(atPath: inbox)?.allObjects as? [String]) ?? []
        return names.filter { $0.hasSuffix(".xlsx") || $0.hasSuffix(".csv") }.sorted().map { inbox + "/" + $0 }
    }

    @Test func everySampleResultCrossesThePipeUnchanged() throws {
        let files = Self.sampleFiles()
        #expect(files.count > 20)
        var findings: [Finding] = [], rows = 0
        for path in files {
            let relative = String(path.dropFirst(Repo.root.appendingPathComponent("samples/inbox").path.count + 1))
            let r = FileCheck.check(path: path, relative: relative, plan: Self.plan)
            let wire = try #require(WireResult(decoding: WireResult(r).encoded()), "\(relative)")
            let back = wire.result(plan: Self.plan)
            #expect(back.file == r.file)
            #expect(back.format == r.format)
            #expect(back.findings == r.findings, "\(relative)")
            #expect(back.submissions.count == r.submissions.count, "\(relative)")
            for (a, b) in zip(back.submissions, r.submissions) {
                #expect(a.unit?.code == b.unit?.code)
                #expect(a.form.id == b.form.id)
                #expect(a.period == b.period)
                #expect(a.sheet == b.sheet)
                #expect(a.findings == b.findings, "\(relative)")
                #expect(a.rows == b.rows, "\(relative)")
                #expect(a.columns == b.columns)
            }
            #expect(back.status == r.status)
            findings += r.allFindings
            rows += r.submissions.reduce(0) { $0 + $1.rows.count }
        }
        // The samples hold findings with and without cells and hints, and rows of figures.
        #expect(findings.count >= 20 && rows > 1000, "\(findings.count) findings, \(rows) rows")
        #expect(findings.contains { $0.hint != nil })
        #expect(findings.contains { $0.cell != nil } && findings.contains { $0.cell == nil })
    }

    @Test func aCutFrameIsNoResult() throws {
        let path = try #require(Self.sampleFiles().first { $0.contains("Cam Ranh") })
        let bytes = WireResult(FileCheck.check(path: path, relative: "x.xlsx", plan: Self.plan)).encoded()
        #expect(WireResult(decoding: bytes) != nil)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            #expect(WireResult(decoding: Array(bytes[0..<cut])) == nil, "cut at \(cut) of \(bytes.count)")
        }
        #expect(WireResult(decoding: bytes + [0]) == nil)
    }

    @Test func aFileThatCouldNotBeReadCrossesUnchanged() throws {
        let r = FileResult.unread("Cam Ranh/hỏng.xlsx", vi: "Không đọc được tệp: \"…\"", en: "Cannot read the file")
        let back = try #require(WireResult(decoding: WireResult(r).encoded())).result(plan: Self.plan)
        #expect(back.findings == r.findings && back.findings.first?.hint == nil && back.findings.first?.sheet == nil)
        #expect(back.format == nil && back.submissions.isEmpty && back.status == .rejected)
    }
}
