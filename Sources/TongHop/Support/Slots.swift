// Support: one slot per piece of work done on several threads, each written once by the
// thread that did it and read in index order afterwards.
import Foundation

final class Slots<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()

    init(_ count: Int) { items = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) { lock.lock(); items[i] = value; lock.unlock() }

    func get(_ i: Int) -> T? { lock.lock(); defer { lock.unlock() }; return items[i] }

    /// Every slot's value, once all are written.
    var values: [T] { lock.lock(); defer { lock.unlock() }; return items.map { $0! } }
}
