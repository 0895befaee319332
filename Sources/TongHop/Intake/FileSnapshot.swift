// Intake: a file's bytes, read once. The run opens each new file once, checks that it is the
// file it listed (same size, same time), reads every byte, and hashes exactly those bytes;
// the checker then reads the same bytes, never the path again. What the ledger records under
// a hash is therefore what was checked, whatever happens to the file meanwhile.
import Foundation

public struct FileSnapshot: Sendable {
    public var bytes: Data
    public var sha256: String
}

/// Why a file could not be read this time: a fact about the machine or the moment, not
/// about the file's bytes. Nothing is recorded; the next run reads the file again.
public struct TransientReadFailure: Error, Sendable {
    public var reason: String
}

extension FileSnapshot {
    /// Reads `file` as listed. A file gone, changed since it was listed, or failing to read
    /// is a `TransientReadFailure`, never a verdict on the file.
    public static func read(_ file: InboxFile) throws(TransientReadFailure) -> FileSnapshot {
        try read(path: file.path, expectedSize: file.size, expectedModified: file.modified)
    }

    public static func read(path: String, expectedSize: Int? = nil, expectedModified: Date? = nil) throws(TransientReadFailure) -> FileSnapshot {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw TransientReadFailure(reason: Inbox.Skip.vanished) }
            throw TransientReadFailure(reason: Inbox.Skip.unreadable(String(cString: strerror(e))))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TransientReadFailure(reason: Inbox.Skip.unreadable(String(cString: strerror(errno)))) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw TransientReadFailure(reason: "không còn là tệp thường, không mở")
        }
        if let expectedSize, Int(st.st_size) != expectedSize { throw TransientReadFailure(reason: Inbox.Skip.stillWriting) }
        if let expectedModified, Inbox.modified(st) != expectedModified { throw TransientReadFailure(reason: Inbox.Skip.stillWriting) }
        let size = Int(st.st_size)
        var bytes = Data(count: size)
        var done = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { p -> Int32? in
            while done < size {
                let n = Foundation.read(fd, p.baseAddress! + done, size - done)
                if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return errno }
                if n == 0 { return 0 }  // shorter than it said: cut while reading
                done += n
            }
            return nil
        }
        if let failure {
            throw TransientReadFailure(reason: failure == 0 ? Inbox.Skip.stillWriting : Inbox.Skip.unreadable(String(cString: strerror(failure))))
        }
        // Grown while read, or touched: the bytes may be a mix of two versions.
        var after = stat()
        if fstat(fd, &after) == 0, Int(after.st_size) != size || Inbox.modified(after) != Inbox.modified(st) {
            throw TransientReadFailure(reason: Inbox.Skip.stillWriting)
        }
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update($0) }
        return FileSnapshot(bytes: bytes, sha256: hasher.finalize())
    }
}
