import Testing

@testable import BankdropCore

@Suite("Settle tracker")
struct SettleTrackerTests {
    typealias Instant = ContinuousClock.Instant

    /// One observation: at `ms` after the start, the file looks like `snapshot` (nil: gone).
    struct Step: Sendable, CustomTestStringConvertible {
        var ms: Int
        var snapshot: FileSnapshot?
        var expected: Expected
        var testDescription: String { "\(ms) ms" }
    }

    enum Expected: Sendable, Equatable {
        case ready
        case waitingUntil(ms: Int)
        case dropped
    }

    static func snap(size: Int64, mtime: Int64 = 100, inode: UInt64 = 7) -> FileSnapshot {
        FileSnapshot(
            identity: FileIdentity(device: 1, inode: inode), size: size,
            modified: FileTimestamp(seconds: mtime, nanoseconds: 0))
    }

    static let cases: [(String, [Step])] = [
        (
            "unchanged for the settle period is ready",
            [
                Step(ms: 0, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 2000, snapshot: snap(size: 10), expected: .ready),
            ]
        ),
        (
            "looking too early keeps the original deadline",
            [
                Step(ms: 0, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 500, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 1999, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 2500, snapshot: snap(size: 10), expected: .ready),
            ]
        ),
        (
            "a growing file resets the quiet period",
            [
                Step(ms: 0, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 1500, snapshot: snap(size: 20), expected: .waitingUntil(ms: 3500)),
                Step(ms: 3000, snapshot: snap(size: 30), expected: .waitingUntil(ms: 5000)),
                Step(ms: 5000, snapshot: snap(size: 30), expected: .ready),
            ]
        ),
        (
            "a new modification time alone resets",
            [
                Step(ms: 0, snapshot: snap(size: 10, mtime: 1), expected: .waitingUntil(ms: 2000)),
                Step(ms: 2000, snapshot: snap(size: 10, mtime: 2), expected: .waitingUntil(ms: 4000)),
                Step(ms: 4000, snapshot: snap(size: 10, mtime: 2), expected: .ready),
            ]
        ),
        (
            "a replaced file (new inode, same size and time) resets",
            [
                Step(ms: 0, snapshot: snap(size: 10, inode: 1), expected: .waitingUntil(ms: 2000)),
                Step(ms: 2000, snapshot: snap(size: 10, inode: 2), expected: .waitingUntil(ms: 4000)),
                Step(ms: 4000, snapshot: snap(size: 10, inode: 2), expected: .ready),
            ]
        ),
        (
            "a file that disappears is dropped, and starts over if it comes back",
            [
                Step(ms: 0, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 1000, snapshot: nil, expected: .dropped),
                Step(ms: 2500, snapshot: snap(size: 10), expected: .waitingUntil(ms: 4500)),
                Step(ms: 4500, snapshot: snap(size: 10), expected: .ready),
            ]
        ),
        (
            "a ready file is forgotten: seeing it again starts over",
            [
                Step(ms: 0, snapshot: snap(size: 10), expected: .waitingUntil(ms: 2000)),
                Step(ms: 2000, snapshot: snap(size: 10), expected: .ready),
                Step(ms: 2001, snapshot: snap(size: 10), expected: .waitingUntil(ms: 4001)),
            ]
        ),
        ("a file gone before it was ever seen is dropped", [Step(ms: 0, snapshot: nil, expected: .dropped)]),
    ]

    @Test("observations", arguments: cases)
    func observations(name: String, steps: [Step]) {
        let start = ContinuousClock.now
        var tracker = SettleTracker<Instant>(settlePeriod: .seconds(2))
        let path = InboxPath("acct/a.csv")!
        for step in steps {
            let decision = tracker.observe(path, step.snapshot, at: start + .milliseconds(step.ms))
            let expected: SettleTracker<Instant>.Decision =
                switch step.expected {
                case .ready: .ready
                case .dropped: .dropped
                case .waitingUntil(let ms): .waiting(until: start + .milliseconds(ms))
                }
            #expect(decision == expected, "\(name) at \(step.ms) ms")
        }
    }

    @Test("next deadline and due files across several files")
    func deadlines() {
        let start = ContinuousClock.now
        var tracker = SettleTracker<Instant>(settlePeriod: .milliseconds(200))
        let a = InboxPath("a.csv")!
        let b = InboxPath("b.csv")!
        #expect(tracker.nextDeadline == nil)
        _ = tracker.observe(b, Self.snap(size: 1), at: start + .milliseconds(50))
        _ = tracker.observe(a, Self.snap(size: 1), at: start)
        #expect(tracker.nextDeadline == start + .milliseconds(200))
        #expect(tracker.due(at: start + .milliseconds(199)) == [])
        #expect(tracker.due(at: start + .milliseconds(200)) == [a])
        #expect(tracker.due(at: start + .milliseconds(250)) == [a, b])
        #expect(tracker.trackedPaths == [a, b])

        #expect(tracker.observe(a, Self.snap(size: 1), at: start + .milliseconds(200)) == .ready)
        #expect(!tracker.isTracking(a))
        #expect(tracker.nextDeadline == start + .milliseconds(250))

        tracker.forget(b)
        #expect(tracker.nextDeadline == nil)
        _ = tracker.observe(a, Self.snap(size: 1), at: start)
        tracker.forgetAll()
        #expect(tracker.trackedPaths.isEmpty)
    }

    @Test("the default settle period is two seconds")
    func defaultPeriod() {
        #expect(SettleTracker<Instant>().settlePeriod == .seconds(2))
    }
}
