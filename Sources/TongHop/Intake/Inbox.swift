// Intake: what is in the inbox. Regular files only, named by their path inside the inbox;
// the incoming register (sổ công văn đến) gives their received dates. Nothing here writes.
import Foundation
import Sheets

public struct InboxFile: Sendable {
    /// Path inside the inbox, with `/`.
    public var relative: String
    public var path: String
    public var size: Int
    public var modified: Date
}

public struct InboxListing: Sendable {
    public var files: [InboxFile] = []
    /// Entries that are not read this run (links leaving the inbox, pipes, unreadable
    /// folders, files still being written), each with its own reason.
    public var skipped: [(String, String)] = []
}

public enum Inbox {
    public static let registerName = "so-cong-van-den.csv"

    /// Why an entry is not read, said the same way wherever it is found.
    public enum Skip {
        public static let stillWriting = "đang được ghi, để lần sau (tệp vừa thay đổi; lần chạy sau sẽ đọc)"
        public static let vanished = "tệp đã bị chuyển đi hoặc xóa trong lúc chạy; lần chạy sau sẽ đọc nếu tệp trở lại"
        public static func unreadable(_ why: String) -> String {
            "không đọc được tệp lần này (\(why)); chưa ghi gì, lần chạy sau sẽ đọc lại"
        }
    }

    /// Lists the inbox. A file is listed only when it was last changed at least
    /// `settleSeconds` before `now`: a file still being copied in is left for the next run
    /// (a partial CSV cannot be told from a short one by its content, so time is the guard).
    public static func list(_ folder: String, settleSeconds: Double = 5, now: Date = Date()) throws -> InboxListing {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
        }
        var listing = InboxListing()
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        walk(folder: folder, relative: "", root: root, into: &listing)
        listing.files.sort { $0.relative < $1.relative }
        listing.skipped.sort { $0.0 < $1.0 }
        var settled: [InboxFile] = []
        for f in listing.files {
            // A time more than an hour ahead is a wrong clock, not a file being written now:
            // it is read rather than left waiting for that hour forever.
            let age = now.timeIntervalSince(f.modified)
            if age < settleSeconds && age > -3600 {
                listing.skipped.append((f.relative, Skip.stillWriting))
            } else {
                settled.append(f)
            }
        }
        listing.files = settled
        return listing
    }

    /// One folder's entries, by their bytes (a name that is not UTF-8 is shown escaped and
    /// skipped: it cannot be named in a report or a register).
    static func walk(folder: String, relative: String, root: String, into listing: inout InboxListing) {
        guard let dir = opendir(folder) else {
            let why = errno == EACCES ? "không có quyền mở thư mục; cấp quyền đọc rồi chạy lại — các tệp bên trong chưa được đọc"
                : "không mở được thư mục (\(String(cString: strerror(errno)))) — các tệp bên trong chưa được đọc"
            listing.skipped.append((relative.isEmpty ? "." : relative + "/", why))
            return
        }
        defer { closedir(dir) }
        var entries: [(bytes: [UInt8], name: String?)] = []
        while let e = readdir(dir) {
            let bytes = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            entries.append((bytes, String(validatingCString: bytes.map { CChar(bitPattern: $0) } + [0])))
        }
        for entry in entries {
            guard let base = entry.name else {
                let shown = entry.bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02X", $0) }.joined()
                listing.skipped.append(((relative.isEmpty ? "" : relative + "/") + shown,
                                        "tên tệp có ký tự không đọc được (không phải UTF-8, thường do giải nén tệp ZIP từ máy cũ); đổi tên tệp rồi chạy lại"))
                continue
            }
            let name = relative.isEmpty ? base : relative + "/" + base
            // Office's lock files (~$Book.xlsx) and hidden files are not reports.
            if base.hasPrefix(".") || base.hasPrefix("~$") || name == registerName { continue }
            let path = (folder as NSString).appendingPathComponent(base)
            // Looked up beside the open folder: the kernel does not walk the whole path again.
            var st = stat()
            guard fstatat(dirfd(dir), base, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno == ENOENT { continue }  // gone since the folder was read
                listing.skipped.append((name, "không đọc được thông tin tệp (\(String(cString: strerror(errno))))")); continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                walk(folder: path, relative: name, root: root, into: &listing)
            case S_IFREG:
                guard faccessat(dirfd(dir), base, R_OK, 0) == 0 else {
                    listing.skipped.append((name, "không có quyền đọc tệp; cấp quyền đọc rồi chạy lại")); continue
                }
                listing.files.append(InboxFile(relative: name, path: path, size: Int(st.st_size), modified: modified(st)))
            case S_IFLNK:
                // A link is followed only when it stays inside the inbox and ends at a file.
                var tst = stat()
                if stat(path, &tst) != 0 {
                    let why = errno == ELOOP ? "liên kết vòng (trỏ vòng về chính nó), không mở"
                        : errno == ENOENT ? "liên kết trỏ tới tệp không còn tồn tại, không mở"
                        : "không theo được liên kết (\(String(cString: strerror(errno))))"
                    listing.skipped.append((name, why)); continue
                }
                let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                if !target.hasPrefix(root + "/") {
                    listing.skipped.append((name, "liên kết trỏ ra ngoài hộp thư, không mở"))
                } else if tst.st_mode & S_IFMT == S_IFREG {
                    listing.files.append(InboxFile(relative: name, path: target, size: Int(tst.st_size), modified: modified(tst)))
                } else {
                    listing.skipped.append((name, "liên kết tới thư mục hoặc tệp đặc biệt, không mở (các tệp trong hộp thư được đọc theo đường dẫn thật)"))
                }
            default:
                listing.skipped.append((name, "không phải tệp thường (pipe, socket, thiết bị), không mở"))
            }
        }
    }

    static func modified(_ st: stat) -> Date {
        Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The register's received dates, by path inside the inbox and by bare file name.
    public static func register(_ folder: String) -> [String: Day] {
        let path = (folder as NSString).appendingPathComponent(registerName)
        guard FileManager.default.fileExists(atPath: path), let book = try? Spreadsheets.open(path: path),
              let grid = try? book.loadSheet(1) else { return [:] }
        var out: [String: Day] = [:]
        var bare: [String: [Day]] = [:]
        for row in grid.rows {
            let name = row.value(at: 1).displayText.trimmingCharacters(in: .whitespaces)
            let dateCell = row.value(at: 2)
            var day: Day?
            if case .dateTime(let dt) = dateCell { day = Day(year: dt.year, month: dt.month, day: dt.day) }
            else { day = Day(dateCell.displayText) }
            guard !name.isEmpty, let day else { continue }
            let key = NFC.normalize(name.replacingOccurrences(of: "\\", with: "/"))
            out[key] = day
            bare[(key as NSString).lastPathComponent, default: []].append(day)
        }
        // A bare name stands for a file wherever it sits, when it is not ambiguous.
        for (name, days) in bare where out[name] == nil && Set(days).count == 1 { out[name] = days[0] }
        return out
    }

    public static func receivedDate(_ file: InboxFile, register: [String: Day]) -> Day {
        let key = NFC.normalize(file.relative)
        if let d = register[key] ?? register[(key as NSString).lastPathComponent] { return d }
        let c = Calendar.current.dateComponents([.year, .month, .day], from: file.modified)
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
