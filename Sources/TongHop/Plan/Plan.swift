// Plan: everything year-specific, loaded from a plan folder (plan.yml + forms/*.yml) that the
// secretariat copies and edits each year. Nothing here is about one year in particular.
import Foundation

public enum Terrain: String, Sendable {
    case lowland, mountain
}

/// A district union that reports (Hội LHPN huyện, thị xã, thành phố).
public struct ReportingUnit: Sendable, Equatable {
    public var code: String
    public var name: String
    /// huyện, thị xã, thành phố.
    public var kind: String
    public var terrain: Terrain
    public var communes: [String]
    public var aliases: [String]
    /// False for a unit that exists but does not report (Trường Sa has no district union).
    public var active: Bool
}

extension ReportingUnit {
    /// The unit's name without its kind: `Khánh Vĩnh`.
    public var shortName: String {
        for prefix in ["Thành phố ", "Thị xã ", "Huyện ", "Quận "] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// The union's own name as it signs: `Hội LHPN huyện Khánh Vĩnh`.
    public var unionName: String { "Hội LHPN \(kind) \(shortName)" }

    /// A commune's name as a match key: folded, without "xã", "phường", "thị trấn". The plan
    /// owns it because the plan's commune list is what a row's name is matched against.
    public static func communeKey(_ s: String) -> String {
        var k = Folding.key(s)
        for prefix in ["xa ", "phuong ", "thi tran ", "tt "] where k.hasPrefix(prefix) {
            k = String(k.dropFirst(prefix.count))
        }
        return k
    }
}

public enum FieldType: String, Sendable {
    case integer, decimal, percent, date, text, enumeration = "enum"
}

/// Whether a value is a balance at a date (never summed across periods: the latest counts)
/// or an amount over the period (summed within the year).
public enum Measure: String, Sendable {
    case stock, flow, none
}

public struct FieldDefinition: Sendable, Equatable {
    public var key: String
    public var header: String
    public var aliases: [String]
    public var type: FieldType
    /// `triệu đồng`, `hộ`, `%`… shown in headers and used for the unit check.
    public var unit: String?
    public var required: Bool
    public var min: Double?
    public var max: Double?
    public var measure: Measure
    /// Allowed values of an enum field.
    public var values: [String]
    /// Explanation for the template's header comment and for messages.
    public var help: String?
    /// The field names the row (the commune); at most one per form.
    public var isRowKey: Bool
    /// Which way is good news: a rising overdue debt is not. Colours of changes follow it.
    public var better: Better = .none
    /// What a blank cell of this field means (`blank:` in the form file).
    public var blank: BlankMeaning = .noData
}

extension FieldDefinition {
    /// The header as the province's template prints it: `Dư nợ (triệu đồng)`.
    public var headerText: String {
        if let u = unit, u == "triệu đồng" || u == "%" { return "\(header) (\(u))" }
        return header
    }
}

/// The good direction of a numeric field (`better:` in the form file).
public enum Better: String, Sendable {
    case higher, lower, none
}

/// What a blank cell means. By default it is *no data*: never 0, never summed.
public enum BlankMeaning: String, Sendable, Equatable {
    /// No data: an error in a required field, a `missing-value` warning in an optional one.
    case noData = "no-data"
    /// The Union's form really means 0 by a blank (a number field only).
    case zero
    /// Nothing to note (a text field only): no finding.
    case empty
}

public enum Severity: String, Sendable, Comparable {
    case error, warning, info

