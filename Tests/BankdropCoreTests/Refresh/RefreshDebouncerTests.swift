import BankdropCore
import Testing

/// Imports numbered from 1, `count` of them, `spacing` apart, starting at `start`.
private func imports(count: Int, spacing: Duration, start: TestInstant = .seconds(0)) -> [(id: Int64, at: TestInstant)]
{
    (0..<count).map { (Int64($0 + 1), start.advanced(by: spacing * $0)) }
}

@Suite("Refresh debouncer")
struct RefreshDebouncerTests {
    typealias Debouncer = RefreshDebouncer<TestInstant>

    @Test("a burst of 500 imports 10 ms apart causes one refresh, after the quiet period")
    func burst() {
        var simulation = DebouncerSimulation()
        simulation.run(imports: imports(count: 500, spacing: .milliseconds(10)))
        #expect(simulation.refreshes.map(\.coveringUpTo) == [500])
        // Last import at 4.99 s, plus 2 s of quiet.
        #expect(simulation.refreshes.first?.start == .seconds(6.99))
        #expect(simulation.debouncer.lastCoveredImport == 500)
        #expect(!simulation.debouncer.isDirty)
        // The timer is not re-armed per import: only when it fires early.
        #expect(simulation.timersScheduled <= 4)
    }

    @Test("a burst longer than maxDelay refreshes at maxDelay, then once after the burst")
    func longBurst() {
        var simulation = DebouncerSimulation()
        simulation.run(imports: imports(count: 5000, spacing: .milliseconds(10)))
        #expect(simulation.refreshes.count == 2)
        #expect(simulation.refreshes.first?.start == .seconds(30))
        // Last import at 49.99 s, plus 2 s of quiet.
        #expect(simulation.refreshes.last?.start == .seconds(51.99))
        #expect(simulation.refreshes.last?.coveringUpTo == 5000)
        #expect(simulation.debouncer.pendingImports == 0)
    }

    @Test("a steady trickle every 1.5 s still refreshes within maxDelay of each import")
    func trickle() {
        var simulation = DebouncerSimulation()
        let trickle = imports(count: 100, spacing: .milliseconds(1500))
        simulation.run(imports: trickle)
        #expect(simulation.refreshes.count >= 4)
        for (id, at) in trickle {
            let covering = simulation.refreshes.first { $0.coveringUpTo >= id && $0.start >= at }
            let start = covering?.start ?? .seconds(1e9)
            #expect(start <= at.advanced(by: .seconds(30)), "import \(id) at \(at)")
        }
        #expect(simulation.debouncer.lastCoveredImport == 100)
    }

    @Test("the quiet period restarts with every import")
    func quietReset() {
        var debouncer = Debouncer()
        #expect(debouncer.importCommitted(1, now: .seconds(0)) == .scheduleTimer(at: .seconds(2)))
        #expect(debouncer.importCommitted(2, now: .seconds(1.5)) == .none)
        // The timer fires at 2 s, but the quiet period now ends at 3.5 s.
        #expect(debouncer.timerFired(now: .seconds(2)) == .scheduleTimer(at: .seconds(3.5)))
        #expect(debouncer.timerFired(now: .seconds(3.5)) == .startRefresh(coveringUpTo: 2))
        #expect(debouncer.isRefreshing)
    }

    @Test("imports during a refresh cause exactly one more refresh")
    func importDuringRefresh() {
        var debouncer = Debouncer()
        _ = debouncer.importCommitted(1, now: .seconds(0))
        #expect(debouncer.timerFired(now: .seconds(2)) == .startRefresh(coveringUpTo: 1))
        // While refreshing: no timer, no second refresh.
        #expect(debouncer.importCommitted(2, now: .seconds(2.5)) == .none)
        #expect(debouncer.importCommitted(3, now: .seconds(2.6)) == .none)
        #expect(debouncer.timerFired(now: .seconds(2.7)) == .none)
        #expect(debouncer.pendingImports == 3)
        // The refresh ends after the newer imports' quiet period: the next one starts at once.
        #expect(debouncer.refreshFinished(now: .seconds(5), coveredUpTo: 1) == .startRefresh(coveringUpTo: 3))
        #expect(debouncer.lastCoveredImport == 1)
        #expect(debouncer.pendingImports == 2)
        #expect(debouncer.refreshFinished(now: .seconds(6), coveredUpTo: 3) == .none)
        #expect(debouncer.timerFired(now: .seconds(100)) == .none)
        #expect(debouncer.lastCoveredImport == 3)
        #expect(!debouncer.isDirty)
    }

