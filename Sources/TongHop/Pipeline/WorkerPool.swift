// Pipeline: reading and checking each file in a worker process of its own, under a CPU-time
// and a memory limit. A worker killed by a limit, or crashing, turns into an
// `unreadable-file` finding naming what happened; it is replaced and the run goes on. Only
// the parent writes the ledger. Some hostile files are stopped by nothing else (one XML
// element with 200,000 attributes costs libxml2 minutes of CPU).
import Foundation
import Sheets

/// A file's result as it crosses the pipe: plan objects by their ids.
public struct WireResult: Codable, Sendable {
    struct Submission: Codable, Sendable {
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

/// The worker's side: one request per line on standard input, followed by the file's bytes;
/// one result per line out. The worker never opens the file: it reads the bytes the parent
/// hashed.
public enum WorkerLoop {
    public struct Request: Codable {
        public var relative: String
        public var size: Int
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
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        var input = StandardInput()
        while let line = input.line() {
            guard let request = try? decoder.decode(Request.self, from: line), request.size >= 0,
                  let bytes = input.bytes(request.size) else { return }
            // The CPU budget of this file: what the worker has used so far plus the allowance.
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
            var cpu = rlimit(rlim_cur: rlim_t(used + limits.cpuSeconds), rlim_max: rlim_t(used + limits.cpuSeconds + 2))
            setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
            let result = FileCheck.check(bytes: bytes, relative: request.relative, plan: plan, limits: readLimits)
            guard let data = try? encoder.encode(WireResult(result)) else { continue }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}

/// Standard input, unbuffered by stdio: request lines and the raw bytes after each.
struct StandardInput {
    private var buffer = Data()
    private var ended = false

    private mutating func fill() -> Bool {
        guard !ended else { return false }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(STDIN_FILENO, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ended = true; return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    mutating func line() -> Data? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[buffer.startIndex..<nl])
                buffer = Data(buffer[(nl + 1)...])
                return line
            }
            if !fill() { return nil }
        }
    }

    mutating func bytes(_ count: Int) -> Data? {
        while buffer.count < count { if !fill() { return nil } }
        let out = Data(buffer.prefix(count))
        buffer = Data(buffer.dropFirst(count))
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
        var buffer = Data()
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
        var message = (try? JSONEncoder().encode(WorkerLoop.Request(relative: relative, size: bytes.count))) ?? Data()
        message.append(0x0A)
        message.append(bytes)
        if send(message, to: w.input.fileDescriptor), let line = readLine(w, timeout: limits.wallSeconds),
           let wire = try? JSONDecoder().decode(WireResult.self, from: line) {
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

    /// One line from the worker, or nil on end of file or after `timeout` seconds.
    private func readLine(_ w: Worker, timeout: Int) -> Data? {
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let nl = w.buffer.firstIndex(of: 0x0A) {
                let line = w.buffer[w.buffer.startIndex..<nl]
                w.buffer = Data(w.buffer[(nl + 1)...])
                return Data(line)
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
