// Validation: what `tonghop check` is asked to look at. Files are taken as named; a folder is
// listed the way the run lists an inbox (`Inbox.list`: regular files, the incoming register
// and office lock files left out), and what is not read is said with why.
import Foundation

public struct CheckTargets: Sendable {
    /// The files to check, in the order given (a folder's files in name order).
    public var paths: [String] = []
    /// Entries of a folder that are not checked: the path and why, in Vietnamese.
    public var skipped: [(path: String, why: String)] = []

    /// A path that names nothing.
    public struct Missing: Error, Sendable {
        public var path: String
        public var message: Message { Message(vi: "không có tệp \(path)", en: "no file \(path)") }
    }

    /// The files behind `arguments`, each a file or a folder. Nothing is read yet; a folder
    /// that is listed but whose files settle later is not waited for (`settleSeconds` 0).
    public static func gather(_ arguments: [String]) throws -> CheckTargets {
        var targets = CheckTargets()
        for argument in arguments {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDir) else {
                throw Missing(path: argument)
            }
            guard isDir.boolValue else {
                targets.paths.append(argument)
                continue
            }
            let listing = try Inbox.list(argument, settleSeconds: 0)
            targets.paths += listing.files.map(\.path)
            for (name, why) in listing.skipped {
                targets.skipped.append(((argument as NSString).appendingPathComponent(name), why))
            }
        }
        return targets
    }
}