    @Test("a refresh that ends before the newer imports are quiet waits for them")
    func importDuringShortRefresh() {
        var debouncer = Debouncer()
        _ = debouncer.importCommitted(1, now: .seconds(0))
        _ = debouncer.timerFired(now: .seconds(2))
        _ = debouncer.importCommitted(2, now: .seconds(2.2))
        #expect(debouncer.refreshFinished(now: .seconds(2.5), coveredUpTo: 1) == .scheduleTimer(at: .seconds(4.2)))
        #expect(debouncer.timerFired(now: .seconds(4.2)) == .startRefresh(coveringUpTo: 2))
    }

    @Test("a failed refresh keeps its imports dirty and is retried with a bounded backoff")
    func failureRetry() {
        var debouncer = Debouncer(configuration: .init(retryDelay: .seconds(1), maxRetryDelay: .seconds(8)))
        _ = debouncer.importCommitted(7, now: .seconds(0))
        var now = TestInstant.seconds(2)
        #expect(debouncer.timerFired(now: now) == .startRefresh(coveringUpTo: 7))
        var waits: [Duration] = []
        for _ in 0..<6 {
            guard case .scheduleTimer(let at) = debouncer.refreshFailed(now: now) else {
                Issue.record("a failed refresh must schedule its retry")
                return
            }
            waits.append(now.duration(to: at))
            #expect(debouncer.isDirty)
            #expect(debouncer.pendingImports == 1)
            // Not before the backoff has passed.
            #expect(debouncer.timerFired(now: at.advanced(by: .milliseconds(-1))) == .scheduleTimer(at: at))
            now = at
            #expect(debouncer.timerFired(now: now) == .startRefresh(coveringUpTo: 7))
        }
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        #expect(debouncer.consecutiveFailures == 6)
        #expect(debouncer.refreshFinished(now: now, coveredUpTo: 7) == .none)
        #expect(debouncer.consecutiveFailures == 0)
        #expect(debouncer.lastCoveredImport == 7)
        #expect(!debouncer.isDirty)
    }

    @Test("a failure with imports that came during it retries them all together")
    func failureWithNewImports() {
        var simulation = DebouncerSimulation()
        simulation.failures = [true]
        simulation.run(imports: [(1, .seconds(0)), (2, .seconds(2.5)), (3, .seconds(2.7))])
        #expect(simulation.refreshes.map(\.coveringUpTo) == [1, 3])
        #expect(simulation.refreshes.map(\.failed) == [true, false])
        #expect(simulation.debouncer.lastCoveredImport == 3)
        #expect(simulation.debouncer.pendingImports == 0)
    }

    @Test("events out of place are ignored")
    func strayEvents() {
        var debouncer = Debouncer()
        #expect(debouncer.timerFired(now: .seconds(1)) == .none)
        #expect(debouncer.refreshFinished(now: .seconds(1), coveredUpTo: 3) == .none)
        #expect(debouncer.refreshFailed(now: .seconds(1)) == .none)
        #expect(debouncer.lastCoveredImport == nil)
        #expect(!debouncer.isDirty)
    }

    @Test("an import long after the first dirty mark of an idle machine starts the refresh at once")
    func overdue() {
        var debouncer = Debouncer(configuration: .init(quiet: .seconds(2), maxDelay: .seconds(5)))
        #expect(debouncer.importCommitted(1, now: .seconds(0)) == .scheduleTimer(at: .seconds(2)))
        // The caller's timer was late (a suspended machine): the next import finds it overdue.
        #expect(debouncer.importCommitted(2, now: .seconds(6)) == .startRefresh(coveringUpTo: 2))
    }

    @Test("the covered import is the highest id seen, whatever the commit order")
    func outOfOrderIDs() {
        var debouncer = Debouncer()
        _ = debouncer.importCommitted(12, now: .seconds(0))
        _ = debouncer.importCommitted(11, now: .seconds(0.1))
        #expect(debouncer.timerFired(now: .seconds(2.1)) == .startRefresh(coveringUpTo: 12))
        #expect(debouncer.latestImport == 12)
    }
}
