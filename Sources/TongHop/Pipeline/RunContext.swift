// Pipeline: what every stage of a run shares, made once when the run starts — the day it
// judges by, when it started, the limits on reading, the language it speaks, its clock, the
// moments at which a test may step in, and the stage timings.
import Foundation
import Sheets

/// Moments of a run at which a caller may act: tests use them to replace a file between
/// hashing and checking, or to kill the run after some files are recorded. The library never
/// reads them from the environment; the program (`tonghop run`) may, and passes them here.
public struct RunHooks: Sendable {
    /// After the inbox is listed, with the inbox folder.
    public var afterList: (@Sendable (String) -> Void)?
    /// After a new file is read and hashed, with its path.
    public var afterHash: (@Sendable (String) -> Void)?
    /// After each new file is recorded (its transaction committed), with how many this run
    /// has recorded.
    public var afterRecord: (@Sendable (Int) -> Void)?
    /// When the period's new folder is written and synced, before it replaces the old one.
    public var beforeRename: (@Sendable () -> Void)?
    /// When an annotated copy is written in the staging folder, before it is read back.
    public var afterAnnotatedCopy: (@Sendable () -> Void)?

    public init(afterList: (@Sendable (String) -> Void)? = nil, afterHash: (@Sendable (String) -> Void)? = nil,
                afterRecord: (@Sendable (Int) -> Void)? = nil, beforeRename: (@Sendable () -> Void)? = nil,
                afterAnnotatedCopy: (@Sendable () -> Void)? = nil) {
        self.afterList = afterList
        self.afterHash = afterHash
        self.afterRecord = afterRecord
        self.beforeRename = beforeRename
        self.afterAnnotatedCopy = afterAnnotatedCopy
    }
}

/// The run's shared facts, made once by `RunJob.run` and handed to each stage.
public struct RunContext: Sendable {
    public var asOf: Day
    /// When the run started, by its clock.
    public var startedAt: Date
    public var limits: ReadLimits
    public var workerLimits: WorkerLimits
    public var language: Language
    public var clock: @Sendable () -> Date
    public var hooks: RunHooks
    public var timings: RunTimings

    public init(asOf: Day, limits: ReadLimits = .default, workerLimits: WorkerLimits = WorkerLimits(), language: Language = .vi,
                clock: @escaping @Sendable () -> Date = { Date() }, hooks: RunHooks = RunHooks(), timings: RunTimings = RunTimings()) {
        self.asOf = asOf
        self.startedAt = clock()
        self.limits = limits
        self.workerLimits = workerLimits
        self.language = language
        self.clock = clock
        self.hooks = hooks
        self.timings = timings
    }

    /// The run's row in the ledger: its as-of day and start time.
    var stamp: Ledger.RunStamp {
        Ledger.RunStamp(asOf: asOf, startedAt: ISO8601DateFormatter().string(from: startedAt))
    }
}

/// The stages a run's time is counted in. Reading a file and checking what it holds happen
/// together, in the worker processes (or threads), so they are one stage.
public enum RunStage: String, Sendable, CaseIterable {
    case plan = "plan"
    case opening = "opening"
    case listing = "listing+hashing"
    case checking = "reading+identification+layout+validation (workers)"
    case recording = "recording"
    case consolidation = "judging+consolidation+targets"
    case rendering = "rendering HTML/CSV/XLSX"
    case annotated = "annotated copies"
    case publishing = "publishing"
    case otherPeriods = "other periods+index"

    /// The stage's name as a clerk's log shows it.
    public func name(_ language: Language) -> String {
        guard language == .vi else {
            switch self {
            case .plan: return "reading the plan"
            case .opening: return "templates, lock and ledger"
            case .listing: return "listing + hashing"
            case .checking: return "reading + identification + layout + validation (in workers)"
            case .recording: return "recording"
            case .consolidation: return "deadlines + consolidation + targets"
            case .rendering: return "rendering HTML/CSV/XLSX"
            case .annotated: return "annotated copies"
            case .publishing: return "publishing"
            case .otherPeriods: return "other periods + period index"
            }
        }
        switch self {
        case .plan: return "đọc kế hoạch"
        case .opening: return "mẫu báo cáo, khóa và sổ cái"
        case .listing: return "liệt kê + băm tệp"
        case .checking: return "đọc + nhận diện + bố cục + kiểm tra (trong tiến trình đọc)"
        case .recording: return "ghi sổ cái"
        case .consolidation: return "xét hạn + tổng hợp + chỉ tiêu"
        case .rendering: return "viết HTML/CSV/XLSX"
        case .annotated: return "bản sao có ghi chú"
        case .publishing: return "xuất bản"
        case .otherPeriods: return "các kỳ khác + mục lục kỳ"
        }
    }
}

