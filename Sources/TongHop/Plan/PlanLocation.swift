// Plan: where the plan folder and the report templates are found when the command line does
// not say, and the optional `tonghop.yml` of the working folder, so that a cron line can be
// just `tonghop run`.
import Foundation
import Yams

/// Defaults read from `tonghop.yml` in the working folder (keys inbox, out, db, plan, lang,
/// csv-header).
/// A value on the command line wins over the file; relative paths are from the working folder.
public struct WorkingSettings: Sendable, Equatable {
    public static let fileName = "tonghop.yml"
    public static let keys = ["inbox", "out", "db", "plan", "lang", "csv-header"]

    public var inbox: String?
    public var out: String?
    public var db: String?
    public var plan: String?
    public var lang: Language?
    /// The CSVs' header row: `en` (column keys, the default) or `vi`.
    public var csvHeader: CSVExport.Header?
    /// The file the settings came from; nil when the working folder has none.
    public var file: String?

    public init() {}

    /// Reads `tonghop.yml` in `folder`. No file is no settings; an unknown key, a value that is
    /// not a single word or path, or a language other than vi or en is an error naming the line.
    public static func load(folder: String = FileManager.default.currentDirectoryPath) throws(SettingsError) -> WorkingSettings {
        let path = (folder as NSString).appendingPathComponent(fileName)
        var settings = WorkingSettings()
        guard let data = FileManager.default.contents(atPath: path) else { return settings }
        settings.file = path
        func fail(_ line: Int?, _ key: String, _ vi: String, _ en: String) -> SettingsError {
            SettingsError(file: path, line: line, key: key, vi: vi, en: en)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw fail(nil, "", "không đọc được tệp YAML: \(error)", "not readable as YAML: \(error)")
        }
        guard let node else { return settings }
        guard let mapping = node.mapping else {
            throw fail(node.mark.map { $0.line }, "", "cần các dòng dạng khóa: giá trị (\(keys.joined(separator: ", ")))",
                       "expected lines of key: value (\(keys.joined(separator: ", ")))")
        }
        for (k, v) in mapping {
            let key = k.string ?? "\(k)"
            let line = k.mark.map { $0.line }
            guard keys.contains(key) else {
                throw fail(line, key, "khóa không biết; chỉ dùng được \(keys.joined(separator: ", "))",
                           "unknown key; only \(keys.joined(separator: ", ")) are read")
            }
            guard let text = v.scalar?.string, !text.isEmpty else {
                throw fail(line, key, "cần một giá trị (đường dẫn hoặc chữ), không để trống", "needs a single value (a path or a word), not empty")
            }
            switch key {
            case "inbox": settings.inbox = text
            case "out": settings.out = text
            case "db": settings.db = text
            case "plan": settings.plan = text
            case "csv-header":
                guard let h = CSVExport.Header(rawValue: text) else {
                    throw fail(line, key, "“\(text)” không phải en (dòng tiêu đề là mã cột tiếng Anh) hay vi (tiêu đề tiếng Việt)",
                               "“\(text)” is neither en (English column keys) nor vi (Vietnamese headers)")
                }
                settings.csvHeader = h
            default:
                guard let language = Language(rawValue: text) else {
                    throw fail(line, key, "“\(text)” không phải vi hay en", "“\(text)” is neither vi nor en")
                }
                settings.lang = language
            }
        }
        return settings
    }
}

/// A `tonghop.yml` that cannot be used: the file, line and key, and what to write instead.
public struct SettingsError: Error, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var vi: String
    public var en: String

    public func message(_ language: Language) -> String {
        var place = file
        if let line { place += ":\(line)" }
        if !key.isEmpty { place += ": \(key)" }
        return "\(place): " + Message(vi: vi, en: en).text(language)
    }
}

/// No plan folder where one was looked for; every place is named.
public struct PlanNotFound: Error, Sendable, Equatable {
    public var looked: [PlanLocation.Place]

    public func message(_ language: Language) -> String { said.withHint(language, separator: looked.count == 1 ? " " : "\n") }

