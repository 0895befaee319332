import Foundation
import Testing

@Suite struct WatchdogTests {
    @Test func aBodyThatOverrunsIsAFailureNotAHang() {
        let started = Date()
        withKnownIssue("the watchdog records the overrun") {
            let outcome = withWatchdog(seconds: 0.2, "a body that sleeps 3 s") { sleep(3) }
            #expect(outcome == nil)
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func aBodyInTimeGivesItsResult() throws {
        let outcome = withWatchdog(seconds: 10, "a quick body") { 42 }
        #expect(try #require(outcome).get() == 42)
    }
}
