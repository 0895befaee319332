// Support: independent pieces of work (a report's district pages, letters, annotated copies;
// new files read and hashed; the halves of the ledger's values) made on every core. Each piece is a pure function of its index over values that are not
// changed while it runs; the results come back in index order, so what is written does not
// depend on which core made what or when.
import Foundation

enum Parallel {
    /// `body(0) … body(count - 1)` on all cores, the results in index order.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
        return slots.values
    }

    /// The same for pieces that may fail: the error of the lowest index is thrown (the one a
    /// run making them one by one would have met first).
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let results: [Result<T, Error>] = map(count) { i in Result { try body(i) } }
        return try results.map { try $0.get() }
    }

    /// A piece of a period's folder: files by their path inside it.
    typealias Piece = @Sendable () throws -> [(String, Data)]

    /// The pieces made on all cores, as one folder. A path two pieces give is the later
    /// piece's; a piece that fails fails the folder (the first failing piece's error).
    static func files(_ pieces: [Piece]) throws -> [String: Data] {
        let made = try map(pieces.count) { i in try pieces[i]() }
        var out: [String: Data] = [:]
        for piece in made { for (path, data) in piece { out[path] = data } }
        return out
    }
}
