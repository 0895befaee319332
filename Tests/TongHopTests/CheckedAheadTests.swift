import Foundation
import Testing
@testable import TongHop

/// Files checked on several threads are recorded in inbox order, and the checks never run
/// further ahead of the recording than allowed (the results waiting stay few).
@Suite struct CheckedAheadTests {
    final class Highest: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var value = 0
        func see(_ v: Int) { lock.lock(); value = max(value, v); lock.unlock() }
    }

    @Test func itemsMadeInAnyOrderAreTakenInOrderWithinTheAllowedLead() {
        let count = 500, ahead = 6
        let queue = CheckedAhead<Int>(count: count, ahead: ahead)
        let lead = Highest()
        let taken = Highest()
        let done = DispatchGroup()
        for t in 0..<3 {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                while let i = queue.claim() {
                    lead.see(i - taken.value)
                    if (i + t) % 7 == 0 { usleep(200) }   // some take longer than others
                    queue.put(i, i * i)
                }
            }
        }
        var got: [Int] = []
        for i in 0..<count {
            got.append(queue.take(i))
            taken.see(i + 1)
        }
        done.wait()
        #expect(got == (0..<count).map { $0 * $0 })
        #expect(lead.value <= ahead)
    }

    @Test func aStoppedTakerLetsTheMakersEnd() {
        let queue = CheckedAhead<Int>(count: 1000, ahead: 4)
        let made = Highest()
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            defer { done.leave() }
            while let i = queue.claim() { queue.put(i, i); made.see(i + 1) }
        }
        #expect(queue.take(0) == 0)
        queue.stop()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(made.value < 1000)
    }
}
