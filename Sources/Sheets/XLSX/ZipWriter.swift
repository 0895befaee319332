// Writing a ZIP package through libzip: the one place parts are handed to zip_source_buffer.
import CZip
import Foundation

/// Writes a ZIP of named parts as they are (no checking: tests use it for broken packages too).
public enum ZipWriter {
    /// The date the project's own packages carry on every entry (01/12/2019), so that writing the
    /// same parts twice gives the same bytes: a report re-made with nothing new is identical.
    public static let reproducibleDate = Date(timeIntervalSince1970: 1_575_158_400)

    /// Replaces `path` with a ZIP of `parts`, in order. With `modified`, every entry carries that
    /// time, so the same parts always give the same bytes; without it libzip dates them now.
    public static func write(_ parts: [(name: String, data: Data)], to path: String, modified: Date? = nil) throws {
        var err: Int32 = 0
        guard let z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err) else {
            throw SheetsError(.io("cannot create \(path) (libzip error \(err))"), file: path)
        }
        // libzip reads the buffers only at zip_close: keep them alive until then.
        var buffers: [UnsafeMutableRawBufferPointer] = []
        defer { buffers.forEach { $0.deallocate() } }
        for (name, data) in parts {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 1)
            data.copyBytes(to: buffer)
            buffers.append(buffer)
            guard let source = zip_source_buffer(z, buffer.baseAddress, UInt64(data.count), 0) else {
                zip_discard(z)
                throw SheetsError(.io("cannot add \(name) to \(path): \(String(cString: zip_strerror(z)))"), file: path, entry: name)
            }
            let index = zip_file_add(z, name, source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)
            guard index >= 0 else {
                zip_source_free(source)
                zip_discard(z)
                throw SheetsError(.io("cannot add \(name) to \(path): \(String(cString: zip_strerror(z)))"), file: path, entry: name)
            }
            if let modified {
                zip_file_set_mtime(z, UInt64(index), time_t(modified.timeIntervalSince1970), 0)
            }
        }
        guard zip_close(z) == 0 else {
            let message = String(cString: zip_strerror(z))
            zip_discard(z)
            throw SheetsError(.io("cannot write \(path): \(message)"), file: path)
        }
    }
}
