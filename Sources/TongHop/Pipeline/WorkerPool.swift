// Pipeline: reading and checking each file in a worker process of its own, under a CPU-time
// and a memory limit. A worker killed by a limit, or crashing, turns into an
// `unreadable-file` finding naming what happened; it is replaced and the run goes on. Only
// the parent writes the ledger. Some hostile files are stopped by nothing else (one XML
// element with 200,000 attributes costs libxml2 minutes of CPU).
import Foundation
import Sheets

/// A file's result as it crosses the pipe: plan objects by their ids.
public struct WireResult: Sendable {
    struct Submission: Sendable {
        var unit: String?
        var form: String
        var period: String?
        var sheet: String
        var findings: [Finding]
        var rows: [RowValues]
        var columns: [String: Int]?
    }

    var file: String
    var format: String?
    var findings: [Finding]
    var submissions: [Submission]

    init(_ r: FileResult) {
        file = r.file
        format = r.format?.rawValue
        findings = r.findings
        submissions = r.submissions.map {
            Submission(unit: $0.unit?.code, form: $0.form.id, period: $0.period?.description, sheet: $0.sheet,
                       findings: $0.findings, rows: $0.rows, columns: $0.columns)
        }
    }

    func result(plan: Plan) -> FileResult {
        FileResult(file: file, format: format.flatMap(SpreadsheetFormat.init), submissions: submissions.compactMap { s in
            plan.form(s.form).map { form in
                SubmissionResult(unit: s.unit.flatMap { plan.unit($0) }, form: form, period: s.period.flatMap(Period.init),
                                 sheet: s.sheet, findings: s.findings, rows: s.rows, columns: s.columns ?? [:])
            }
        }, findings: findings)
    }

    /// The result as bytes: lengths and integers as varints, text as UTF-8, numbers as their
    /// 64 bits; every value exactly as it was, at a fraction of JSON's cost both ways.
    func encoded() -> [UInt8] {
        var w = WireWriter()
        w.bytes.reserveCapacity(4096)
        w.string(file)
        w.optional(format) { $0.string($1) }
        w.findings(findings)
        w.int(submissions.count)
        for s in submissions {
            w.optional(s.unit) { $0.string($1) }
            w.string(s.form)
            w.optional(s.period) { $0.string($1) }
            w.string(s.sheet)
            w.findings(s.findings)
            w.int(s.rows.count)
            for r in s.rows {
                w.optional(r.key) { $0.string($1) }
                w.int(r.row)
                w.int(r.numbers.count)
                for (k, v) in r.numbers { w.string(k); w.double(v) }
                w.int(r.texts.count)
                for (k, v) in r.texts { w.string(k); w.string(v) }
                w.int(r.missing.count)
                for m in r.missing { w.string(m) }
            }
            w.optional(s.columns) { w, columns in
                w.int(columns.count)
                for (k, v) in columns { w.string(k); w.int(v) }
            }
        }
        return w.bytes
    }

    /// The result `encoded()` wrote; nil when the bytes are not one.
    init?(decoding bytes: [UInt8]) {
        var r = WireReader(bytes)
        guard let file = r.string(), let format = r.optional({ $0.string() }), let findings = r.findings(),
              let count = r.count() else { return nil }
        var submissions: [Submission] = []
        for _ in 0..<count {
            guard let unit = r.optional({ $0.string() }), let form = r.string(), let period = r.optional({ $0.string() }),
                  let sheet = r.string(), let findings = r.findings(), let rowCount = r.count() else { return nil }
            var rows: [RowValues] = []
            rows.reserveCapacity(rowCount)
            for _ in 0..<rowCount {
                guard let key = r.optional({ $0.string() }), let row = r.int(), let n = r.count() else { return nil }
                var numbers: [String: Double] = [:]
                // At least nine bytes a number: a count beyond what is left is not believed.
                numbers.reserveCapacity(min(n, r.remaining / 9))
                for _ in 0..<n {
                    guard let k = r.string(), let v = r.double() else { return nil }
                    numbers[k] = v
                }
                guard let t = r.count() else { return nil }
                var texts: [String: String] = [:]
                for _ in 0..<t {
                    guard let k = r.string(), let v = r.string() else { return nil }
                    texts[k] = v
                }
                guard let m = r.count() else { return nil }
                var missing: [String] = []
                for _ in 0..<m {
                    guard let k = r.string() else { return nil }
                    missing.append(k)
                }
                rows.append(RowValues(key: key, row: row, numbers: numbers, texts: texts, missing: missing))
            }
            guard let columns = r.optional({ (r: inout WireReader) -> [String: Int]? in
                guard let n = r.count() else { return nil }
                var columns: [String: Int] = [:]
                for _ in 0..<n {
                    guard let k = r.string(), let v = r.int() else { return nil }
                    columns[k] = v
                }
                return columns
            }) else { return nil }
            submissions.append(Submission(unit: unit, form: form, period: period, sheet: sheet, findings: findings, rows: rows,
                                          columns: columns))
        }
        guard r.atEnd else { return nil }
        self.file = file
        self.format = format
        self.findings = findings
        self.submissions = submissions
    }
}

