import ArgumentParser
import Foundation
import TongHop

/// The options every command that reads a plan shares.
struct PlanOptions: ParsableArguments {
    @Option(name: .long, help: "Thư mục kế hoạch (plan.yml và forms/).")
    var plan: String = "templates/khanh-hoa-2019"

    @Option(name: .long, help: "Ngôn ngữ thông báo: vi hoặc en.")
    var lang: Language = .vi

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