    /// What is said: the one place looked in, or every place, each with why it was looked in.
    public var said: Message {
        if looked.count == 1, let p = looked.first {
            return Message(vi: "không có thư mục kế hoạch \(p.path) (\(p.source.vi)).", en: "no plan folder \(p.path) (\(p.source.en)).",
                           hint: .init(vi: "Cách sửa: kiểm tra lại đường dẫn (gõ nhầm?).", en: "To fix: check the path (a typo?)."))
        }
        return Message(
            vi: (["Không tìm thấy thư mục kế hoạch (có plan.yml). Đã tìm ở:"] + looked.map { "  \($0.path) (\($0.source.vi))" }).joined(separator: "\n"),
            en: (["No plan folder (with plan.yml) found. Looked in:"] + looked.map { "  \($0.path) (\($0.source.en))" }).joined(separator: "\n"),
            hint: .init(vi: "Cách sửa: chỉ thư mục bằng --plan THƯ-MỤC, biến môi trường TONGHOP_PLAN hoặc dòng plan: trong tonghop.yml; hoặc cài lại bằng make install.",
                        en: "To fix: name the folder with --plan DIR, the TONGHOP_PLAN variable or a plan: line in tonghop.yml; or install again with make install."))
    }
}

public enum PlanLocation {
    /// The plan used when none is named: `templates/<this>` here or in the install.
    public static let defaultPlan = "khanh-hoa-2019"

    public struct Place: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            case option, environment, settings, workingFolder, install
            var vi: String {
                switch self {
                case .option: "tham số --plan"
                case .environment: "biến TONGHOP_PLAN"
                case .settings: "dòng plan: trong tonghop.yml"
                case .workingFolder: "thư mục đang làm việc"
                case .install: "thư mục cài đặt"
                }
            }
            var en: String {
                switch self {
                case .option: "--plan option"
                case .environment: "TONGHOP_PLAN variable"
                case .settings: "plan: line of tonghop.yml"
                case .workingFolder: "working folder"
                case .install: "install folder"
                }
            }
        }
        public var path: String
        public var source: Source
    }

    /// The install's shared folder, `<bin>/../share/tonghop`, from the running program's path.
    public static func shareFolder(executable: String? = runningExecutable()) -> String? {
        guard let executable else { return nil }
        let bin = (executable as NSString).deletingLastPathComponent
        return ((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/tonghop")
    }

    /// The path of this program (symbolic links resolved), when the system says.
    public static func runningExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return Bundle.main.executablePath
    }

    /// The plan folder: `--plan`, else `TONGHOP_PLAN`, else `plan:` of tonghop.yml — any of
    /// these is used as named, a missing one is not replaced by another plan — else
    /// `./templates/<default>`, else `<bin>/../share/tonghop/templates/<default>`.
    public static func plan(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            settings: WorkingSettings = WorkingSettings(),
                            shareFolder: String? = shareFolder()) throws(PlanNotFound) -> String {
        let named: [Place] = [
            option.map { Place(path: $0, source: .option) },
            environment["TONGHOP_PLAN"].flatMap { $0.isEmpty ? nil : Place(path: $0, source: .environment) },
            settings.plan.map { Place(path: $0, source: .settings) },
        ].compactMap { $0 }
        if let first = named.first {
            // Named: used as it is (a folder without plan.yml is the plan reader's to explain).
            guard FileManager.default.fileExists(atPath: first.path) else { throw PlanNotFound(looked: [first]) }
            return first.path
        }
        var places = [Place(path: "templates/" + defaultPlan, source: .workingFolder)]
        if let shareFolder {
            places.append(Place(path: (shareFolder as NSString).appendingPathComponent("templates/" + defaultPlan), source: .install))
        }
        guard let found = places.first(where: { hasPlan($0.path) }) else { throw PlanNotFound(looked: places) }
        return found.path
    }

    /// Where the report templates may be, in order: the plan's own `report/`, `report/` beside
    /// the plan, `./templates/report`, then the install's `share/tonghop/templates/report`.
    public static func reportFolders(plan: String, shareFolder: String? = shareFolder()) -> [String] {
        var folders = [(plan as NSString).appendingPathComponent("report"),
                       ((plan as NSString).deletingLastPathComponent as NSString).appendingPathComponent("report"),
                       "templates/report"]
        if let shareFolder { folders.append((shareFolder as NSString).appendingPathComponent("templates/report")) }
        var seen = Set<String>()
        return folders.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The first of `reportFolders` that holds an `index.mustache`: where the report layout
    /// of this plan comes from.
    public static func reportTemplates(plan: String) -> String? {
        reportFolders(plan: plan).first {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("index.mustache"))
        }
    }

    static func hasPlan(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("plan.yml"))
    }
}
