// A read-only view of a ZIP container on libzip, with entry names looked up as OPC wants
// (case-insensitive, `\` read as `/`) and every inflated byte counted against the limits.
import CZip
import Foundation

final class ZipArchive {
    struct Entry {
        var index: UInt64
        /// The name as stored.
        var name: String
        var compressedSize: UInt64
        /// The uncompressed size the archive declares (never trusted for allocation).
        var declaredSize: UInt64
        var encrypted: Bool
        var method: Int32
    }

    private let handle: OpaquePointer
    /// Keeps the bytes alive when the archive was opened from memory.
    private let buffer: UnsafeMutableRawBufferPointer?
    private(set) var entries: [Entry] = []
    private var byKey: [String: Int] = [:]
    let limits: ReadLimits
    private var totalInflated = 0

    /// The lookup key of a part name: `/` separators, no leading slash, lower case.
    static func key(_ name: String) -> String {
        // Part names rarely hold a backslash: only then is Foundation asked to replace it.
        var s = name.utf8.contains(UInt8(ascii: "\\")) ? name.replacingOccurrences(of: "\\", with: "/") : name
        while s.hasPrefix("/") { s.removeFirst() }
        return s.lowercased()
    }

    convenience init(path: String, limits: ReadLimits) throws {
        var err: Int32 = 0
        guard let z = zip_open(path, ZIP_RDONLY, &err) else {
            throw SheetsError(.corrupt(ZipArchive.describe(code: err)))
        }
        try self.init(handle: z, buffer: nil, limits: limits)
    }

    convenience init(bytes: UnsafeRawBufferPointer, limits: ReadLimits) throws {
        // libzip reads from the buffer lazily: it must outlive the archive, so keep a copy.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let base = bytes.baseAddress, bytes.count > 0 { copy.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let source = zip_source_buffer_create(copy.baseAddress, UInt64(bytes.count), 0, &error) else {
            copy.deallocate()
            throw SheetsError(.corrupt(String(cString: zip_error_strerror(&error))))
        }
        guard let z = zip_open_from_source(source, ZIP_RDONLY, &error) else {
            zip_source_free(source)
            copy.deallocate()
            throw SheetsError(.corrupt(String(cString: zip_error_strerror(&error))))
        }
        do {
            try self.init(handle: z, buffer: copy, limits: limits)
        } catch {
            throw error
        }
    }

    private init(handle: OpaquePointer, buffer: UnsafeMutableRawBufferPointer?, limits: ReadLimits) throws {
        self.handle = handle
        self.buffer = buffer
        self.limits = limits
        let count = zip_get_num_entries(handle, 0)
        guard count >= 0 else { throw SheetsError(.corrupt("unreadable central directory")) }
        if count > limits.maxEntries {
            throw SheetsError(.limitExceeded(.entryCount, limit: limits.maxEntries))
        }
        entries.reserveCapacity(Int(count))
        for i in 0..<UInt64(count) {
            var st = zip_stat_t()
            zip_stat_init(&st)
            guard zip_stat_index(handle, i, 0, &st) == 0, let cname = st.name else { continue }
            let name = String(decoding: UnsafeRawBufferPointer(start: cname, count: strlen(cname)), as: UTF8.self)
            let entry = Entry(index: i, name: name, compressedSize: st.comp_size, declaredSize: st.size,
                              encrypted: st.encryption_method != 0, method: Int32(st.comp_method))
            let key = ZipArchive.key(name)
            if byKey[key] != nil {
                // OPC part names compare case-insensitively: two entries that differ only in
                // case (or slash direction) make the package ambiguous.
                throw SheetsError(.corrupt("two entries named \(name) (names differ only in case)"), entry: name)
            }
            byKey[key] = entries.count
            entries.append(entry)
        }
    }

    deinit {
        zip_discard(handle)
        buffer?.deallocate()
    }

    func entry(named name: String) -> Entry? {
        byKey[ZipArchive.key(name)].map { entries[$0] }
    }

    /// Streams one entry in chunks, stopping as soon as a size or ratio limit is passed.
    func read(_ entry: Entry, chunkSize: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        try read(entry, into: { chunk }, body)
    }

    /// Streams one entry, each chunk inflated straight into the buffer `buffer` hands out
    /// (nil stops the read); `body` sees the chunk once it has passed the limits.
    func read(_ entry: Entry, into buffer: () -> UnsafeMutableRawBufferPointer?,
              _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if entry.encrypted {
            throw SheetsError(.unsupported(.encrypted), entry: entry.name)
        }
        guard let file = zip_fopen_index(handle, entry.index, 0) else {
            throw SheetsError(.corrupt(String(cString: zip_strerror(handle))), entry: entry.name)
        }
        defer { zip_fclose(file) }
        var inflated = 0
        while true {
            guard let chunk = buffer() else { throw CancellationError() }
            let n = zip_fread(file, chunk.baseAddress!, UInt64(chunk.count))
            if n < 0 {
                throw SheetsError(.corrupt(String(cString: zip_file_strerror(file))), entry: entry.name)
            }
            if n == 0 { break }
            inflated += Int(n)
            totalInflated += Int(n)
            // libzip does not hold an entry to the size it declares: a lying header is damage.
            if UInt64(inflated) > entry.declaredSize {
                throw SheetsError(.corrupt("entry inflates to more than the \(entry.declaredSize) bytes it declares"), entry: entry.name)
            }
            if inflated > limits.maxEntryBytes {
                throw SheetsError(.limitExceeded(.entryBytes, limit: limits.maxEntryBytes), entry: entry.name)
            }
            if totalInflated > limits.maxTotalBytes {
                throw SheetsError(.limitExceeded(.totalBytes, limit: limits.maxTotalBytes), entry: entry.name)
            }
            if inflated >= limits.ratioCheckFrom,
               Double(entry.compressedSize) / Double(inflated) < limits.minInflateRatio {
                throw SheetsError(.limitExceeded(.inflateRatio, limit: Int(1 / limits.minInflateRatio)),
                                  entry: entry.name)
            }
            try body(UnsafeRawBufferPointer(start: chunk.baseAddress, count: Int(n)))
        }
    }

    /// A whole small entry (relationships, workbook, styles) in memory.
    func readAll(_ entry: Entry) throws -> [UInt8] {
        var out: [UInt8] = []
        try read(entry) { out.append(contentsOf: $0) }
        return out
    }

    private static func describe(code: Int32) -> String {
        var error = zip_error_t()
        zip_error_init_with_code(&error, code)
        defer { zip_error_fini(&error) }
        return String(cString: zip_error_strerror(&error))
    }
}

