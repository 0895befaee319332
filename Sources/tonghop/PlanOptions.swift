import ArgumentParser
import Foundation
import TongHop

/// The options every command that reads a plan shares. Left out, the plan comes from
/// TONGHOP_PLAN, `plan:` of tonghop.yml, `./templates/khanh-hoa-2019` or the install's
/// `share/tonghop/templates/khanh-hoa-2019`, in that order; the language from `lang:` of
/// tonghop.yml, else Vietnamese.
struct PlanOptions: ParsableArguments {
    @Option(name: .long, help: "Thư mục kế hoạch (plan.yml và forms/); mặc định: TONGHOP_PLAN, tonghop.yml, ./templates/khanh-hoa-2019, rồi thư mục cài đặt.")
    var plan: String?

    @Option(name: .customLong("lang"), help: "Ngôn ngữ thông báo: vi hoặc en.")
    var langOption: Language?

    @Option(name: .customLong("csv-header"), help: "Dòng tiêu đề của các tệp CSV: en (mã cột tiếng Anh, mặc định) hoặc vi (tiêu đề tiếng Việt); mặc định: csv-header: của tonghop.yml, rồi en.")
    var csvHeader: CSVExport.Header?

    var lang: Language { langOption ?? Settings.current?.lang ?? .vi }

    /// The day deadlines are judged against: `--as-of` when given, else today (local time).
    func day(asOf: Day?) -> Day {
        asOf ?? Day(ordinal: Int((Date().timeIntervalSince1970 + Double(TimeZone.current.secondsFromGMT())) / 86_400))
    }

    /// The plan folder, from the option or where it is looked for (see the type's comment).
    func folder() throws -> String {
        Exit.language = lang
        let settings = try Settings.load()
        do {
            return try PlanLocation.plan(option: plan, settings: settings)
        } catch {
            throw Exit.fail(error.message(lang))
        }
    }

    /// Loads the plan, or ends the command with exit 2 and every mistake listed.
    func load() throws -> Plan {
        let folder = try folder()
        do {
            var plan = try PlanLoader.load(folder: folder)
            plan.csvHeader = csvHeader ?? Settings.current?.csvHeader ?? .en
            return plan
        } catch {
            throw Exit.fail(error.message(lang))
        }
    }
}

/// The working folder's tonghop.yml, read once; a mistake in it ends the command (exit 2).
enum Settings {
    static let loaded: Result<WorkingSettings, SettingsError> = Result { () throws(SettingsError) in try WorkingSettings.load() }

    static var current: WorkingSettings? { try? loaded.get() }

    static func load() throws -> WorkingSettings {
        do { return try loaded.get() } catch {
            throw Exit.fail(error.message(Exit.language))
        }
    }
}

extension Language: ExpressibleByArgument {}
extension CSVExport.Header: ExpressibleByArgument {}
