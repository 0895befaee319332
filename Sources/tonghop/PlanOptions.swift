import ArgumentParser
import Foundation
import TongHop

/// The options every command that reads a plan shares.
struct PlanOptions: ParsableArguments {
    @Option(name: .long, help: "Thư mục kế hoạch (plan.yml và forms/).")
    var plan: String = "templates/khanh-hoa-2019"

    @Option(name: .long, help: "Ngôn ngữ thông báo: vi hoặc en.")
    var lang: Language = .vi

    /// The day deadlines are judged against: `--as-of` when given, else today (local time).
    func day(asOf: Day?) -> Day {
        asOf ?? Day(ordinal: Int((Date().timeIntervalSince1970 + Double(TimeZone.current.secondsFromGMT())) / 86_400))
    }

    /// Loads the plan, or ends the command with exit 2 and every mistake listed.
    func load() throws -> Plan {
        Exit.language = lang
        do {
            return try PlanLoader.load(folder: plan)
        } catch {
            throw Exit.fail(error.message(lang))
        }
    }
}

extension Language: ExpressibleByArgument {}
