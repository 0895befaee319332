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
    /// Entries that are not regular files (links leaving the inbox, pipes, devices), with why.
    public var skipped: [(String, String)] = []
}

public enum Inbox {
    public static let registerName = "so-cong-van-den.csv"

    public static func list(_ folder: String) throws -> InboxListing {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
        }
        var listing = InboxListing()
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        guard let e = fm.enumerator(atPath: folder) else { return listing }
        var names: [String] = []
        while let name = e.nextObject() as? String { names.append(name) }
        for name in names.sorted() {
            let base = (name as NSString).lastPathComponent
            // Office's lock files (~$Book.xlsx) and hidden files are not reports.
            if base.hasPrefix(".") || base.hasPrefix("~$") || name == registerName { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            var st = stat()
            guard lstat(path, &st) == 0 else {
                listing.skipped.append((name, "không đọc được thông tin tệp")); continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: continue
            case S_IFREG:
                guard access(path, R_OK) == 0 else {
                    listing.skipped.append((name, "không có quyền đọc tệp; cấp quyền đọc rồi chạy lại")); continue
                }
                listing.files.append(InboxFile(relative: name, path: path, size: Int(st.st_size),
                                               modified: Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9)))
            case S_IFLNK:
                // A link is followed only when it stays inside the inbox.
                let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                var tst = stat()
                if target.hasPrefix(root + "/"), stat(target, &tst) == 0, tst.st_mode & S_IFMT == S_IFREG {
                    listing.files.append(InboxFile(relative: name, path: target, size: Int(tst.st_size),
                                                   modified: Date(timeIntervalSince1970: TimeInterval(tst.st_mtim.tv_sec))))
                } else {
                    listing.skipped.append((name, "liên kết trỏ ra ngoài hộp thư, không mở"))
                }
            default:
                listing.skipped.append((name, "không phải tệp thường (pipe, socket, thiết bị), không mở"))
            }
        }
        // A file changed in the last minute may still be being copied in: look again after a
        // moment and leave for a later run any file whose size or time moved.
        let recent = listing.files.filter { Date().timeIntervalSince($0.modified) < 60 }
        if !recent.isEmpty {
            usleep(500_000)
            var moving = Set<String>()
            for f in recent {
                var st = stat()
                if stat(f.path, &st) != 0 || Int(st.st_size) != f.size
                    || TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9 != f.modified.timeIntervalSince1970 {
                    moving.insert(f.relative)
                }
            }
            listing.files.removeAll { moving.contains($0.relative) }
            for name in moving.sorted() { listing.skipped.append((name, "tệp đang được chép vào, sẽ đọc ở lần chạy sau")) }
        }
        return listing
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
