import Foundation
import Sheets
import Testing
@testable import TongHop

@Suite struct Plan2019Tests {
    let plan: Plan

    init() throws {
        plan = try PlanLoader.load(folder: Repo.plan2019)
    }

    @Test func theEightDistrictUnionsReportAndTruongSaDoesNot() {
        #expect(plan.activeUnits.map(\.code) == ["568", "569", "570", "571", "572", "573", "574", "575"])
        #expect(plan.unit("576")?.active == false)
        #expect(plan.unit("573")?.terrain == .mountain)
        #expect(plan.unit("575")?.terrain == .mountain)
        #expect(plan.unit("568")?.communes.count == 27)
        #expect(plan.unit("575")?.communes.count == 8)
    }

    @Test func everyFormOfTheSpecIsPresent() {
        #expect(Set(plan.forms.map(\.id)) == ["monthly", "poverty-plan", "savings-eval", "revolving-fund",
                                              "capital-quarterly", "capital-annual"])
        for form in plan.forms {
            #expect(plan.deadlines[form.id] != nil, "\(form.id) has no due rule")
            #expect(!form.titleWords.isEmpty && !form.fileNameWords.isEmpty, "\(form.id) cannot be identified")
        }
        #expect(plan.form("capital-quarterly")?.field("groups_weak")?.measure == .stock)
        #expect(plan.form("monthly")?.field("escaped_poor_women")?.measure == .flow)
    }

    @Test func everyTargetOfTheSpecIsPresent() {
        #expect(plan.targets.count == 13)
        let savings = plan.targets.first { $0.id == "savings-participation" }
        #expect(savings?.threshold.bound(for: .mountain) == .number(80))
        #expect(savings?.threshold.bound(for: .lowland) == .number(95))
        #expect(plan.targets.first { $0.id == "overdue-ratio" }?.threshold.comparison == .atMost)
    }

    @Test func dueDatesFollowTheCalendar() {
        // Decree 09: October's period ends on 14/10/2019 (a Monday); 2 working days later.
        #expect(plan.due(form: "monthly", period: Period("2019-10")!, unit: "568") == Day("2019-10-16"))
        // 14/09 is a Saturday: Monday 16 and Tuesday 17 are the two working days.
        #expect(plan.due(form: "monthly", period: Period("2019-09")!, unit: "568") == Day("2019-09-17"))
        // 14/04 is a Sunday; 15/04 is Giỗ Tổ (a holiday): due 17/04.
        #expect(plan.due(form: "monthly", period: Period("2019-04")!, unit: "568") == Day("2019-04-17"))
        #expect(plan.due(form: "capital-quarterly", period: Period("2019-Q3")!, unit: "573") == Day("2019-10-16"))
        #expect(plan.due(form: "capital-annual", period: Period("2019")!, unit: "573") == Day("2019-11-30"))
        // The exception granted to Khánh Sơn.
        #expect(plan.due(form: "capital-quarterly", period: Period("2019-Q3")!, unit: "575") == Day("2019-10-25"))
    }

    @Test func expectedPeriods() {
        #expect(plan.periods(of: plan.form("monthly")!).count == 12)
        #expect(plan.periods(of: plan.form("savings-eval")!) == [Period("2018")!])
        #expect(plan.periods(of: plan.form("revolving-fund")!) == [Period("2019-H1")!, Period("2019-H2")!])
    }
}

@Suite struct PlanMistakeTests {
    @Test func unknownFieldInATargetPointsAtFileLineAndColumn() throws {
        let folder = try editedPlan("plan.yml", replacing: "capital_annual.groups_weak", with: "capital_annual.group_weak")
        let p = problems(folder)
        #expect(p.count == 1)
        let found = try #require(p.first)
        #expect(found.file == "plan.yml")
        #expect(found.line == (try line(of: "capital_annual.group_weak", in: "plan.yml", folder: folder)))
        #expect(found.key == "targets[10].value")
        #expect(found.column == 12)  // "    value: " is 11 columns
        #expect(found.vi.contains("không có trường \"capital_annual.group_weak\""))
        #expect(found.vi.contains("có phải là \"capital_annual.groups_weak\"?"))
    }

    @Test func ruleReferringToAMissingField() throws {
        let folder = try editedPlan("forms/revolving-fund.yml", replacing: "check: closing == opening + lent - repaid",
                                    with: "check: closing == opening + lent - repayed")
        let found = try #require(problems(folder).first)
        #expect(found.file == "forms/revolving-fund.yml")
        #expect(found.key == "rules[1].check")
        #expect(found.vi.contains("\"repayed\"") && found.vi.contains("có phải là \"repaid\"?"))
    }

