import Foundation
import Sheets
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

    static let texts = ["Tổng cộng", "  Tổng cộng ", "H. Khánh Vĩnh", "h khanh vinh", "Số hộ vay (triệu đồng)",
                        "Tổng số".decomposedStringWithCanonicalMapping, "ĐỒNG THÁP – Đợt 2", "x² + ½", "Ⅳ quý", "日本 Tokyo",
                        "İstanbul", "Ωmega", "BC von quy 3 - Khanh Vinh", "", " ", "\t\n", "a\u{301}b", "Ǆ", "ß", "×÷", "1.234,5"]

    /// A folded key written straight as bytes for Latin text is the key the general way gives;
    /// text with letters of other scripts takes the general way.
    @Test(arguments: texts)
    func latinKeyAsTheGeneralWay(_ s: String) {
        if let k = Folding.latinKey(s) { #expect(k == Folding.otherKey(s)) }
        #expect(Folding.key(s) == Folding.otherKey(s))
    }

    /// Blank as Foundation's trimming says.
    @Test(arguments: texts + ["\u{00A0}", "\u{3000}x", "\u{2028}", "\u{FEFF}"])
    func blankAsFoundationTrims(_ s: String) {
        #expect(Folding.isBlank(s) == s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// Phrases framed once per plan score a text as phrases folded each time do.
    @Test func phrasesScoreAsFolded() {
        let hays = ["BC von quy 3 - Khanh Vinh", "Báo cáo kết quả cho vay vốn quỹ tháng 10 năm 2019", "Biểu 01", "", "von"]
        for form in Self.plan.forms {
            for words in [form.titleWords, form.fileNameWords, ["", "quy", "vốn quỹ"]] {
                for h in hays {
                    let hay = " " + Folding.key(h) + " "
                    #expect(Identifier.formScore(hay: hay, phrases: words.map(Identifier.Phrase.init))
                            == Identifier.formScore(hay: hay, folded: words.map(Folding.key)))
                }
            }
        }
    }

    /// Matching every form's header at once finds, for each form, the header `detectHeader`
    /// finds alone: same rows, same columns, same fields.
    @Test func headersMatchedAtOnceAsOneByOne() throws {
        let inbox = Repo.root.appendingPathComponent("samples/inbox")
        let files = FileManager.default.enumerator(atPath: inbox.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".xlsx") }
        #expect(files.count > 10)
        for f in files {
            let data = try Data(contentsOf: inbox.appendingPathComponent(f))
            guard let book = try? data.withUnsafeBytes({ try Spreadsheets.open(bytes: $0, name: f) }) else { continue }
            for info in book.sheets where info.kind == .worksheet {
                guard let grid = try? book.loadSheet(info.number) else { continue }
                let headers = LayoutDetector.HeaderCandidates(grid)
                let all = LayoutDetector.detectHeaders(headers, forms: Self.plan.forms)
                for (i, form) in Self.plan.forms.enumerated() {
                    let one = LayoutDetector.detectHeader(headers, form: form)
                    #expect(all[i]?.headerTop == one?.headerTop && all[i]?.headerBottom == one?.headerBottom, "\(f) \(form.id)")
                    #expect(all[i]?.matched == one?.matched && all[i]?.headerText == one?.headerText, "\(f) \(form.id)")
                    #expect(all[i]?.columns.mapValues(\.key) == one?.columns.mapValues(\.key), "\(f) \(form.id)")
                    #expect(all[i].map { $0.fit } == one.map { $0.fit }, "\(f) \(form.id)")
                }
            }
        }
    }

    /// A folded key's words cut at its space bytes are the words `split` gives.
    @Test(arguments: texts + ["Báo cáo quý III/2019 - Khánh Vĩnh", "T10 2019", "日本 東京 x"])
    func wordsAsSplitGives(_ s: String) {
        let k = Folding.key(s)
        #expect(Identifier.words(k) == k.split(separator: " "))
    }
}
