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
        try close(z, adding: parts, modified: modified, named: path)
    }

    /// The same ZIP as `write` makes, byte for byte, made in memory: no file is created.
    public static func data(_ parts: [(name: String, data: Data)], modified: Date? = nil) throws -> Data {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(nil, 0, 0, &error) else {
            throw SheetsError(.io("cannot make a ZIP in memory: \(String(cString: zip_error_strerror(&error)))"))
        }
        // The archive frees its source when closed: kept, it can be read back afterwards.
        zip_source_keep(source)
        defer { zip_source_free(source) }
        guard let z = zip_open_from_source(source, ZIP_TRUNCATE, &error) else {
            zip_source_free(source)
            throw SheetsError(.io("cannot make a ZIP in memory: \(String(cString: zip_error_strerror(&error)))"))
        }
        try close(z, adding: parts, modified: modified, named: "(memory)")
        guard zip_source_open(source) == 0 else {
            throw SheetsError(.io("cannot read back a ZIP made in memory: \(String(cString: zip_error_strerror(zip_source_error(source))))"))
        }
        defer { zip_source_close(source) }
        var out = Data()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = zip_source_read(source, chunk.baseAddress!, UInt64(chunk.count))
            guard n >= 0 else {
                throw SheetsError(.io("cannot read back a ZIP made in memory: \(String(cString: zip_error_strerror(zip_source_error(source))))"))
            }
            if n == 0 { break }
            out.append(chunk.baseAddress!.assumingMemoryBound(to: UInt8.self), count: Int(n))
        }
        return out
    }

    /// Adds `parts` to the new archive `z`, in order, and writes it out (`name` in errors).
    private static func close(_ z: OpaquePointer, adding parts: [(name: String, data: Data)], modified: Date?, named path: String) throws {
        // libzip reads the buffers only at zip_close: keep them alive until then.
        var buffers: [UnsafeMutableRawBufferPointer] = []
        defer { buffers.forEach { $0.deallocate() } }
        for (name, data) in parts {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 1)
            data.copyBytes(to: buffer)
            buffers.append(buffer)
            // libzip's message is read before the archive it belongs to is discarded.
            guard let source = zip_source_buffer(z, buffer.baseAddress, UInt64(data.count), 0) else {
                let message = String(cString: zip_strerror(z))
                zip_discard(z)
                throw SheetsError(.io("cannot add \(name) to \(path): \(message)"), file: path, entry: name)
            }
            let index = zip_file_add(z, name, source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)
            guard index >= 0 else {
                zip_source_free(source)
                let message = String(cString: zip_strerror(z))
                zip_discard(z)
                throw SheetsError(.io("cannot add \(name) to \(path): \(message)"), file: path, entry: name)
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