/// Wall-clock and CPU seconds per stage. CPU is this process's (every thread) and its
/// finished children's (the worker processes, counted once they exit: the pool of a run
/// ends with the checking stage), from `getrusage`.
public final class RunTimings: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var stage: RunStage
        public var wall: Double
        public var cpu: Double
    }

    private let lock = NSLock()
    private var totals: [RunStage: (wall: Double, cpu: Double)] = [:]
    private let startWall: Double
    private let startCPU: Double

    public init() {
        startWall = Self.wallNow()
        startCPU = Self.cpuNow()
    }

    private var running: (stage: RunStage, wall: Double, cpu: Double)?

    /// From now on the time is `stage`'s (until the next `enter` or `leave`): a stopwatch
    /// switched between stages, so that no moment is counted twice.
    public func enter(_ stage: RunStage) {
        let wall = Self.wallNow(), cpu = Self.cpuNow()
        lock.lock()
        let previous = running
        running = (stage, wall, cpu)
        lock.unlock()
        if let previous { add(previous.stage, wall: wall - previous.wall, cpu: cpu - previous.cpu) }
    }

    /// The stage being counted now, if any.
    public var current: RunStage? {
        lock.lock(); defer { lock.unlock() }
        return running?.stage
    }

    /// Stops counting time for any stage.
    public func leave() {
        let wall = Self.wallNow(), cpu = Self.cpuNow()
        lock.lock()
        let previous = running
        running = nil
        lock.unlock()
        if let previous { add(previous.stage, wall: wall - previous.wall, cpu: cpu - previous.cpu) }
    }

    /// Runs `body` as `stage`, then goes back to counting no stage.
    public func measure<T, E: Error>(_ stage: RunStage, _ body: () throws(E) -> T) throws(E) -> T {
        enter(stage)
        defer { leave() }
        return try body()
    }

    func add(_ stage: RunStage, wall: Double, cpu: Double) {
        lock.lock()
        let t = totals[stage] ?? (0, 0)
        totals[stage] = (t.wall + wall, t.cpu + cpu)
        lock.unlock()
    }

    /// Every stage, in the order of the run, with zero for a stage that did not happen.
    public var entries: [Entry] {
        lock.lock(); defer { lock.unlock() }
        return RunStage.allCases.map { Entry(stage: $0, wall: totals[$0]?.wall ?? 0, cpu: totals[$0]?.cpu ?? 0) }
    }

    /// Wall and CPU seconds since these timings began.
    public var total: (wall: Double, cpu: Double) { (Self.wallNow() - startWall, Self.cpuNow() - startCPU) }

    /// The table `tonghop run --timings` prints.
    public func table(_ language: Language) -> String {
        let vi = language == .vi
        let rows = entries
        let total = self.total
        let names = rows.map { $0.stage.name(language) } + [vi ? "tổng (cả lúc giữa các giai đoạn)" : "total (including between stages)"]
        let width = names.map(\.count).max() ?? 0
        func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        func seconds(_ x: Double) -> String {
            let s = String(format: "%.3f", x)
            return String(repeating: " ", count: max(0, 9 - s.count)) + s
        }
        var lines = [pad(vi ? "giai đoạn" : "stage") + "  " + (vi ? " giây đồng hồ" : "  wall s") + "  " + (vi ? "giây máy" : "   CPU s")]
        for r in rows { lines.append(pad(r.stage.name(language)) + "  " + seconds(r.wall) + "  " + seconds(r.cpu)) }
        lines.append(pad(names.last!) + "  " + seconds(total.wall) + "  " + seconds(total.cpu))
        return lines.joined(separator: "\n")
    }

    /// One line for the run log: `stage=wall/cpu` for each stage, then the total.
    public func logLine(_ language: Language = .vi) -> String {
        let total = self.total
        return (language == .vi ? "thời gian (giây đồng hồ/giây máy): " : "timings (wall/CPU seconds): ") + entries.map { "\($0.stage.rawValue)=\(String(format: "%.3f/%.3f", $0.wall, $0.cpu))" }
            .joined(separator: " ") + " total=" + String(format: "%.3f/%.3f", total.wall, total.cpu)
    }

    static func wallNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func cpuNow() -> Double {
        func seconds(_ who: Int32) -> Double {
            var u = rusage()
            getrusage(who, &u)
            return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
        }
        return seconds(RUSAGE_SELF.rawValue) + seconds(RUSAGE_CHILDREN.rawValue)
    }
}
