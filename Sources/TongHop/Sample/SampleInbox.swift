// Generated inboxes for benchmarks and scale tests: N submissions written from the forms of
// a plan, mostly valid and partly not, deterministic from a seed.
import Foundation
import Sheets

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same inbox.
public struct SeededRandom {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func double(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * Double(next() >> 11) / Double(1 << 53)
    }

    public mutating func chance(_ p: Double) -> Bool { double(0...1) < p }
}

public struct SampleInboxOptions: Sendable {
    public enum Scale: String, Sendable, CaseIterable {
        /// The plan's own units.
        case province
        /// 63 provinces of about 11 districts each, written with a plan folder of their own.
        case national
    }

    public var scale: Scale = .national
    public var files: Int = 10_000
    public var seed: UInt64 = 2019
    /// Another variant of the same inbox: the same files under the same names, other figures
    /// (to measure a run where some files were sent again).
    public var variant: UInt64 = 0
    /// Shares of files made wrong on purpose.
    public var invalidShare = 0.05
    public var unidentifiedShare = 0.01
    public var duplicateShare = 0.01

    public init() {}
}

public struct SampleInboxSummary: Sendable {
    public var files = 0
    public var valid = 0
    public var invalid = 0
    public var unidentified = 0
    public var duplicates = 0
    public var units = 0
    /// The files meant to be accepted: every rule of the plan holds in them.
    public var validFiles: [String] = []
    public var planFolder: String
    public var inbox: String
}

public enum SampleInbox {
    static let syllables1 = ["An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Mỹ", "Đông", "Tây", "Hưng", "Lộc",
                             "Phước", "Sơn", "Thủy", "Vĩnh", "Xuân", "Hiệp", "Khánh", "Ninh", "Cam", "Diên", "Vạn",
                             "Đại", "Quảng", "Trung", "Thái", "Gia", "Hải", "Kim", "Lạc", "Minh", "Nghĩa", "Quang",
                             "Thanh", "Tiên", "Trường", "Văn", "Yên", "Đức"]
    static let syllables2 = ["Giang", "Lâm", "Hà", "Điền", "Thành", "Lợi", "Phong", "Thịnh", "Nguyên", "Định",
                             "Hạnh", "Hậu", "Thuận", "Lương", "Tiến", "Trạch", "Cường", "Hội", "Kiên", "Mỹ",
                             "Nam", "Bắc", "Phát", "Quý", "Sang", "Tài", "Thắng", "Tín", "Toàn", "Trí", "Uyên",
                             "Vinh", "Xương", "Ân", "Bảo", "Châu", "Dương", "Hồng", "Lĩnh", "Phụng"]

