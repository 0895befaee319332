import Foundation
import Testing

/// Runs `body` on a thread of its own and waits at most `seconds` for it. A body that does not
/// finish in time is a failed test that says so (`what` names the wait), not a suite that
/// hangs: the stuck thread is left behind and the run goes on to the next test.
func withWatchdog<T: Sendable>(seconds: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: @escaping @Sendable () throws -> T) -> Result<T, any Error>? {
    let box = WatchdogBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try body() }
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else {
        Issue.record("\(what): still running after \(seconds) s — stopped waiting (a hang)", sourceLocation: sourceLocation)
        return nil
    }
    return box.result
}

/// The body's result, written by its thread before it signals, read after the wait.
private final class WatchdogBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
