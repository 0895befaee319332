// Support: work started on another core now, its result taken later (waiting for it then).
// The run lists the inbox while the plan is read, compiles the templates while the inbox is
// listed, and judges the reports while their versions are checked.
import Foundation

public final class Later<T>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchGroup()

    public init(_ work: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.done.leave()
        }
    }

    /// The work's result, once it is done.
    public var value: T {
        done.wait()
        return result!
    }
}
