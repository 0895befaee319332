import Foundation
import Testing
@testable import TongHop

/// The calendar `tonghop status` prints, judged in the library: what each unit is to follow up.
@Suite struct FollowUpTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    @Test func withNothingReceivedEveryDueReportIsOverdueAndTheNextTwoWeeksAreDueSoon() throws {
        let day = try #require(Day("2019-11-20"))
        let calendar = FollowUp.calendar(plan: Self.plan, submissions: [], files: [], asOf: day)
        #expect(calendar.map(\.unit.code) == Self.plan.units.map(\.code))
        let exempt = calendar.filter(\.exempt)
        #expect(!exempt.isEmpty && exempt.allSatisfy { $0.isEmpty })
        for unit in calendar where !unit.exempt {
            #expect(!unit.overdue.isEmpty && unit.overdue.allSatisfy { $0.kind == .missing && $0.due < day })
            #expect(unit.late.isEmpty && unit.unread.isEmpty)
            #expect(unit.soon.allSatisfy { $0.due >= day && $0.due - day <= FollowUp.soonDays })
            #expect(unit.soon.map(\.due) == unit.soon.map(\.due).sorted())
            #expect(unit.soon.contains { $0.form == "capital-annual" && $0.due == Day("2019-11-30") })
        }
        // Fifteen days ahead is not yet "due soon".
        let earlier = FollowUp.calendar(plan: Self.plan, submissions: [], files: [], asOf: try #require(Day("2019-11-15")))
        #expect(earlier.allSatisfy { !$0.soon.contains { $0.form == "capital-annual" } })
    }
}