extension ZipArchive {
    /// Like `read`, but inflating on a second thread while `body` works on the previous
    /// chunk: the two cores share the work of a large sheet. Chunks are handed over in order
    /// through a small ring of buffers; an error on either side stops both.
    func readOverlapped(_ entry: Entry, chunkSize: Int = 1 << 18, depth: Int = 4,
                        _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let ring = ChunkRing(depth: depth, size: chunkSize)
        let archive = UncheckedBox(self)
        let thread = Thread {
            do {
                // Inflated straight into the ring: no copy between the two threads.
                try archive.value.read(entry, into: { ring.acquire() }) { chunk in
                    ring.commit(chunk.count)
                }
                ring.finish(nil)
            } catch let e as SheetsError {
                ring.finish(e)
            } catch {
                ring.finish(nil)
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        defer { ring.cancel(); ring.waitForProducer() }
        while let chunk = ring.take() {
            try body(chunk)
            ring.release()
        }
        if let e = ring.failure { throw e }
    }
}

/// Lets the inflating thread use the archive while the calling thread only parses.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A fixed ring of chunk buffers between one producer and one consumer.
final class ChunkRing: @unchecked Sendable {
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var lengths: [Int]
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let producerDone = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var head = 0, tail = 0
    private var finished = false
    private var cancelled = false
    private(set) var failure: SheetsError?

    init(depth: Int, size: Int) {
        buffers = (0..<depth).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16) }
        lengths = Array(repeating: 0, count: depth)
        // Created empty and then signalled: libdispatch traps when a semaphore is freed below
        // the value it was created with, which a ring in use usually is.
        free = DispatchSemaphore(value: 0)
        for _ in 0..<depth { free.signal() }
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// Producer: the next free buffer to fill, waiting for one; nil when the consumer quit.
    func acquire() -> UnsafeMutableRawBufferPointer? {
        free.wait()
        lock.lock()
        defer { lock.unlock() }
        if cancelled { return nil }
        return buffers[tail % buffers.count]
    }

    /// Producer: hands the buffer last acquired, filled with `count` bytes, to the consumer.
    func commit(_ count: Int) {
        lock.lock()
        lengths[tail % buffers.count] = count
        tail += 1
        lock.unlock()
        filled.signal()
    }

    func finish(_ error: SheetsError?) {
        lock.lock(); finished = true; failure = error; lock.unlock()
        filled.signal()
        producerDone.signal()
    }

    /// Consumer: the next chunk, or nil at the end (or on the producer's error).
    func take() -> UnsafeRawBufferPointer? {
        filled.wait()
        lock.lock()
        defer { lock.unlock() }
        guard head < tail else { return nil }
        let i = head % buffers.count
        return UnsafeRawBufferPointer(start: buffers[i].baseAddress, count: lengths[i])
    }

    func release() {
        lock.lock(); head += 1; lock.unlock()
        free.signal()
    }

    func cancel() {
        lock.lock(); cancelled = true; lock.unlock()
        free.signal()
    }

    func waitForProducer() { producerDone.wait() }
}
