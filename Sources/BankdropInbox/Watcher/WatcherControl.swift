import Synchronization

/// What the watcher object and its thread share: the stop request, and the "finished" signal that
/// `stop()` waits for.
final class WatcherControl: Sendable {
    private struct Completion {
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let stopRequested = Atomic<Bool>(false)
    private let completion = Mutex(Completion())

    /// Asks the thread to stop (it notices within one read timeout).
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Whether a stop was requested.
    var isStopRequested: Bool {
        stopRequested.load(ordering: .acquiring)
    }

    /// Called by the thread once it has released everything.
    func markFinished() {
        let waiters = completion.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the thread has finished.
    func waitUntilFinished() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let finished = completion.withLock { state in
                if !state.finished { state.waiters.append(waiter) }
                return state.finished
            }
            if finished { waiter.resume() }
        }
    }
}

/// Enforces one watcher per process: libinotifytools keeps its inotify descriptor, watch tables
/// and read buffer in global variables.
enum WatcherRegistry {
    private static let active = Atomic<Bool>(false)

    /// Takes the process-wide slot; false when a watcher holds it.
    static func claim() -> Bool {
        active.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// Frees the slot (after libinotifytools was cleaned up).
    static func release() {
        active.store(false, ordering: .releasing)
    }
}
