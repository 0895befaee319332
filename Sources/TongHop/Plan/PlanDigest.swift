// Plan: a digest of the plan folder and the report templates, so that a report is rendered
// again when either is edited.
import Crypto
import Foundation

public enum PlanDigest {
    public static func of(plan: Plan, templates: String) -> String {
        var hasher = SHA256()
        for folder in [plan.folder, templates] {
            let files = (FileManager.default.subpaths(atPath: folder) ?? []).sorted()
            for name in files where name.hasSuffix(".yml") || name.hasSuffix(".yaml") || name.hasSuffix(".mustache") || name.hasSuffix(".md") {
                guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)) else { continue }
                hasher.update(data: Data(name.utf8))
                hasher.update(data: data)
            }
        }
        if plan.csvHeader != .en { hasher.update(data: Data("csv-header=\(plan.csvHeader.rawValue)".utf8)) }
        return String(FileDigest.hex(hasher.finalize()).prefix(16))
    }
}
