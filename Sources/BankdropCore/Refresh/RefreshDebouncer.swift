/// Decides when to refresh the summary views: a pure state machine, in the style of postgres-nio.
///
/// The caller feeds it events with the current instant and performs the action it returns; the
/// machine itself never sleeps, never starts a task and does no I/O, so tests drive it with
/// made-up instants.
///
/// Rules:
/// - An import makes the views dirty. The refresh starts when `quiet` has passed without a new
///   import, but never later than `maxDelay` after the first dirty mark: a burst of 500 imports
///   causes one or two refreshes, a steady trickle still refreshes.
/// - One refresh at a time. Imports that commit during a refresh make the views dirty again, and
///   exactly one more refresh follows (by the same rules, counted from those imports).
/// - A failed refresh keeps every import dirty and is retried after a backoff that doubles from
///   `retryDelay` up to `maxRetryDelay`, for as long as it takes.
///
/// The caller keeps at most one timer: `.scheduleTimer(at:)` replaces the previous one. A timer
/// that fires early or late is harmless: the machine looks at the instant it is given.
public struct RefreshDebouncer<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// Timing of the debouncer.
    public struct Configuration: Sendable, Hashable {
        /// Time without a new import before a refresh starts (default 2 s).
        public var quiet: Duration
        /// Longest time from the first dirty mark to the start of its refresh (default 30 s).
        public var maxDelay: Duration
        /// Wait before the first retry of a failed refresh (default 1 s); it doubles per failure.
        public var retryDelay: Duration
        /// Longest wait between retries (default 60 s).
        public var maxRetryDelay: Duration

        /// Creates a configuration; the defaults are those of `[refresh]` in the configuration file.
        public init(
            quiet: Duration = .seconds(2), maxDelay: Duration = .seconds(30), retryDelay: Duration = .seconds(1),
            maxRetryDelay: Duration = .seconds(60)
        ) {
            self.quiet = quiet
            self.maxDelay = maxDelay
            self.retryDelay = retryDelay
            self.maxRetryDelay = maxRetryDelay
        }
    }

    /// What the caller must do next.
    public enum Action: Sendable, Hashable {
        /// Nothing.
        case none
        /// Arm the one timer to fire at this instant (replacing any timer armed before), then send
        /// `timerFired(now:)`.
        case scheduleTimer(at: Instant)
        /// Refresh the views now, then send `refreshFinished(now:coveredUpTo:)` with this import
        /// id, or `refreshFailed(now:)`.
        case startRefresh(coveringUpTo: Int64)
    }

    /// The refresh that is running.
    private struct InFlight: Sendable {
        var coveringUpTo: Int64
        var importCount: Int
        var dirtySince: Instant
        var lastImportAt: Instant
    }

    /// The timing in force.
    public let configuration: Configuration

    /// Imports committed and not yet covered by a finished refresh (the running one included).
    public private(set) var pendingImports = 0
    /// The highest import id covered by a finished refresh, or nil before the first.
    public private(set) var lastCoveredImport: Int64?
    /// The highest import id seen.
    public private(set) var latestImport: Int64?
    /// Failed refreshes since the last one that finished.
    public private(set) var consecutiveFailures = 0
    /// When the oldest import not yet handed to a refresh committed, or nil.
    public private(set) var dirtySince: Instant?

    private var lastImportAt: Instant?
    private var inFlight: InFlight?
    private var armedTimer: Instant?
    private var retryNotBefore: Instant?

    /// Creates a debouncer with nothing dirty.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether some committed import is not yet covered by a finished refresh.
    public var isDirty: Bool { pendingImports > 0 }

    /// Whether a refresh is running.
    public var isRefreshing: Bool { inFlight != nil }

    /// The import id the running refresh covers, if one runs.
    public var refreshingUpTo: Int64? { inFlight?.coveringUpTo }

    /// An import committed (also: at start-up, the newest import no refresh has covered yet).
    public mutating func importCommitted(_ importID: Int64, now: Instant) -> Action {
        latestImport = max(latestImport ?? importID, importID)
        pendingImports += 1
        if dirtySince == nil { dirtySince = now }
        lastImportAt = max(lastImportAt ?? now, now)
        guard inFlight == nil else { return .none }
        return nextStep(now: now)
    }

    /// The timer armed by `.scheduleTimer(at:)` fired.
    public mutating func timerFired(now: Instant) -> Action {
        armedTimer = nil
        guard inFlight == nil else { return .none }
        return nextStep(now: now)
    }

    /// The refresh started by `.startRefresh` finished; the views now hold every import up to
    /// `coveredUpTo`.
    public mutating func refreshFinished(now: Instant, coveredUpTo: Int64) -> Action {
        guard let flight = inFlight else { return .none }
        inFlight = nil
        pendingImports = max(0, pendingImports - flight.importCount)
        lastCoveredImport = max(lastCoveredImport ?? coveredUpTo, coveredUpTo)
        consecutiveFailures = 0
        retryNotBefore = nil
        return nextStep(now: now)
    }

    /// The refresh started by `.startRefresh` failed: its imports stay dirty and it is retried.
    public mutating func refreshFailed(now: Instant) -> Action {
        guard let flight = inFlight else { return .none }
        inFlight = nil
        consecutiveFailures += 1
        dirtySince = min(dirtySince ?? flight.dirtySince, flight.dirtySince)
        lastImportAt = max(lastImportAt ?? flight.lastImportAt, flight.lastImportAt)
        retryNotBefore = now.advanced(by: retryBackoff())
        return nextStep(now: now)
    }

    /// The wait before the next retry: `retryDelay` doubled per earlier failure, at most `maxRetryDelay`.
    private func retryBackoff() -> Duration {
        var delay = configuration.retryDelay
        var doublings = consecutiveFailures - 1
        while doublings > 0, delay < configuration.maxRetryDelay {
            delay *= 2
            doublings -= 1
        }
        return min(delay, configuration.maxRetryDelay)
    }

    /// When the pending refresh is due, or nil when nothing waits for one.
    private var dueInstant: Instant? {
        guard let dirtySince, let lastImportAt else { return nil }
        let due = min(lastImportAt.advanced(by: configuration.quiet), dirtySince.advanced(by: configuration.maxDelay))
        guard let retryNotBefore else { return due }
        return max(due, retryNotBefore)
    }

    /// Starts the refresh when it is due, else makes sure a timer fires by then. Only called
    /// while no refresh runs.
    private mutating func nextStep(now: Instant) -> Action {
        guard let due = dueInstant, let dirtySince, let lastImportAt, let latestImport else { return .none }
        guard now < due else {
            inFlight = InFlight(
                coveringUpTo: latestImport, importCount: pendingImports,
                dirtySince: dirtySince, lastImportAt: lastImportAt)
            self.dirtySince = nil
            self.lastImportAt = nil
            armedTimer = nil
            return .startRefresh(coveringUpTo: latestImport)
        }
        // Deadlines only move later while dirty, so a timer armed earlier fires in time: then the
        // machine looks again. This keeps a burst of imports from re-arming the timer each time.
        if let armedTimer, armedTimer <= due { return .none }
        armedTimer = due
        return .scheduleTimer(at: due)
    }
}
