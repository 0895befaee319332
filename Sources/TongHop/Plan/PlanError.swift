// Plan: a mistake in a plan folder, with the file, line and key, in words a person can act on.
import Foundation

public struct PlanProblem: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the plan folder (`plan.yml`, `forms/monthly.yml`).
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Where in the file: `units[3].terrain`, `targets[2].value`.
    public var key: String
    public var vi: String
    public var en: String

    public func message(_ language: Language) -> String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(key): " + (language == .vi ? vi : en)
    }

    public var description: String { message(.en) }
}

/// A plan that cannot be used; every problem found is listed, not just the first.
public struct PlanError: Error, Sendable, CustomStringConvertible {
    public var folder: String
    public var problems: [PlanProblem]

    public func message(_ language: Language) -> String {
        let head = language == .vi
            ? "Thư mục kế hoạch \(folder) có \(problems.count) lỗi, cần sửa trước khi chạy:"
            : "The plan folder \(folder) has \(problems.count) problem(s) to fix before running:"
        return ([head] + problems.map { "  " + $0.message(language) }).joined(separator: "\n")
    }

    public var description: String { message(.en) }
}
