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

/// The worker's side: one request per line on standard input, one result per line out.
public enum WorkerLoop {
    public struct Request: Codable {
        public var path: String
        public var relative: String
    }

    public static func run(plan: Plan, limits: WorkerLimits, readLimits: ReadLimits = .default) {
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
        while let line = readLine(strippingNewline: true) {
            guard let request = try? decoder.decode(Request.self, from: Data(line.utf8)) else { continue }
            // The CPU budget of this file: what the worker has used so far plus the allowance.
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
            var cpu = rlimit(rlim_cur: rlim_t(used + limits.cpuSeconds), rlim_max: rlim_t(used + limits.cpuSeconds + 2))
            setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
            let result = FileCheck.check(path: request.path, relative: request.relative, plan: plan, limits: readLimits)
            guard let data = try? encoder.encode(WireResult(result)) else { continue }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }
}

/// The parent's side: long-lived workers, one file at a time each.
final class WorkerPool: @unchecked Sendable {
    final class Worker {
        let process: Process
        let input: FileHandle
        let output: Int32
        var buffer = Data()

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

    init(executable: String, arguments: [String], size: Int, limits: WorkerLimits, plan: Plan) {
        self.executable = executable
        self.arguments = arguments
        self.limits = limits
        self.plan = plan
        self.size = size
        available = DispatchSemaphore(value: 0)
        for _ in 0..<size { available.signal() }
    }

    deinit {
        for w in idle { w.process.terminate(); try? w.input.close(); close(w.output) }
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

    /// Checks one file in a worker; a worker that dies or overruns becomes a finding.
    func check(path: String, relative: String) -> FileResult {
        available.wait()
        defer { available.signal() }
        lock.lock()
        var worker = idle.popLast()
        lock.unlock()
        do {
            if worker == nil { worker = try spawn() }
        } catch {
            return FileCheck.check(path: path, relative: relative, plan: plan)
        }
        let w = worker!
        let request = (try? JSONEncoder().encode(WorkerLoop.Request(path: path, relative: relative))) ?? Data()
        w.input.write(request + Data("\n".utf8))
        if let line = readLine(w, timeout: limits.wallSeconds),
           let wire = try? JSONDecoder().decode(WireResult.self, from: line) {
            lock.lock(); idle.append(w); lock.unlock()
            return wire.result(plan: plan)
        }
        // The worker died or stalled: say why, and let a new one take its place.
        let stalled = w.process.isRunning
        if stalled { kill(w.process.processIdentifier, SIGKILL) }
        w.process.waitUntilExit()
        try? w.input.close()
        close(w.output)
        return FileResult(file: relative, format: nil, submissions: [], findings: [Self.finding(w.process, relative, limits, stalled: stalled)])
    }

    static func finding(_ p: Process, _ relative: String, _ limits: WorkerLimits, stalled: Bool) -> Finding {
        let signal = p.terminationReason == .uncaughtSignal ? p.terminationStatus : 0
        let (vi, en): (String, String)
        switch signal {
        // SIGKILL that the parent did not send is the hard CPU limit.
        case SIGXCPU, SIGKILL where !stalled:
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
            guard left > 0 else { return nil }
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
