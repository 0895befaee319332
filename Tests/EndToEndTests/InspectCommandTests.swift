import Foundation
import Testing

/// Runs the real `tonghop` binary, as a clerk or a script would.
enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `tonghop` that `swift build` put beside this test program (the same build folder,
    /// so the same configuration and triple), never a fixed `.build/debug` path that another
    /// build may have left stale. Said once on standard error, with its date.
    static let url: URL = {
        let fm = FileManager.default
        var folder = URL(fileURLWithPath: testProgram).deletingLastPathComponent()
        // macOS: …/debug/tonghopPackageTests.xctest/Contents/MacOS/tonghopPackageTests.
        while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
        let binary = folder.appendingPathComponent("tonghop")
        if fm.isExecutableFile(atPath: binary.path) {
            let date = (try? fm.attributesOfItem(atPath: binary.path)[.modificationDate] as? Date).map { "\($0)" } ?? "?"
            FileHandle.standardError.write(Data("end-to-end tests run \(binary.path) (built \(date))\n".utf8))
        } else {
            FileHandle.standardError.write(Data("end-to-end tests: no tonghop beside the test program in \(folder.path); build it with swift build --build-tests\n".utf8))
        }
        return binary
    }()

    /// This test program's own path.
    static var testProgram: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no tonghop program at \(Binary.url.path) (beside the test program): run swift build --build-tests" }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        try run(arguments, environment: [:])
    }

    /// Runs the binary; standard error is read on another thread, so that a child writing
    /// much to both streams never waits on a full pipe while we wait on the other.
    static func run(_ arguments: [String], environment: [String: String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw Missing() }
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        p.currentDirectoryURL = root
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: errors.data, as: UTF8.self))
    }

    static func fixture(_ name: String) -> String { "Tests/SheetsTests/Fixtures/" + name }
}

