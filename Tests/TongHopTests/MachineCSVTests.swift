import Foundation
import Sheets
import Testing
@testable import TongHop

/// The CSVs are the machine format: RFC 4180, dot decimals, English column keys as the header
/// row (Vietnamese on request), periods and codes as stable keys beside their labels, and
/// chi-tieu.csv rounded as the report's table shows each value.
@Suite struct MachineCSVTests {
    /// The sample inbox's nightly run of 5 December 2019, once for the suite.
    static let report: String = {
        let work = temporaryFolder("csv")
        _ = try! PeriodStateTests.run(Repo.root.appendingPathComponent("samples/inbox").path, work, asOf: "2019-12-05")
        return work + "/reports/2019-11"
    }()

    /// A strict RFC 4180 reading: every record ends in CRLF, quotes double inside quoted fields.
    static func records(_ data: Data) throws -> [[String]] {
        var text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("\u{FEFF}"), "UTF-8 with a BOM, so that Excel reads the accents")
        text.removeFirst()
        var out: [[String]] = [], record: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r" {
                try #require(chars.popFirst() == "\n", "a record ends in CRLF")
                record.append(field); field = ""
                out.append(record); record = []
            } else {
                #expect(c != "\n", "a bare line feed outside quotes")
                field.unicodeScalars.append(c)
            }
        }
        #expect(field.isEmpty && record.isEmpty, "the last record ends in CRLF")
        return out
    }

    static func table(_ name: String, folder: String = report) throws -> (header: [String], rows: [[String: String]]) {
        let all = try records(try Data(contentsOf: URL(fileURLWithPath: folder + "/csv/" + name)))
        let header = try #require(all.first)
        for r in all.dropFirst() { #expect(r.count == header.count, "\(name): a row of \(r.count) fields under \(header.count) columns") }
        return (header, all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    @Test func everyCSVHasEnglishKeysAndPlainNumbers() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.report + "/csv").filter { $0.hasSuffix(".csv") }
        #expect(names.count >= 9)
        for name in names {
            let (header, _) = try Self.table(name)
            for key in header {
                #expect(key.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil, "\(name): column \"\(key)\" is not a stable key")
            }
        }
        let form = try Self.table("tong-hop-capital-quarterly-2019-Q3.csv")
        #expect(Array(form.header.prefix(2)) == ["unit_code", "unit_name"])
        let province = try #require(form.rows.first { $0["unit_code"] == "province" })
        #expect(province["unit_name"] == "Toàn tỉnh")
        for key in form.header.dropFirst(2) {
            let v = try #require(province[key])
            #expect(v.isEmpty || Double(v) != nil, "\(key): \"\(v)\" is not a number with a dot")
            #expect(!v.contains(","))
        }
        let counts = try #require(form.rows.first { $0["unit_code"] == "units_with_data" })
        for key in form.header.dropFirst(2) { #expect(counts[key].map { $0.isEmpty || Int($0) != nil } == true) }
    }

    @Test func statusesCarryKeysAndLabels() throws {
        let (_, rows) = try Self.table("trang-thai-nop.csv")
        let dk = try #require(rows.first { $0["unit_code"] == "574" && $0["form"] == "monthly" && $0["period"] == "2019-11" })
        #expect(dk["unit_name"] == "Huyện Diên Khánh")
        #expect(dk["period_label"] == "Tháng 11/2019")
        #expect(dk["status"] == "missing")
        #expect(dk["status_label"] == "Thiếu")
        #expect(dk["due"]?.range(of: #"^2019-\d\d-\d\d$"#, options: .regularExpression) != nil)
        let q = try #require(rows.first { $0["period"] == "2019-Q1" })
        #expect(q["period_label"] == "Quý I/2019")
    }

    /// chi-tieu.csv: each value with the decimals the report's table gives it (79.9, not
    /// 79.87804878), the threshold a number beside its operator, the unit of measure.
    @Test func targetsAreRoundedAsTheTableShowsThem() throws {
        let (header, rows) = try Self.table("chi-tieu.csv")
        for key in ["period", "period_label", "target", "target_name", "unit_code", "unit_name", "value", "measure", "operator", "threshold"] {
            #expect(header.contains(key))
        }
        let html = try String(contentsOfFile: Self.report + "/index.html", encoding: .utf8)
        let targets = try #require(html.components(separatedBy: "<table class=\"targets\">").dropFirst().first).components(separatedBy: "</table>")[0]
        var checked = 0
        for r in rows {
            #expect(r["period"] == "2019-11")
            #expect(r["period_label"] == "Tháng 11/2019")
            #expect(r["unit_name"]?.isEmpty == false, "\(r["target"] ?? "") \(r["unit_code"] ?? ""): no unit name")
            #expect(["ge", "le", "eq", "gt", "lt"].contains(r["operator"] ?? ""))
            if let t = r["threshold"], !t.isEmpty { #expect(Double(t) != nil, "threshold \"\(t)\" is not a number") }
            guard let text = r["value"], !text.isEmpty, r["unions_total"]?.isEmpty != false else { continue }
            let value = try #require(Double(text))
            let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
            #expect(decimals <= 3, "\(r["target"] ?? "") \(r["unit_code"] ?? ""): \(text) has \(decimals) decimals")
            // The same number, in Vietnamese style, is in the report's targets table.
            let shown = VietnameseFormat.number(value, maxFractionDigits: decimals)
            #expect(targets.contains("</span> \(shown)</td>"), "\(r["target"] ?? "") \(r["unit_code"] ?? ""): \(shown) is not in the table")
            checked += 1
        }
        #expect(checked > 40)
        let ratio = try #require(rows.first { $0["target"] == "poor-women-escaped" && $0["unit_code"] == "province" })
        #expect(ratio["measure"] == "%")
        #expect(ratio["operator"] == "ge")
        #expect(ratio["threshold"] == "75")
        #expect(ratio["unit_name"] == "Toàn tỉnh")
        #expect(ratio["target_name"] == "Hộ phụ nữ nghèo được Hội giúp thoát nghèo")
    }

    /// `--csv-header vi` (or `csv-header: vi` in tonghop.yml): the same rows under Vietnamese headers.
    @Test func aVietnameseHeaderRowOnRequest() throws {
        var plan = PeriodStateTests.plan
        plan.csvHeader = .vi
        var options = RunOptions(inbox: Repo.root.appendingPathComponent("samples/inbox").path, out: temporaryFolder("csv-vi") + "/reports",
                                 database: temporaryFolder("csv-vi-db") + "/t.sqlite", asOf: Day("2019-12-05")!)
        options.pdf = false
        _ = try RunJob.run(plan: plan, options: options)
        let folder = options.out + "/2019-11"
        let vi = try Self.records(try Data(contentsOf: URL(fileURLWithPath: folder + "/csv/chi-tieu.csv")))
        let en = try Self.records(try Data(contentsOf: URL(fileURLWithPath: Self.report + "/csv/chi-tieu.csv")))
        #expect(vi.first?.contains("Tên chỉ tiêu") == true || vi.first?.contains("Chỉ tiêu") == true)
        #expect(vi.first?.contains("Đơn vị tính") == true)
        #expect(vi.first?.contains("target") == false)
        #expect(Array(vi.dropFirst()) == Array(en.dropFirst()), "only the header row differs")
        let status = try Self.records(try Data(contentsOf: URL(fileURLWithPath: folder + "/csv/trang-thai-nop.csv")))
        #expect(status.first?.first == "Mã đơn vị")
    }

    @Test func theHeaderChoiceIsReadFromTonghopYml() throws {
        let folder = temporaryFolder("settings")
        try "csv-header: vi\n".write(toFile: folder + "/tonghop.yml", atomically: true, encoding: .utf8)
        #expect(try WorkingSettings.load(folder: folder).csvHeader == .vi)
        try "inbox: hop-thu\ncsv-header: tieng-viet\n".write(toFile: folder + "/tonghop.yml", atomically: true, encoding: .utf8)
        do {
            _ = try WorkingSettings.load(folder: folder)
            Issue.record("an unknown header choice was accepted")
        } catch {
            #expect(error.line == 2)
            #expect(error.message(.vi).contains("tieng-viet"))
            #expect(error.message(.vi).contains("vi (tiêu đề tiếng Việt)"))
        }
    }
}