/// Writes the wire's values.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64(v << 1) ^ Int64(v >> 63))  // zigzag: small negatives stay short
        while u >= 0x80 { bytes.append(UInt8(u & 0x7F) | 0x80); u >>= 7 }
        bytes.append(UInt8(u))
    }

    mutating func string(_ s: String) {
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    mutating func double(_ d: Double) { Self.append64(d.bitPattern, to: &bytes) }

    /// `v` as 8 bytes, little-endian: a number's bits, a frame's length.
    static func fixed64(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        append64(v, to: &out)
        return out
    }

    /// `fixed64(v)` appended to `bytes`, with no array of its own.
    static func append64(_ v: UInt64, to bytes: inout [UInt8]) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    mutating func optional<T>(_ v: T?, _ write: (inout WireWriter, T) -> Void) {
        guard let v else { bytes.append(0); return }
        bytes.append(1)
        write(&self, v)
    }

    mutating func findings(_ list: [Finding]) {
        int(list.count)
        for f in list {
            string(f.severity.rawValue)
            string(f.code.rawValue)
            string(f.file)
            optional(f.sheet) { $0.string($1) }
            optional(f.cell) { $0.string($1) }
            optional(f.value) { $0.string($1) }
            string(f.vi)
            string(f.en)
            optional(f.hint) { $0.string($1.vi); $0.string($1.en) }
            optional(f.row) { $0.int($1) }
            optional(f.column) { $0.int($1) }
        }
    }
}

/// Reads what `WireWriter` wrote; every read is nil past the end or on a value out of shape.
struct WireReader {
    private let bytes: [UInt8]
    private var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { at == bytes.count }
    /// The bytes not read yet.
    var remaining: Int { bytes.count - at }

    mutating func int() -> Int? {
        var u: UInt64 = 0, shift: UInt64 = 0
        while at < bytes.count, shift < 64 {
            let b = bytes[at]
            at += 1
            u |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return Int(Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)) }
            shift += 7
        }
        return nil
    }

    /// A count of items that follow: never more than the bytes left could hold.
    mutating func count() -> Int? {
        guard let n = int(), n >= 0, n <= bytes.count - at else { return nil }
        return n
    }

    mutating func string() -> String? {
        guard let n = count() else { return nil }
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    mutating func double() -> Double? {
        guard let b = Self.fixed64(bytes[at...]) else { return nil }
        at += 8
        return Double(bitPattern: b)
    }

    /// The 8 little-endian bytes `WireWriter.fixed64` wrote, at the start of `bytes`.
    static func fixed64(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count >= 8 else { return nil }
        return (0..<8).reduce(0) { $0 | UInt64(bytes[bytes.startIndex + $1]) << (8 * $1) }
    }

    /// `.some(nil)` for an absent value, nil when the bytes are not an optional.
    mutating func optional<T>(_ read: (inout WireReader) -> T?) -> T?? {
        guard at < bytes.count else { return nil }
        let flag = bytes[at]
        at += 1
        switch flag {
        case 0: return .some(nil)
        case 1: return read(&self).map { .some($0) }
        default: return nil
        }
    }

    mutating func findings() -> [Finding]? {
        guard let n = count() else { return nil }
        var out: [Finding] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let severity = string().flatMap(Severity.init(rawValue:)), let code = string().flatMap(Finding.Code.init(rawValue:)),
                  let file = string(), let sheet = optional({ $0.string() }), let cell = optional({ $0.string() }),
                  let value = optional({ $0.string() }), let vi = string(), let en = string(),
                  let hint = optional({ (r: inout WireReader) -> Message.Hint? in
                      guard let vi = r.string(), let en = r.string() else { return nil }
                      return Message.Hint(vi: vi, en: en)
                  }),
                  let row = optional({ $0.int() }), let column = optional({ $0.int() }) else { return nil }
            var f = Finding(severity, code, file: file, sheet: sheet, cell: cell, value: value, vi: vi, en: en)
            f.hint = hint
            f.row = row
            f.column = column
            out.append(f)
        }
        return out
    }

    /// A frame's length: 8 bytes, little-endian, at the start of `bytes`.
    static func length(_ bytes: ArraySlice<UInt8>) -> Int? {
        fixed64(bytes).map { $0 > UInt64(Int.max) ? Int.max : Int($0) }
    }

    /// A length as a frame's first 8 bytes.
    static func header(_ count: Int) -> [UInt8] { WireWriter.fixed64(UInt64(count)) }
}

