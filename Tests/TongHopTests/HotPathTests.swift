import Foundation
import Testing
@testable import TongHop

/// The shortcuts the run takes for speed answer exactly what the long way does.
@Suite struct HotPathTests {
    static let plan = try! PlanLoader.load(folder: Repo.plan2019)

    /// A plan changed after its legacy-text scorer was built gets a scorer of its own: a
    /// commune added to a unit is one of the plan's own names for the new plan only.
    @Test func scorerFollowsThePlan() {
        let before = LegacyText.Scorer(plan: Self.plan)
        var changed = Self.plan
        changed.units[0].communes.append("Xã Quỳnh Lâm Mới")
        let after = LegacyText.Scorer(plan: changed)
        let key = LegacyText.Scorer.key("Xã Quỳnh Lâm Mới")
        #expect(!before.phrases.contains(key))
        #expect(after.phrases.contains(key))
        #expect(LegacyText.Scorer(plan: Self.plan).phrases == before.phrases)
        #expect(LegacyText.Scorer(plan: changed).phrases == after.phrases)
        var renamed = Self.plan
        renamed.province = "Tỉnh Quỳnh Lâm"
        #expect(LegacyText.Scorer(plan: renamed).phrases.contains(LegacyText.Scorer.key("Tỉnh Quỳnh Lâm")))
    }

    /// Trimming as Foundation trims, for the texts cells hold: spaces of every kind, line
    /// breaks, text decomposed (NFD), text that is only space.
    @Test(arguments: ["Tổng cộng", "  Tổng cộng ", "\tSố hộ\n", "\u{00A0}Xã Cam Phú\u{00A0}", "So ho\u{2003}",
                      "Ghi chu\u{0085}", "", " ", "\u{3000}", "\r\n", "Tổng số".decomposedStringWithCanonicalMapping,
                      " \u{301}a", "a \u{301}", "(triệu đồng)", "Đ", "x\u{2028}", "\u{FEFF}Đơn vị", "日本 "])
    func trimmedAsFoundationTrims(_ s: String) {
        #expect(Folding.trimmed(s) == s.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(Array(Folding.trimmed(s).unicodeScalars) == Array(s.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars))
    }
}
