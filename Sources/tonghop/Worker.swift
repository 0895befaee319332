import ArgumentParser
import Foundation
import TongHop

/// The worker `tonghop run` starts for each core: reads a file per request line on standard
/// input and answers with its result, under a CPU and a memory limit. Not for people.
struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(shouldDisplay: false)

    @Option(name: .long)
    var plan: String

    @Option(name: .customLong("cpu-seconds"))
    var cpuSeconds = 60

    @Option(name: .customLong("memory-mb"))
    var memoryMB = 3072

    func run() throws {
        let loaded: Plan
        do { loaded = try PlanLoader.load(folder: plan) } catch { throw ExitCode(Exit.operational) }
        var limits = WorkerLimits()
        limits.cpuSeconds = cpuSeconds
        limits.memoryMiB = memoryMB
        WorkerLoop.run(plan: loaded, limits: limits)
    }

    /// This program's own path, to start workers of it.
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