public struct WorkerLimits: Sendable {
    /// CPU seconds one file may take.
    public var cpuSeconds = 60
    /// Address space of a worker, in MiB.
    public var memoryMiB = 3072
    /// Wall-clock seconds before the parent gives up on a worker (a stall, not CPU).
    public var wallSeconds = 180

    public init() {}
}

/// The worker's side: one request after another on standard input, each a frame naming the
/// file followed by the file's bytes; one result frame out for each (`WireReader.header`
/// then `WireResult.encoded()`). The worker never opens the file: it reads the bytes the
/// parent hashed.
public enum WorkerLoop {
    /// A request: the file's place in the inbox and how many bytes follow.
    struct Request {
        var relative: String
        var size: Int

        func encoded() -> [UInt8] {
            var w = WireWriter()
            w.string(relative)
            w.int(size)
            return WireReader.header(w.bytes.count) + w.bytes
        }

        init(relative: String, size: Int) {
            self.relative = relative
            self.size = size
        }

        init?(decoding bytes: [UInt8]) {
            var r = WireReader(bytes)
            guard let relative = r.string(), let size = r.int(), r.atEnd else { return nil }
            self.init(relative: relative, size: size)
        }
    }

    public static func run(plan: Plan, limits: WorkerLimits, readLimits: ReadLimits = .default) {
        // A worker dies with its parent: a killed run leaves nothing reading behind it.
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { usleep(100_000) }
            _exit(0)
        }
        // An address-space limit cannot coexist with AddressSanitizer's shadow memory: under
        // `make test-asan` the workers run without it.
        if dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") == nil {
            var memory = rlimit(rlim_cur: rlim_t(limits.memoryMiB) << 20, rlim_max: rlim_t(limits.memoryMiB) << 20)
            setrlimit(Int32(RLIMIT_AS.rawValue), &memory)
        }
        // An ignored or blocked SIGXCPU survives exec: make sure going over the CPU limit
        // ends the worker.
        signal(SIGXCPU, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGXCPU)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        var input = StandardInput()
        while let header = input.bytes(8), let length = WireReader.length(header[...]), length <= 1 << 20,
              let frame = input.bytes(length), let request = Request(decoding: frame), request.size >= 0,
              let bytes = input.data(request.size) {
            // The CPU budget of this file: what the worker has used so far plus the allowance.
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
            var cpu = rlimit(rlim_cur: rlim_t(used + limits.cpuSeconds), rlim_max: rlim_t(used + limits.cpuSeconds + 2))
            setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
            let result = FileCheck.check(bytes: bytes, relative: request.relative, plan: plan, limits: readLimits)
            let payload = WireResult(result).encoded()
            writeAll(WireReader.header(payload.count) + payload)
        }
    }

    /// Writes all of `bytes` to standard output.
    static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = write(STDOUT_FILENO, p.baseAddress! + done, p.count - done)
                if n < 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }
}

/// Standard input, unbuffered by stdio: request frames and the raw bytes after each. What was
/// read and not yet taken is kept from `start` on, moved to the front only when the buffer
/// must grow, so taking bytes never copies what follows them.
struct StandardInput {
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    /// Reads until `wanted` bytes are held (or the input ends), never waiting for more than
    /// that; false when nothing more came.
    private mutating func fill(atLeast wanted: Int) -> Bool {
        guard !ended else { return false }
        if start > 0 && (start == buffer.count || buffer.count + (1 << 16) > buffer.capacity) {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let needed = wanted - (buffer.count - start)
        let room = max(1 << 16, needed)
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        var filled = 0
        while filled < needed {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress! + old + filled, room - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ended = true; break }
            filled += n
        }
        buffer.removeSubrange((old + filled)...)
        return filled > 0
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        while buffer.count - start < count { if !fill(atLeast: count) { return nil } }
        let out = Array(buffer[start..<start + count])
        start += count
        return out
    }

