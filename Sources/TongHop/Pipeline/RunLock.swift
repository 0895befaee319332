// Pipeline: one run at a time. A lock file held with flock and never deleted: the kernel
// drops the lock when a killed run dies, so a stale lock needs no cleaning.
import Foundation

public final class RunLock {
    let fd: Int32
    public let path: String

    public struct Held: Error, Sendable {
        public var path: String
        /// What the holder wrote: its pid and start time.
        public var holder: String
    }

    /// Takes the lock, waiting up to `wait` seconds for another run to finish.
    public init(path: String, wait: TimeInterval = 2) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path,
                                                               NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(errno))])
        }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                var buffer = [UInt8](repeating: 0, count: 200)
                let n = pread(fd, &buffer, 200, 0)
                close(fd)
                throw Held(path: path, holder: String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines))
            }
            usleep(100_000)
        }
        let note = "pid \(getpid()), bắt đầu \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// The one path of a file, whatever path reaches it: links and `..` resolved. For a
    /// file not made yet, its folder's path (resolved) and its name.
    public static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let r = realpath(absolute, nil) {
            defer { free(r) }
            return String(cString: r)
        }
        let folder = (absolute as NSString).deletingLastPathComponent, name = (absolute as NSString).lastPathComponent
        if folder == absolute || folder.isEmpty { return absolute }
        return (canonical(folder) as NSString).appendingPathComponent(name)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
