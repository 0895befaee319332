// Pipeline: writing a period's reports so that readers see the old folder or the new one,
// never a mix: everything goes into a temporary folder beside it, is synced, and is renamed
// into place. Folders left by a killed run are cleared by the next one.
import Foundation

public struct OutputError: Error, Sendable {
    public var path: String
    public var detail: String
}

public enum ReportFolder {
    static let temporaryPrefix = ".tmp-"
    static let retiredPrefix = ".old-"

    /// Writes `files` (relative path → bytes) as the folder `out/name`. Returns false when
    /// the folder already holds exactly these files and nothing was written. `beforeRename`
    /// is called when the new folder is complete and synced, just before it takes the old
    /// one's place (tests kill the run there).
    @discardableResult
    public static func write(_ files: [String: Data], out: String, name: String, beforeRename: (@Sendable () -> Void)? = nil) throws -> Bool {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw OutputError(path: out, detail: "\(error.localizedDescription)")
        }
        clearLeftovers(out)
        let target = (out as NSString).appendingPathComponent(name)
        // A closed period (đã chốt) is never written again: later files go to a re-issue.
        if FileManager.default.fileExists(atPath: (target as NSString).appendingPathComponent(PeriodReports.closedMarker)) { return false }
        if identical(files, at: target) { return false }
        let temp = (out as NSString).appendingPathComponent("\(temporaryPrefix)\(name)-\(getpid())")
        try? fm.removeItem(atPath: temp)
        do {
            let sorted = files.sorted(by: { $0.key < $1.key })
            var folders = Set<String>()
            for (relative, _) in sorted {
                let folder = ((temp as NSString).appendingPathComponent(relative) as NSString).deletingLastPathComponent
                if folders.insert(folder).inserted { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            }
            try writeAllSynced(sorted.map { ((temp as NSString).appendingPathComponent($0.key), $0.value) })
            try syncDirectory(temp)
            beforeRename?()
            if fm.fileExists(atPath: target) {
                let retired = (out as NSString).appendingPathComponent("\(retiredPrefix)\(name)-\(getpid())")
                try fm.moveItem(atPath: target, toPath: retired)
                try fm.moveItem(atPath: temp, toPath: target)
                try? fm.removeItem(atPath: retired)
            } else {
                try fm.moveItem(atPath: temp, toPath: target)
            }
            try syncDirectory(out)
        } catch let e as OutputError {
            try? fm.removeItem(atPath: temp)
            throw e
        } catch {
            try? fm.removeItem(atPath: temp)
            throw OutputError(path: target, detail: error.localizedDescription)
        }
        return true
    }

    /// Replaces one file atomically (temporary file beside it, synced, renamed), unless it
    /// already holds these bytes.
    public static func writeFile(_ data: Data, to path: String) throws {
        if FileManager.default.contents(atPath: path) == data { return }
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir as NSString).appendingPathComponent("\(temporaryPrefix)\((path as NSString).lastPathComponent)-\(getpid())")
        do {
            try writeSynced(data, to: temp)
            guard rename(temp, path) == 0 else { throw OutputError(path: path, detail: String(cString: strerror(errno))) }
            try syncDirectory(dir)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// The period folders under `out`, by name.
    public static func periods(_ out: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { Period($0) != nil }.sorted()
    }

    /// Removes temporary folders of runs that died; puts back a folder retired by a run
    /// killed between its two renames.
    static func clearLeftovers(_ out: String) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: out)) ?? [] {
            let path = (out as NSString).appendingPathComponent(name)
            if name.hasPrefix(temporaryPrefix) {
                try? fm.removeItem(atPath: path)
            } else if name.hasPrefix(retiredPrefix) {
                let original = String(name.dropFirst(retiredPrefix.count).split(separator: "-").dropLast().joined(separator: "-"))
                let target = (out as NSString).appendingPathComponent(original)
                if !original.isEmpty, !fm.fileExists(atPath: target) {
                    try? fm.moveItem(atPath: path, toPath: target)
                } else {
                    try? fm.removeItem(atPath: path)
                }
            }
        }
    }

    static func identical(_ files: [String: Data], at folder: String) -> Bool {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: folder) else { return false }
        var existing = Set<String>()
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            // A printed PDF is made from the page, not one of the page's files.
            if fm.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isDir), !isDir.boolValue,
               !name.hasSuffix(".pdf") {
                existing.insert(name)
            }
        }
        guard existing == Set(files.keys) else { return false }
        return files.allSatisfy { fm.contents(atPath: (folder as NSString).appendingPathComponent($0.key)) == $0.value }
    }

    /// Writes and fsyncs every file, several at once: each fsync waits on the disk, and
    /// waiting for several together costs little more than for one. The error of the first
    /// file (in the given order) that failed is thrown.
    static func writeAllSynced(_ files: [(path: String, data: Data)]) throws {
        guard files.count > 1 else {
            for f in files { try writeSynced(f.data, to: f.path) }
            return
        }
        final class Work: @unchecked Sendable {
            let files: [(path: String, data: Data)]
            var next = 0
            var errors: [Int: Error] = [:]
            let lock = NSLock()
            init(_ files: [(path: String, data: Data)]) { self.files = files }

            func take() -> Int? {
                lock.lock(); defer { lock.unlock() }
                guard next < files.count else { return nil }
                next += 1
                return next - 1
            }

            func failed(_ i: Int, _ e: Error) { lock.lock(); errors[i] = e; lock.unlock() }
        }
        let work = Work(files)
        let group = DispatchGroup()
        for _ in 0..<min(8, files.count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let i = work.take() {
                    do { try writeSynced(work.files[i].data, to: work.files[i].path) } catch { work.failed(i, error) }
                }
            }
            thread.start()
        }
        group.wait()
        if let first = work.errors.keys.min() { throw work.errors[first]! }
    }

    /// Writes and fsyncs one file; an fsync error is fatal, not retried.
    static func writeSynced(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        try data.withUnsafeBytes { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw OutputError(path: path, detail: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw OutputError(path: path, detail: "fsync: " + String(cString: strerror(errno))) }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw OutputError(path: path, detail: "fsync: " + String(cString: strerror(errno))) }
    }
}
