import Foundation
@testable import TongHop

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let plan2019 = root.appendingPathComponent("templates/khanh-hoa-2019").path
}

/// A copy of the 2019 plan in a temporary folder, edited by replacing text in one file.
func editedPlan(_ file: String, replacing old: String, with new: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: Repo.plan2019, toPath: dir.path)
    let path = dir.appendingPathComponent(file).path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(old) not in \(file)"]) }
    try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    return dir.path
}

/// The problems a plan folder is refused with (empty when it loads).
func problems(_ folder: String) -> [PlanProblem] {
    do {
        _ = try PlanLoader.load(folder: folder)
        return []
    } catch {
        return error.problems
    }
}

/// 1-based line of the first occurrence of `text` in a plan file.
func line(of text: String, in file: String, folder: String) throws -> Int {
    let content = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
    let lines = content.components(separatedBy: "\n")
    return (lines.firstIndex { $0.contains(text) } ?? -1) + 1
}