    private var rank: Int { self == .error ? 2 : self == .warning ? 1 : 0 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A check between fields, declared in a form file.
public struct RuleDefinition: Sendable, Equatable {
    public var id: String
    public var text: String
    public var expression: Expression
    public var severity: Severity
    /// What the rule means, for the finding's message.
    public var vi: String
    public var en: String?
    /// `row` rules hold on every data row; `total` rules on the district's totals.
    public var scope: Scope

    public enum Scope: String, Sendable {
        case row, total
    }
}

public enum RowLayout: String, Sendable {
    /// One row per commune, then a total row.
    case perCommune = "per-commune"
    /// One row for the district.
    case single
}

/// One kind of report (biểu mẫu).
public struct FormDefinition: Sendable {
    public var id: String
    public var title: String
    public var periodKind: PeriodKind
    /// Periods reported, when not every period of the plan's year (e.g. `2018` for an
    /// evaluation of the year before).
    public var periods: [Period]?
    public var rows: RowLayout
    /// Words in titles and file names that identify the form (matched without diacritics).
    public var titleWords: [String]
    public var fileNameWords: [String]
    public var fields: [FieldDefinition]
    public var rules: [RuleDefinition]
    /// The file it was loaded from, for messages.
    public var file: String
    /// Every header and alias, folded, to its field key: header matching is a lookup.
    public var headerIndex: [String: String] = [:]
    /// Paper and smallest scale for the printed template (`print:`).
    public var print = FormPrint()

    public init(id: String, title: String, periodKind: PeriodKind, periods: [Period]?, rows: RowLayout,
                titleWords: [String], fileNameWords: [String], fields: [FieldDefinition], rules: [RuleDefinition], file: String) {
        self.id = id
        self.title = title
        self.periodKind = periodKind
        self.periods = periods
        self.rows = rows
        self.titleWords = titleWords
        self.fileNameWords = fileNameWords
        self.fields = fields
        self.rules = rules
        self.file = file
        for f in fields {
            for name in [f.header] + f.aliases {
                let k = Folding.key(name)
                if headerIndex[k] == nil { headerIndex[k] = f.key }
            }
        }
    }

    public func field(_ key: String) -> FieldDefinition? { fields.first { $0.key == key } }

    /// The name a target expression uses: the id with `-` written `_` (`capital_annual.overdue`).
    public var expressionName: String { id.replacingOccurrences(of: "-", with: "_") }
}

/// When a form is due.
public enum DueRule: Sendable, Equatable {
    /// A fixed day, for one-off reports.
    case date(Day)
    /// N days (calendar or working) after the period's last day.
    case afterPeriodEnd(days: Int, workingDays: Bool)
    /// The N-th day of the month after the period ends.
    case dayOfFollowingMonth(Int)
}

/// A later due date granted to one unit for one report.
public struct DeadlineException: Sendable, Equatable {
    public var unit: String
    public var form: String
    public var period: Period
    public var due: Day
    public var reason: String?
    /// Excused from this report altogether.
    public var exempt: Bool = false
}

public struct Threshold: Sendable {
    public enum Comparison: String, Sendable {
        case atLeast = ">=", atMost = "<=", equal = "==", greater = ">", less = "<"
    }

    public var comparison: Comparison
    /// The bound; per terrain where the plan says so. An expression may read baselines.
    public var bound: Expression
    public var byTerrain: [Terrain: Expression]
    public var text: String

    public func bound(for terrain: Terrain?) -> Expression {
        terrain.flatMap { byTerrain[$0] } ?? bound
    }
}

/// A chỉ tiêu of the plan, evaluated per unit and for the province.
public struct TargetDefinition: Sendable {
    public var id: String
    public var name: String
    public var value: Expression
    public var valueText: String
    public var unit: String?
    public var threshold: Threshold
    /// The period whose data it reads (usually the plan's year).
    public var period: Period
    /// `per: commune`: the target holds for every grassroots union (commune row), and a
    /// district meets it only when all its unions do.
    public var perCommune: Bool = false
    /// Expected level at the end of given months (`milestones:` in plan.yml), for progress
    /// before the year ends; without them the expected level grows linearly over the year.
    public var milestones: [(month: Int, value: Double)] = []
}

public struct Plan: Sendable {
    public var folder: String
    public var organisation: String
    /// The provincial union's short name for headings (HỘI LHPN TỈNH KHÁNH HÒA).
    public var heading: String
    public var province: String
    public var year: Int
    public var units: [ReportingUnit]
    public var cutoff: CutoffRule
    public var holidays: Set<Day>
    public var forms: [FormDefinition]
    public var deadlines: [String: DueRule]
    public var exceptions: [DeadlineException]
    /// Baselines at 31/12 of the year before, per unit code then key.
    public var baselines: [String: [String: Double]]
    public var targets: [TargetDefinition]
    /// Heading bodies, place, signers, document numbers, recipients (`official:`).
    public var official = OfficialInfo()
    /// The CSVs' header row: English column keys, or Vietnamese (`--csv-header`, tonghop.yml).
    public var csvHeader = CSVExport.Header.en

    public var activeUnits: [ReportingUnit] { units.filter(\.active) }

    /// Every unit's names (full, without its kind, aliases), folded, for finding units in text.
    public struct UnitNameIndex: Sendable {
        public var units: [String: ReportingUnit] = [:]
        public var longestName = 1
        /// Every run of leading words of a name (`khanh`, `khanh vinh`): a phrase not among
        /// them begins no name, nor does any longer phrase starting with it.
        public var prefixes: Set<String> = []
    }

    public var unitNameIndex: UnitNameIndex {
        if let cached = _unitNameIndex { return cached }
        var index = UnitNameIndex()
        for u in units {
            for name in [u.name, u.shortName] + u.aliases {
                let k = Folding.key(name)
                guard !k.isEmpty else { continue }
                if index.units[k] == nil { index.units[k] = u }
                let words = k.split(separator: " ")
                index.longestName = max(index.longestName, words.count)
                for n in 1...words.count { index.prefixes.insert(words.prefix(n).joined(separator: " ")) }
            }
        }
        return index
    }

    /// Built once by the loader; computed on demand for plans made in code.
    var _unitNameIndex: UnitNameIndex?

    public func form(_ id: String) -> FormDefinition? { forms.first { $0.id == id } }

    public func unit(_ code: String) -> ReportingUnit? { units.first { $0.code == code } }

    /// The periods a form is expected for.
    public func periods(of form: FormDefinition) -> [Period] {
        form.periods ?? Period.all(form.periodKind, in: year)
    }

    /// The due date of one report, exceptions first.
    public func due(form: String, period: Period, unit: String) -> Day? {
        if let e = exceptions.first(where: { $0.unit == unit && $0.form == form && $0.period == period && !$0.exempt }) {
            return e.due
        }
        guard let rule = deadlines[form] else { return nil }
        let end = cutoff.end(of: period)
        switch rule {
        case .date(let d):
            return d
        case .afterPeriodEnd(let days, let working):
            guard working else { return end.adding(days: days) }
            var d = end
            var left = days
            while left > 0 {
                d = d.adding(days: 1)
                if d.weekday <= 5 && !holidays.contains(d) { left -= 1 }
            }
            return d
        case .dayOfFollowingMonth(let n):
            let m = end.month == 12 ? 1 : end.month + 1
            let y = end.month == 12 ? end.year + 1 : end.year
            return Day(year: y, month: m, day: Swift.min(n, Day.daysIn(month: m, year: y)))
        }
    }
}