@Suite struct InspectCommandTests {
    @Test func listsSheetsWithStateAndSize() throws {
        let r = try Binary.run(["inspect", Binary.fixture("hidden_sheets.xlsx")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Định dạng: XLSX (Office Open XML), hệ ngày 1900"))
        #expect(r.stdout.contains("Số trang: 3"))
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("1 Hiện hiện 1 × 1 0 trang tính"))
        #expect(lines.contains("2 Ẩn ẩn 1 × 1 0 trang tính"))
        #expect(lines.contains("3 Ẩn sâu ẩn sâu 2 × 2 0 trang tính"))
    }

    @Test func csvOfASheetByNameRFC4180() throws {
        let r = try Binary.run(["inspect", "--csv", "--sheet", "Báo cáo", Binary.fixture("shared_strings.xlsx")])
        #expect(r.status == 0)
        #expect(r.stdout == """
            BÁO CÁO THÁNG 10/2019,,,\r
            Xã,Số hộ nghèo,Tỷ lệ,Ngày báo cáo\r
            Khánh Bình,120,0.3,2019-10-14\r
            Khánh Đông,1234.5,0.75,2019-10-15T08:30:00\r
            TRUE,FALSE,8595602512225,\r

            """)
    }

    @Test func csvPadsEmptyRowsFromRowOne() throws {
        let r = try Binary.run(["inspect", "--csv", "--sheet", "3", Binary.fixture("hidden_sheets.xlsx")])
        #expect(r.stdout == ",\r\n,7\r\n")
    }

    /// Without --sheet, the first visible sheet: a very hidden first sheet is a macro's data.
    @Test func csvTakesTheFirstVisibleSheet() throws {
        let r = try Binary.run(["inspect", "--csv", Binary.fixture("quirk_first_sheet_very_hidden.xlsx")])
        #expect(r.status == 0)
        #expect(r.stdout == "3\r\n")
    }

    /// Every line has the sheet's width, rows absent from the file included, in one pass.
    @Test func csvLinesAllHaveTheSheetWidth() throws {
        let r = try Binary.run(["inspect", "--csv", Binary.fixture("quirk_long_decimals.xlsx")])
        #expect(r.status == 0)
        let lines = r.stdout.components(separatedBy: "\r\n").dropLast()
        #expect(lines.count == 12)
        #expect(lines.first == "0.26303323046962774324,0.263033230469628")
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 2 })
    }

    /// A damaged workbook is refused with the missing part named, not listed as empty sheets.
    @Test func workbookWithoutRelationshipsIsRefused() throws {
        let r = try Binary.run(["inspect", "--lang", "en", Binary.fixture("quirk_no_workbook_rels.xlsx")])
        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("xl/_rels/workbook.xml.rels"))
    }

    @Test func sheetNamedWithAmpersand() throws {
        let r = try Binary.run(["inspect", "--csv", "--sheet", "5&4", Binary.fixture("quirk_ampersand_names.xlsx")])
        #expect(r.status == 0)
        #expect(r.stdout == "2020-01-01\r\n")
    }

    @Test func csvInputIsDescribed() throws {
        let r = try Binary.run(["inspect", Binary.fixture("windows1258_semicolon.csv")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("mã chữ Windows-1258, dấu phân cách ';'"))
    }

    @Test func unsupportedFileExitsTwoWithAFix() throws {
        let r = try Binary.run(["inspect", Binary.fixture("old_binary.xls")])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("old_binary.xls"))
        #expect(r.stderr.contains("Excel 97–2003 (.xls)"))
        #expect(r.stderr.contains("Lưu như"))
    }

    @Test func englishMessagesOnRequest() throws {
        let r = try Binary.run(["inspect", "--lang", "en", Binary.fixture("opendocument.ods")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("OpenDocument spreadsheet (.ods)"))
    }

    @Test func missingFileAndUnknownSheet() throws {
        let missing = try Binary.run(["inspect", "khong-co.xlsx"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("khong-co.xlsx"))
        let sheet = try Binary.run(["inspect", "--csv", "--sheet", "Không có", Binary.fixture("hidden_sheets.xlsx")])
        #expect(sheet.status == 2)
        #expect(sheet.stderr.contains("Các trang của tệp: 1. Hiện, 2. Ẩn, 3. Ẩn sâu"))
    }

    @Test func usageErrorExits64() throws {
        #expect(try Binary.run(["inspect"]).status == 64)
    }
}

@Suite struct PlanAndSampleCommandTests {
    @Test func planSummarisesTheYear() throws {
        let r = try Binary.run(["plan"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("573  Huyện Khánh Vĩnh, miền núi, 14 xã"))
        #expect(r.stdout.contains("2019-Q3 → 16/10/2019"))
        #expect(r.stdout.contains("Chỉ tiêu (13):"))
    }

    @Test func planWithAMistakeExitsTwoNamingFileLineAndKey() throws {
        let r = try Binary.run(["plan", "--plan", "Tests/khong-co-thu-muc"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("không có thư mục kế hoạch Tests/khong-co-thu-muc"))
    }

    @Test func sampleWritesTheInbox() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-sample-\(UUID().uuidString)").path
        let r = try Binary.run(["sample", "--scale", "province", "--files", "20", "--out", out])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("20 tệp cho 8 đơn vị"))
        #expect(FileManager.default.fileExists(atPath: out + "/inbox/so-cong-van-den.csv"))
    }

    @Test func everySampleFileIsReadOrClearlyRefused() throws {
        let inbox = Binary.root.appendingPathComponent("samples/inbox").path
        let files = FileManager.default.enumerator(atPath: inbox)!.compactMap { $0 as? String }
            .filter { !$0.hasSuffix("so-cong-van-den.csv") && !$0.hasSuffix("/") }
            .filter { var d: ObjCBool = false; _ = FileManager.default.fileExists(atPath: inbox + "/" + $0, isDirectory: &d); return !d.boolValue }
        #expect(files.count == 148)
        for f in files {
            let r = try Binary.run(["inspect", "samples/inbox/" + f])
            if f.hasSuffix(".xls") {
                #expect(r.status == 2 && r.stderr.contains("Excel 97–2003"), "\(f)")
            } else {
                #expect(r.status == 0, "\(f): \(r.stderr)")
            }
        }
    }
}

@Suite struct CheckCommandTests {
    @Test func rejectedFileOneLinePerFindingAndExitOne() throws {
        let r = try Binary.run(["check", "samples/inbox/Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "== samples/inbox/Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx: Thị xã Ninh Hòa (572) · Báo cáo số liệu các nguồn vốn quý · Quý III/2019 — BỊ TỪ CHỐI (2 lỗi, 0 cảnh báo)")
        #expect(lines[1].hasPrefix("samples/inbox/Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx:Báo cáo!F12: lỗi [rule-violation] "))
        #expect(lines[2].hasPrefix("samples/inbox/Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx:Báo cáo!J15: lỗi [type-error] Cột \"Nợ quá hạn\" cần một số, nhưng ô ghi \"không có\"."))
        #expect(lines.last == "1 tệp: 0 được chấp nhận, 1 cần sửa.")
    }

    @Test func acceptedFilesExitZero() throws {
        let r = try Binary.run(["check", "samples/inbox/Khanh Vinh/BC von quy 1 - Khanh Vinh.xlsx",
                                "samples/inbox/Khanh Son/Danh gia tiet kiem 2018 - Khanh Son.csv"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Huyện Khánh Sơn (575) · Báo cáo đánh giá hoạt động tiết kiệm năm 2018 · Năm 2018 — CHẤP NHẬN (0 lỗi, 0 cảnh báo)"))
    }

    @Test func jsonForScripts() throws {
        let r = try Binary.run(["check", "--format", "json", "--lang", "en", "samples/inbox/Ninh Hoa/BC von quy 3 - Ninh Hoa.xlsx", "samples/inbox/Book1.xlsx"])
        #expect(r.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let files = try #require(json?["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["district"] as? String == "572")
        #expect(files[0]["form"] as? String == "capital-quarterly")
        #expect(files[0]["period"] as? String == "2019-Q3")
        #expect(files[0]["status"] as? String == "rejected")
        let findings = try #require(files[0]["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cell"] as? String } == ["F12", "J15"])
        #expect((findings[1]["message"] as? String)?.hasPrefix("Column \"Nợ quá hạn\" needs a number") == true)
        // The place as numbers (column J is 10) and the fix on its own, for scripts; the
        // message still ends with the fix, as the text output prints it.
        #expect(findings[1]["row"] as? Int == 15)
        #expect(findings[1]["column"] as? Int == 10)
        #expect(findings[1]["hint"] as? String == "To fix: enter the figure in digits (0 only if it truly is none; put notes elsewhere).")
        #expect((findings[1]["message"] as? String)?.hasSuffix("To fix: enter the figure in digits (0 only if it truly is none; put notes elsewhere).") == true)
        let unidentified = try #require((files[1]["findings"] as? [[String: Any]])?.first)
        #expect((unidentified["hint"] as? String)?.hasPrefix("To fix: use the province's template") == true)
        #expect(files[1]["status"] as? String == "unidentified")
    }

    @Test func aBadPlanIsAnOperationalError() throws {
        let r = try Binary.run(["check", "--plan", "khong-co", "samples/inbox/Book1.xlsx"])
        #expect(r.status == 2)
    }
}