    /// Writes the inbox (and, at national scale, its plan folder) under `out`.
    public static func generate(plan basePlan: Plan, options: SampleInboxOptions, out: String) throws -> SampleInboxSummary {
        let fm = FileManager.default
        let inbox = (out as NSString).appendingPathComponent("inbox")
        try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: options.seed)
        var figures = SeededRandom(seed: options.seed &+ 0x5EED &* (options.variant &+ 1))
        var plan = basePlan
        var planFolder = basePlan.folder
        if options.scale == .national {
            plan.units = nationalUnits(&rng)
            plan._unitNameIndex = nil
            planFolder = (out as NSString).appendingPathComponent("plan")
            try writePlanFolder(plan, base: basePlan.folder, to: planFolder)
        }
        let units = plan.activeUnits
        // Every (unit, form, period) in a steady order, taken round-robin until N files.
        var slots: [(ReportingUnit, FormDefinition, Period)] = []
        let schedule = plan.forms.flatMap { f in plan.periods(of: f).map { (f, $0) } }.sorted { $0.1 < $1.1 }
        for (form, period) in schedule {
            for unit in units { slots.append((unit, form, period)) }
        }
        var summary = SampleInboxSummary(units: units.count, planFolder: planFolder, inbox: inbox)
        var register: [(String, Day)] = []
        var written: [String] = []
        var slot = 0
        while summary.files < options.files && !slots.isEmpty {
            if slot >= slots.count { slot = 0 }
            let (unit, form, period) = slots[slot]
            slot += 1
            let folder = Folding.ascii(unit.shortName)
            let due = plan.due(form: form.id, period: period, unit: unit.code) ?? plan.cutoff.end(of: period)
            var received = receivedDate(due: due, end: plan.cutoff.end(of: period), early: rng.int(0...5))
            if rng.chance(0.04) { received = due.adding(days: rng.int(1...9)) }
            let roll = rng.double(0...1)
            if roll < options.duplicateShare, let original = written.last {
                let name = "\(folder) - ban sao \(summary.files).xlsx"
                try fm.copyItem(atPath: (inbox as NSString).appendingPathComponent(original),
                                toPath: (inbox as NSString).appendingPathComponent(name))
                register.append((name, received))
                summary.duplicates += 1
                summary.files += 1
                continue
            }
            var rows = values(for: form, unit: unit, rng: &figures)
            var titleLines = true
            var relative = "\(unitFolder(unit))/\(fileStem(form, period)) - \(folder).xlsx"
            if roll < options.duplicateShare + options.unidentifiedShare {
                titleLines = false
                relative = "Book1 (\(summary.files)).xlsx"
                summary.unidentified += 1
            } else if roll < options.duplicateShare + options.unidentifiedShare + options.invalidShare {
                spoil(&rows, form: form, rng: &figures)
                summary.invalid += 1
            } else {
                summary.valid += 1
                summary.validFiles.append(relative)
            }
            let draft = FormLayout.draft(plan: plan, form: form, unit: unit, period: period, rows: rows, titleLines: titleLines)
            let path = (inbox as NSString).appendingPathComponent(relative)
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try XLSXWriter.write(draft, to: path)
            register.append((relative, received))
            written.append(relative)
            summary.files += 1
        }
        var csv = "\u{FEFF}Tên tệp;Ngày nhận\r\n"
        for (name, day) in register { csv += "\(name);\(day.vietnamese)\r\n" }
        try csv.write(toFile: (inbox as NSString).appendingPathComponent("so-cong-van-den.csv"), atomically: true, encoding: .utf8)
        return summary
    }

    static func unitFolder(_ unit: ReportingUnit) -> String {
        let province = unit.code.split(separator: "-").first.map(String.init) ?? ""
        let district = Folding.ascii(unit.shortName)
        return province.isEmpty || province == unit.code ? district : "Tinh \(province)/\(district)"
    }

    static func fileStem(_ form: FormDefinition, _ period: Period) -> String {
        let word = form.fileNameWords.first ?? form.id
        return "\(word.prefix(1).uppercased() + word.dropFirst()) \(period)"
    }

    /// ASCII form of a name for file names: `Khánh Vĩnh` → `Khanh Vinh` (`Folding.ascii`).

    static func nationalUnits(_ rng: inout SeededRandom) -> [ReportingUnit] {
        var units: [ReportingUnit] = []
        // Names must differ once folded (Phú Hòa and Phụ Hòa would read alike in a file name).
        var used = Set<String>()
        for p in 1...63 {
            let districts = 9 + rng.int(0...4)
            for d in 1...districts {
                var name: String
                repeat {
                    name = syllables1[rng.int(0...syllables1.count - 1)] + " " + syllables2[rng.int(0...syllables2.count - 1)]
                } while used.contains(Folding.key(name))
                used.insert(Folding.key(name))
                let communes = (1...(10 + rng.int(0...8))).map { c in
                    "\(syllables1[(d + c) % syllables1.count]) \(syllables2[(p + 3 * c) % syllables2.count]) \(c)"
                }
                units.append(ReportingUnit(code: String(format: "%02d-%03d", p, d), name: "Huyện \(name)", kind: "huyện",
                                           terrain: rng.chance(0.25) ? .mountain : .lowland, communes: communes,
                                           aliases: [], active: true))
            }
        }
        return units
    }

    /// The plan folder of a generated national inbox: the base plan's forms, and a plan.yml
    /// listing the generated units (targets and baselines are left out).
    static func writePlanFolder(_ plan: Plan, base: String, to folder: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (folder as NSString).appendingPathComponent("forms"), withIntermediateDirectories: true)
        for f in plan.forms {
            let src = (base as NSString).appendingPathComponent(f.file)
            let dst = (folder as NSString).appendingPathComponent(f.file)
            if fm.fileExists(atPath: dst) { try fm.removeItem(atPath: dst) }
            try fm.copyItem(atPath: src, toPath: dst)
        }
        var y = "# Generated by `tonghop sample --scale national`: \(plan.units.count) units.\n"
        y += "organisation: Trung ương Hội Liên hiệp Phụ nữ Việt Nam\nheading: TRUNG ƯƠNG HỘI LHPN VIỆT NAM\nprovince: Việt Nam\nyear: \(plan.year)\n"
        y += "calendar:\n  cutoff: \(plan.cutoff.rawValue)\n  holidays: [\(plan.holidays.sorted().map(\.description).joined(separator: ", "))]\n"
        y += "units:\n"
        for u in plan.units {
            y += "  - {code: \"\(u.code)\", name: \(u.name), kind: \(u.kind), terrain: \(u.terrain.rawValue), communes: [\(u.communes.joined(separator: ", "))]}\n"
        }
        y += "deadlines:\n"
        for f in plan.forms {
            switch plan.deadlines[f.id] {
            case .date(let d)?: y += "  \(f.id): {date: \(d)}\n"
            case .afterPeriodEnd(let n, let working)?: y += "  \(f.id): {\(working ? "working-" : "")days-after-period: \(n)}\n"
            case .dayOfFollowingMonth(let n)?: y += "  \(f.id): {day-of-following-month: \(n)}\n"
            case nil: break
            }
        }
        try y.write(toFile: (folder as NSString).appendingPathComponent("plan.yml"), atomically: true, encoding: .utf8)
        // The report layout goes with it, as the plan's own `report/` folder.
        if let templates = PlanLocation.reportTemplates(plan: plan.folder) {
            let report = (folder as NSString).appendingPathComponent("report")
            if fm.fileExists(atPath: report) { try fm.removeItem(atPath: report) }
            try fm.copyItem(atPath: templates, toPath: report)
        }
    }

    /// A day within `early` days before the due date, but never before the period has ended
    /// (a report of a period is sent after it), unless the form is due before its period ends.
    static func receivedDate(due: Day, end: Day, early: Int) -> Day {
        let day = due.adding(days: -early)
        return due >= end && day < end ? end : day
    }

    /// Plausible values for every field, then the form's own rules applied to make them agree;
    /// drawn again until every rule (errors and warnings) and every bound holds on the figures
    /// as written.
    static func values(for form: FormDefinition, unit: ReportingUnit, rng: inout SeededRandom) -> [[String: WorkbookDraft.Value]] {
        let names = form.rows == .perCommune ? unit.communes : [""]
        return names.map { commune in
            var numbers = draw(form, rng: &rng)
            for _ in 0..<50 where !holds(form, numbers) { numbers = draw(form, rng: &rng) }
            var row: [String: WorkbookDraft.Value] = [:]
            for f in form.fields {
                if f.isRowKey { row[f.key] = .text(commune); continue }
                if let d = numbers[f.key] { row[f.key] = .number(d) }
                if f.type == .text { row[f.key] = .text("Ghi chú \(rng.int(1...99))") }
            }
            return row
        }
    }

    /// Whether every rule and bound of the form holds on one row's figures.
    static func holds(_ form: FormDefinition, _ numbers: [String: Double]) -> Bool {
        for f in form.fields {
            guard let d = numbers[f.key] else { continue }
            if let m = f.min, d < m { return false }
            if let m = f.max, d > m { return false }
        }
        return form.rules.allSatisfy { rule in
            if case .bool(false) = rule.expression.evaluate({ numbers[$0] }) { return false }
            return true
        }
    }

    /// One draw of a row's figures, repaired by the rules and rounded as they are written.
    static func draw(_ form: FormDefinition, rng: inout SeededRandom) -> [String: Double] {
        var numbers: [String: Double] = [:]
        for f in form.fields {
            switch f.type {
            case .integer:
                numbers[f.key] = Double(rng.int(Int(f.min ?? 0)...Int(min(f.max ?? 60, 60))))
            case .decimal:
                numbers[f.key] = (rng.double((f.min ?? 0)...min(f.max ?? 2000, 2000)) * 10).rounded() / 10
            case .percent:
                numbers[f.key] = (rng.double(50...100) * 10).rounded() / 10
            default: break
            }
        }
        for _ in 0..<4 { for rule in form.rules { repair(&numbers, rule.expression) } }
        for f in form.fields {
            if let d = numbers[f.key] { numbers[f.key] = f.type == .integer ? d.rounded() : (d * 10).rounded() / 10 }
        }
        return numbers
    }

    /// Makes a rule hold by changing one side when that side is a single field:
    /// `a <= b` lowers a, `a == expr` sets a, `expr == b` sets b, `abs(a - expr) <= t` sets a.
    static func repair(_ v: inout [String: Double], _ e: Expression) {
        let get: (String) -> Double? = { v[$0] }
        switch e {
        case .binary(.lessEqual, .name(let a, _), let rhs):
            if let x = v[a], let y = rhs.evaluate(get).number, x > y { v[a] = max(0, y.rounded(.down)) }
        case .binary(.greaterEqual, .name(let a, _), let rhs):
            if let x = v[a], let y = rhs.evaluate(get).number, x < y { v[a] = y.rounded(.up) }
        case .binary(.equal, .name(let a, _), let rhs):
            if let y = rhs.evaluate(get).number { v[a] = max(0, y) }
        case .binary(.equal, let lhs, .name(let b, _)):
            if let y = lhs.evaluate(get).number { v[b] = max(0, y) }
        case .binary(.lessEqual, .call(.abs, let args), _):
            if args.count == 1, case .binary(.subtract, .name(let a, _), let rhs) = args[0],
               let y = rhs.evaluate(get).number {
                v[a] = (y * 10).rounded() / 10
            }
        default:
            break
        }
    }

    /// One mistake a district really makes: text in a number cell, or figures that break a rule.
    static func spoil(_ rows: inout [[String: WorkbookDraft.Value]], form: FormDefinition, rng: inout SeededRandom) {
        guard !rows.isEmpty else { return }
        let r = rng.int(0...rows.count - 1)
        let numeric = form.fields.filter { $0.type == .integer || $0.type == .decimal }
        guard !numeric.isEmpty else { return }
        if rng.chance(0.5) {
            rows[r][numeric[rng.int(0...numeric.count - 1)].key] = .text("không rõ")
        } else if let rule = form.rules.first(where: { $0.severity == .error }),
                  let (name, _) = rule.expression.names.first, case .number(let d)? = rows[r][name] {
            rows[r][name] = .number(d + 7)
        }
    }
}
