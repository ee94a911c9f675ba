/// Decides when a file that appeared without a "closed after writing" or "moved in" signal is
/// complete: once its size, modification time and identity have stayed the same for a quiet
/// period (the settle period).
///
/// This covers writers inotify cannot see finish: sftp's `link` + `unlink` (only a create event),
/// a writer that keeps the file open, files found by a scan. Any change restarts the quiet
/// period; a file that is gone is dropped.
///
/// A pure state machine in the style of postgres-nio: it never sleeps and never touches the file
/// system. The caller stats the file, passes the snapshot and the current instant, and acts on the
/// decision; ``nextDeadline`` says when to look again.
///
/// ```swift
/// var tracker = SettleTracker<ContinuousClock.Instant>(settlePeriod: .seconds(2))
/// switch tracker.observe(path, snapshot, at: clock.now) {
/// case .ready: import(path)
/// case .waiting(let until): scheduleCheck(at: until)
/// case .dropped: break
/// }
/// ```
public struct SettleTracker<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What to do with a file after an observation.
    public enum Decision: Sendable, Hashable {
        /// Unchanged for the whole settle period: import it. The tracker has forgotten it.
        case ready
        /// Changed recently (or seen for the first time): look again at the given instant.
        case waiting(until: Instant)
        /// The file is gone: the tracker has forgotten it.
        case dropped
    }

    private struct Entry: Sendable {
        var snapshot: FileSnapshot
        var unchangedSince: Instant
    }

    /// How long a file must stay unchanged to be ready.
    public let settlePeriod: Duration
    private var entries: [InboxPath: Entry] = [:]

    /// Creates an empty tracker.
    /// - Parameter settlePeriod: the quiet period; 2 seconds by default.
    public init(settlePeriod: Duration = .seconds(2)) {
        self.settlePeriod = settlePeriod
    }

    /// Records what a file looks like now and decides whether it is ready.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - snapshot: its current size, modification time and identity, or nil when it is gone.
    ///   - now: the current instant.
    /// - Returns: `.ready` when the file has had this same snapshot for at least the settle
    ///   period, `.waiting(until:)` when it is new or changed (the quiet period then starts now),
    ///   `.dropped` when it is gone.
    public mutating func observe(_ path: InboxPath, _ snapshot: FileSnapshot?, at now: Instant) -> Decision {
        guard let snapshot else {
            entries[path] = nil
            return .dropped
        }
        guard let entry = entries[path], entry.snapshot == snapshot else {
            entries[path] = Entry(snapshot: snapshot, unchangedSince: now)
            return .waiting(until: now.advanced(by: settlePeriod))
        }
        let deadline = entry.unchangedSince.advanced(by: settlePeriod)
        guard deadline <= now else { return .waiting(until: deadline) }
        entries[path] = nil
        return .ready
    }

    /// Stops tracking a file (it was reported ready by other means, or imported, or moved).
    public mutating func forget(_ path: InboxPath) {
        entries[path] = nil
    }

    /// Stops tracking every file (before a full rescan, for example).
    public mutating func forgetAll() {
        entries.removeAll()
    }

    /// Whether a file is being tracked.
    public func isTracking(_ path: InboxPath) -> Bool {
        entries[path] != nil
    }

    /// The files being tracked, in path order.
    public var trackedPaths: [InboxPath] {
        entries.keys.sorted()
    }

    /// The earliest instant at which a tracked file may become ready, or nil when none is tracked.
    public var nextDeadline: Instant? {
        entries.values.lazy.map { $0.unchangedSince.advanced(by: self.settlePeriod) }.min()
    }

    /// The tracked files whose quiet period has run out at `now`, in path order: stat them and
    /// ``observe(_:_:at:)`` each to learn whether it is ready.
    public func due(at now: Instant) -> [InboxPath] {
        entries.filter { $0.value.unchangedSince.advanced(by: settlePeriod) <= now }.keys.sorted()
    }
}