    /// A file's bytes: what the buffer already holds of them, the rest read straight into
    /// their own storage, so a large file is held once while it is checked (not once in the
    /// buffer and again in copies of it).
    mutating func data(_ count: Int) -> Data? {
        var out = Data(count: count)
        let held = min(buffer.count - start, count)
        if held > 0 {
            out.withUnsafeMutableBytes { o in
                buffer.withUnsafeBytes { b in o.baseAddress!.copyMemory(from: b.baseAddress! + start, byteCount: held) }
            }
            start += held
        }
        if start == buffer.count { buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20); start = 0 }
        var filled = held
        while filled < count {
            let n = out.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress! + filled, count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ended = true; return nil }
            filled += n
        }
        return out
    }
}

/// What checking a file gave: a result to record, or a reason it could not be checked this
/// time (the machine's fault, not the file's), to say and to try again on the next run.
public enum CheckOutcome: Sendable {
    case checked(FileResult)
    case notThisTime(String)
}

/// The parent's side: long-lived workers, one file at a time each.
public final class WorkerPool: @unchecked Sendable {
    final class Worker {
        let process: Process
        let input: FileHandle
        let output: Int32
        var buffer: [UInt8] = []
        /// The last read gave up at its deadline (the worker is alive but silent).
        var timedOut = false

        init(process: Process, input: FileHandle, output: Int32) {
            self.process = process
            self.input = input
            self.output = output
        }
    }

    let executable: String
    let arguments: [String]
    let limits: WorkerLimits
    let plan: Plan
    private var idle: [Worker] = []
    private let lock = NSLock()
    private let available: DispatchSemaphore
    private let size: Int

    public init(executable: String, arguments: [String], size: Int, limits: WorkerLimits, plan: Plan) {
        self.executable = executable
        self.arguments = arguments
        self.limits = limits
        self.plan = plan
        self.size = size
        // A worker that dies while its request is written must not take the parent with it.
        signal(SIGPIPE, SIG_IGN)
        available = DispatchSemaphore(value: 0)
        for _ in 0..<size { available.signal() }
    }

    deinit {
        for w in idle { w.process.terminate(); try? w.input.close(); close(w.output) }
    }

    /// Ends the idle workers and waits for them (their CPU time then counts as the run's
    /// children's): each is told no more files are coming, and killed if it has not left
    /// within two seconds.
    public func shutdown() {
        lock.lock()
        let workers = idle
        idle = []
        lock.unlock()
        for w in workers { try? w.input.close() }
        for w in workers {
            let deadline = Date().addingTimeInterval(2)
            while w.process.isRunning && Date() < deadline { usleep(5_000) }
            if w.process.isRunning { kill(w.process.processIdentifier, SIGKILL) }
            w.process.waitUntilExit()
            close(w.output)
        }
    }

    private func spawn() throws -> Worker {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let toWorker = Pipe(), fromWorker = Pipe()
        p.standardInput = toWorker
        p.standardOutput = fromWorker
        p.standardError = FileHandle.nullDevice
        try p.run()
        let fd = dup(fromWorker.fileHandleForReading.fileDescriptor)
        return Worker(process: p, input: toWorker.fileHandleForWriting, output: fd)
    }