    @Test func badDate() throws {
        let folder = try editedPlan("plan.yml", replacing: "capital-annual: {date: 2019-11-30}", with: "capital-annual: {date: 2019-11-31}")
        let found = try #require(problems(folder).first)
        #expect(found.key == "deadlines.capital-annual.date")
        #expect(found.line == (try line(of: "2019-11-31", in: "plan.yml", folder: folder)))
        #expect(found.vi.contains("không phải là ngày hợp lệ"))
    }

    @Test func thresholdThatIsNotANumber() throws {
        let folder = try editedPlan("plan.yml", replacing: "threshold: \">= 80\"", with: "threshold: tám mươi")
        let found = try #require(problems(folder).first)
        #expect(found.key == "targets[2].threshold")
        #expect(found.vi.contains("phải bắt đầu bằng >=, <=, ==, > hoặc <"))
    }

    @Test func expressionSyntaxErrorPointsAtTheColumn() throws {
        let folder = try editedPlan("plan.yml", replacing: "value: 100 * capital_annual.overdue / capital_annual.outstanding",
                                    with: "value: 100 * (capital_annual.overdue / capital_annual.outstanding")
        let found = try #require(problems(folder).first)
        #expect(found.key == "targets[8].value")
        #expect(found.vi.contains("thiếu dấu đóng ngoặc"))
        #expect(found.column == 11 + "100 * (capital_annual.overdue / capital_annual.outstanding".count + 1)
    }

    @Test func misspeltKeyGetsADidYouMean() throws {
        let folder = try editedPlan("plan.yml", replacing: "    terrain: mountain\n    communes: [Tô Hạp", with: "    terain: mountain\n    communes: [Tô Hạp")
        let p = problems(folder)
        let found = try #require(p.first { $0.key == "units[8].terain" })
        #expect(found.vi.contains("có phải là \"terrain\"?"))
    }

    @Test func yamlSyntaxErrorHasItsLine() throws {
        let folder = try editedPlan("forms/monthly.yml", replacing: "    type: integer\n    unit: buổi", with: "    type: integer\n   unit: buổi")
        let found = try #require(problems(folder).first)
        #expect(found.file == "forms/monthly.yml")
        #expect(found.key == "(cú pháp YAML)")
        #expect(found.line != nil)
    }

    @Test func everyMistakeIsListedNotOnlyTheFirst() throws {
        let folder = try editedPlan("plan.yml", replacing: "threshold: \">= 80\"", with: "threshold: tám mươi")
        let text = try String(contentsOfFile: folder + "/plan.yml", encoding: .utf8)
            .replacingOccurrences(of: "capital-annual: {date: 2019-11-30}", with: "capital-annual: {date: 31/11/2019}")
        try text.write(toFile: folder + "/plan.yml", atomically: true, encoding: .utf8)
        #expect(problems(folder).count == 2)
    }

    @Test func unknownTerrainAndFormInException() throws {
        let folder = try editedPlan("plan.yml", replacing: "    form: capital-quarterly\n    period: 2019-Q3", with: "    form: capital-quartely\n    period: 2019-Q3")
        let found = try #require(problems(folder).first)
        #expect(found.key == "exceptions[1].form")
    }
}

@Suite struct ExpressionTests {
    func eval(_ s: String, _ values: [String: Double] = [:]) throws -> ExpressionValue {
        try Expression.parse(s).evaluate { values[$0] }
    }

    @Test func arithmeticAndPrecedence() throws {
        #expect(try eval("1 + 2 * 3") == .number(7))
        #expect(try eval("(1 + 2) * 3") == .number(9))
        #expect(try eval("-2 * -3") == .number(6))
        #expect(try eval("10 / 4") == .number(2.5))
    }

    @Test func comparisonsToleratesBinaryNoise() throws {
        #expect(try eval("a + b == 0.3", ["a": 0.1, "b": 0.2]) == .bool(true))
        #expect(try eval("closing == opening + lent - repaid", ["closing": 100, "opening": 80, "lent": 30, "repaid": 10]) == .bool(true))
        #expect(try eval("x <= 0.3", ["x": 0.31]) == .bool(false))
        #expect(try eval("a = 1", ["a": 1]) == .bool(true))
    }

    @Test func missingDataIsNeverZero() throws {
        #expect(try eval("a + 1") == .missing)
        #expect(try eval("a / b", ["a": 1, "b": 0]) == .missing)
        #expect(try eval("a > 1 and b > 1", ["a": 0]) == .bool(false))
        #expect(try eval("a > 1 or b > 1", ["a": 2]) == .bool(true))
        #expect(try eval("a > 1 and b > 1", ["a": 2]) == .missing)
    }

