import BankdropCore

/// A made-up instant: an offset from the start of a test. No clock is read, nothing sleeps.
struct TestInstant: InstantProtocol, CustomStringConvertible {
    var offset: Duration

    static func seconds(_ value: Double) -> TestInstant { TestInstant(offset: .milliseconds(Int64(value * 1000))) }

    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (lhs: TestInstant, rhs: TestInstant) -> Bool { lhs.offset < rhs.offset }

    var description: String { "t+\(offset)" }
}

/// Drives a `RefreshDebouncer` through imports at given instants, playing the caller's part: one
/// timer, refreshes that take `refreshDuration` and fail as `failures` says. Time jumps from event
/// to event.
struct DebouncerSimulation {
    struct Refresh: Equatable {
        var start: TestInstant
        var coveringUpTo: Int64
        var failed: Bool
    }

    var debouncer: RefreshDebouncer<TestInstant>
    var refreshDuration: Duration = .seconds(1)
    /// Outcome of each refresh in order: true fails it. Missing entries succeed.
    var failures: [Bool] = []
    private(set) var refreshes: [Refresh] = []
    private(set) var timersScheduled = 0
    private var timer: TestInstant?
    private var running: (end: TestInstant, coveringUpTo: Int64)?

    init(configuration: RefreshDebouncer<TestInstant>.Configuration = .init()) {
        debouncer = RefreshDebouncer(configuration: configuration)
    }

    /// Feeds imports (id, instant) in order, then runs until nothing is left to do.
    mutating func run(imports: [(id: Int64, at: TestInstant)], until end: TestInstant? = nil) {
        var pending = imports[...]
        while true {
            let candidates = [pending.first?.at, timer, running?.end].compactMap { $0 }
            guard let now = candidates.min() else { return }
            if let end, now > end { return }
            if let flight = running, flight.end == now {
                running = nil
                let fails = refreshes.count <= failures.count && failures[refreshes.count - 1]
                refreshes[refreshes.count - 1].failed = fails
                perform(
                    fails
                        ? debouncer.refreshFailed(now: now)
                        : debouncer.refreshFinished(now: now, coveredUpTo: flight.coveringUpTo), now: now)
            } else if let next = pending.first, next.at == now {
                pending = pending.dropFirst()
                perform(debouncer.importCommitted(next.id, now: now), now: now)
            } else {
                timer = nil
                perform(debouncer.timerFired(now: now), now: now)
            }
        }
    }

    private mutating func perform(_ action: RefreshDebouncer<TestInstant>.Action, now: TestInstant) {
        switch action {
        case .none:
            break
        case .scheduleTimer(let at):
            timersScheduled += 1
            timer = at
        case .startRefresh(let coveringUpTo):
            refreshes.append(Refresh(start: now, coveringUpTo: coveringUpTo, failed: false))
            running = (now.advanced(by: refreshDuration), coveringUpTo)
        }
    }
}