    /// Checks one file's bytes in a worker. A worker that dies or overruns under the usual
    /// limits is a finding on those bytes; under limits lowered on the command line, or
    /// stalled without using its CPU, it says nothing about the file: not checked this time.
    public func check(bytes: Data, relative: String) -> CheckOutcome {
        available.wait()
        defer { available.signal() }
        // An idle worker that died meanwhile (killed from outside) is not this file's doing:
        // it is put aside and another takes the file.
        var worker: Worker?
        lock.lock()
        while worker == nil, let w = idle.popLast() {
            if w.process.isRunning { worker = w } else { try? w.input.close(); close(w.output) }
        }
        lock.unlock()
        do {
            if worker == nil { worker = try spawn() }
        } catch {
            // Never read without the limits: a worker that cannot start is the machine's state.
            return .notThisTime("không khởi động được tiến trình đọc tệp (\(error.localizedDescription)); chưa ghi gì, lần chạy sau sẽ đọc lại")
        }
        let w = worker!
        let request = WorkerLoop.Request(relative: relative, size: bytes.count).encoded()
        if send(Data(request), to: w.input.fileDescriptor), send(bytes, to: w.input.fileDescriptor),
           let frame = readFrame(w, timeout: limits.wallSeconds), let wire = WireResult(decoding: frame) {
            lock.lock(); idle.append(w); lock.unlock()
            return .checked(wire.result(plan: plan))
        }
        // The worker died or stalled: say why, and let a new one take its place.
        let stalled = w.timedOut
        if w.process.isRunning { kill(w.process.processIdentifier, SIGKILL) }
        w.process.waitUntilExit()
        try? w.input.close()
        close(w.output)
        let usual = WorkerLimits()
        let signal = w.process.terminationReason == .uncaughtSignal ? w.process.terminationStatus : 0
        if stalled {
            return .notThisTime("đọc tệp không xong sau \(limits.wallSeconds) giây mà không dùng hết thời gian máy (máy đang quá tải?); chưa ghi gì, lần chạy sau sẽ đọc lại")
        }
        if limits.cpuSeconds < usual.cpuSeconds, signal == SIGXCPU || signal == SIGKILL {
            return .notThisTime("đọc tệp cần hơn \(limits.cpuSeconds) giây máy, giới hạn đã hạ bằng --file-cpu-seconds (thường là \(usual.cpuSeconds)); chưa ghi gì, chạy lại với giới hạn thường để đọc")
        }
        if limits.memoryMiB < usual.memoryMiB, signal != SIGXCPU {
            return .notThisTime("chương trình đọc dừng khi bộ nhớ bị giới hạn \(limits.memoryMiB) MB bằng --file-memory-mb (thường là \(usual.memoryMiB)); chưa ghi gì, chạy lại với giới hạn thường để đọc")
        }
        return .checked(FileResult(file: relative, format: nil, submissions: [], findings: [Self.finding(w.process, relative, limits, stalled: stalled)]))
    }

    /// Writes all of `data` to a worker's standard input; false when the worker is gone.
    private func send(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { p in
            var done = 0
            while done < p.count {
                let n = write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
    }

    static func finding(_ p: Process, _ relative: String, _ limits: WorkerLimits, stalled: Bool) -> Finding {
        let signal = p.terminationReason == .uncaughtSignal ? p.terminationStatus : 0
        let (vi, en): (String, String)
        switch signal {
        // SIGXCPU is the soft CPU limit; a SIGKILL that the parent did not send (not stalled)
        // is the hard one.
        case let s where s == SIGXCPU || (s == SIGKILL && !stalled):
            (vi, en) = ("đọc tệp tốn hơn \(limits.cpuSeconds) giây máy [cpu-time]", "reading it took more than \(limits.cpuSeconds) CPU seconds [cpu-time]")
        case SIGKILL:
            (vi, en) = ("đọc tệp không xong sau \(limits.wallSeconds) giây [wall-time]", "reading it did not finish in \(limits.wallSeconds) seconds [wall-time]")
        case SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS:
            (vi, en) = ("chương trình đọc dừng đột ngột (có thể do hết bộ nhớ cho phép \(limits.memoryMiB) MB [memory]; tín hiệu \(signal))",
                        "the reader stopped abruptly (perhaps the \(limits.memoryMiB) MB memory limit [memory]; signal \(signal))")
        default:
            (vi, en) = ("chương trình đọc dừng đột ngột (mã \(p.terminationStatus))", "the reader stopped abruptly (status \(p.terminationStatus))")
        }
        return Finding(.error, .unreadableFile, file: relative,
                       vi: "Không đọc được tệp: \(vi). Tệp có thể bị hỏng hoặc có nội dung bất thường. Cách sửa: mở bằng Excel, lưu thành tệp .xlsx mới rồi gửi lại; nếu vẫn lỗi, báo cho Ban.",
                       en: "The file cannot be read: \(en). It may be damaged or hostile. To fix: open it in Excel, save a new .xlsx and send it again.")
    }

    /// One result frame from the worker, or nil on end of file or after `timeout` seconds.
    private func readFrame(_ w: Worker, timeout: Int) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let length = WireReader.length(w.buffer[...]), w.buffer.count - 8 >= length {
                let frame = Array(w.buffer[8..<8 + length])
                w.buffer.removeSubrange(0..<8 + length)
                return frame
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { w.timedOut = true; return nil }
            var fds = pollfd(fd: w.output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(left, 1) * 1000))
            if ready < 0 { if errno == EINTR { continue }; return nil }
            if ready == 0 { continue }
            let n = read(w.output, &chunk, chunk.count)
            if n <= 0 { return nil }
            w.buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