    @Test func functions() throws {
        #expect(try eval("abs(a - 5)", ["a": 2]) == .number(3))
        #expect(try eval("min(3, 1, 2) + max(1, 4)") == .number(5))
        #expect(try eval("round(2.345, 2)") == .number(2.35))
        let e = try Expression.parse("sum(x) * 2")
        #expect(e.evaluate({ _ in nil }, sum: { $0 == "x" ? 21 : nil }) == .number(42))
    }

    @Test func errorsPointAtTheColumn() {
        #expect(throws: ExpressionError.self) { try Expression.parse("a + ") }
        do { _ = try Expression.parse("a + $b") } catch { #expect(error.column == 5) }
        do { _ = try Expression.parse("foo(a)") } catch { #expect(error.column == 1); #expect(error.vi.contains("không có hàm")) }
        do { _ = try Expression.parse("sum(a + b)") } catch { #expect(error.vi.contains("sum()")) }
    }
}

@Suite struct CalendarTests {
    @Test func periodCodes() {
        #expect(Period("2019-03")?.description == "2019-03")
        #expect(Period("2019-Q3")?.vietnamese == "Quý III/2019")
        #expect(Period("2019-H1")?.description == "2019-H1")
        #expect(Period("2019")?.kind == .year)
        #expect(Period("2019-13") == nil)
        #expect(Period("2019-Q5") == nil)
    }

    @Test func decree09Cutoff() {
        let rule = CutoffRule.decree09
        #expect(rule.start(of: Period("2019-03")!) == Day("2019-02-15"))
        #expect(rule.end(of: Period("2019-03")!) == Day("2019-03-14"))
        #expect(rule.start(of: Period("2019-Q1")!) == Day("2018-12-15"))
        #expect(rule.end(of: Period("2019-Q3")!) == Day("2019-09-14"))
        #expect(rule.start(of: Period("2019")!) == Day("2018-12-15"))
        #expect(rule.end(of: Period("2019")!) == Day("2019-12-14"))
    }

    @Test func calendarMonths() {
        #expect(CutoffRule.calendarMonth.end(of: Period("2020-02")!) == Day("2020-02-29"))
        #expect(CutoffRule.calendarMonth.start(of: Period("2019-Q4")!) == Day("2019-10-01"))
    }

    @Test func weekdays() {
        #expect(Day("2019-12-05")?.weekday == 4)  // Thursday
        #expect(Day("2019-09-14")?.weekday == 6)  // Saturday
        #expect(Day("30/11/2019") == Day("2019-11-30"))
    }
}

@Suite struct FoldingTests {
    @Test func namesMatchAsPeopleTypeThem() {
        let k = Folding.key("Huyện Khánh Vĩnh")
        #expect(Folding.key("huyen khanh vinh") == k)
        #expect(Folding.key("HUYỆN  KHÁNH VĨNH") == k)
        #expect(Folding.key("Huyện Khánh Vĩnh".decomposedStringWithCanonicalMapping) == k)
        #expect(Folding.key("Đơn vị: Hội LHPN") == "don vi hoi lhpn")
    }

    @Test func didYouMean() {
        #expect(Folding.suggestion(for: "Tổng dư nợ uỷ thác", among: ["Tổng dư nợ ủy thác", "Nợ quá hạn"]) == "Tổng dư nợ ủy thác")
        #expect(Folding.suggestion(for: "Số tổ viên gửi TK", among: ["Nợ quá hạn"]) == nil)
    }
}

/// Regressions found by fuzzing (Fuzz/, `make fuzz`), each with its input.
@Suite struct FuzzRegressionTests {
    @Test func deeplyNestedExpressionIsRefusedNotAStackOverflow() throws {
        let text = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: ExpressionError.self) { try Expression.parse(text) }
        #expect(throws: ExpressionError.self) { try Expression.parse(String(repeating: "-", count: 10_000) + "1") }
        #expect(throws: ExpressionError.self) { try Expression.parse(String(repeating: "not ", count: 10_000) + "1 > 0") }
        // Ordinary nesting still parses.
        #expect(try Expression.parse("((((a + b))))").names.count == 2)
    }

    @Test func aDigitWithACombiningMarkIsNotADigit() {
        // "2" followed by U+0655 is one Character that sorts between "0" and "9".
        #expect(VietnameseNumber.read("2\u{655}\u{5B6}35.535", allowsDecimals: true) == .notANumber)
        #expect(VietnameseNumber.read("1\u{301}.234", allowsDecimals: false) == .notANumber)
    }

    @Test func isoTimeWithAHugeSecondsFieldIsNotADate() {
        #expect(ExcelDateTime(iso: "2021-01-01T10:10:" + String(repeating: "1", count: 60) + "Z") == nil)
        #expect(ExcelDateTime(iso: "2021-01-01T10:10:1e300") == nil)
    }
}
