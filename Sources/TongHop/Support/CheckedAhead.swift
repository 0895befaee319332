// Support: results made on several threads in any order and taken one by one in order, with
// the makers never more than a set number of items ahead of the taker.
import Foundation

final class CheckedAhead<T>: @unchecked Sendable {
    private let count: Int
    private let ahead: Int
    private var items: [Int: T] = [:]
    /// The next index to hand to a maker, and how many the taker has taken.
    private var next = 0
    private var taken = 0
    private var stopped = false
    private let condition = NSCondition()

    init(count: Int, ahead: Int) {
        self.count = count
        self.ahead = max(ahead, 1)
    }

    /// The next index to make, once it is within `ahead` of the taker; nil when every index
    /// has been handed out or the taker stopped.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && next < count && next >= taken + ahead { condition.wait() }
        guard !stopped && next < count else { return nil }
        next += 1
        return next - 1
    }

    func put(_ i: Int, _ value: T) {
        condition.lock()
        items[i] = value
        condition.broadcast()
        condition.unlock()
    }

    /// Item `i`, waiting until it is made; each index is taken once, in order.
    func take(_ i: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while items[i] == nil { condition.wait() }
        taken = i + 1
        condition.broadcast()
        return items.removeValue(forKey: i)!
    }

    /// No more indexes are handed out (those being made are finished).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
