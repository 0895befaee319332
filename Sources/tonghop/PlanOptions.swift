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
    func day(asOf: String?) throws -> Day {
        guard let asOf else {
            return Day(ordinal: Int((Date().timeIntervalSince1970 + Double(TimeZone.current.secondsFromGMT())) / 86_400))
        }
        guard let d = Day(asOf) else {
            throw Exit.fail(lang == .vi ? "--as-of \"\(asOf)\" không phải ngày (viết 2019-12-05)" : "--as-of \"\(asOf)\" is not a date (write 2019-12-05)", code: 64)
        }
        return d
    }

    /// Loads the plan, or ends the command with exit 2 and every mistake listed.
    func load() throws -> Plan {
        do {
            return try PlanLoader.load(folder: plan)
        } catch {
            throw Exit.fail(error.message(lang))
        }
    }
}

extension Language: ExpressibleByArgument {}
