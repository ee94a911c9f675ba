import BankdropCore
import Logging

/// Watches the inbox folder and its subfolders with inotify (libinotifytools) and reports what
/// arrives, as an `AsyncStream` of ``InboxEvent``.
///
/// ```swift
/// let watcher = try await InboxWatcher.start(inbox: "/srv/inbox", excluding: [done, failed], logger: logger)
/// for await event in watcher.events { ... }   // ends after stop()
/// await watcher.stop()
/// ```
///
/// - Subfolders (`inbox/<account>/...`) are watched, including those created later; symlinked
///   folders are not followed; done/ and failed/ are left out when they are inside the inbox;
///   temporary names (see ``InboxFileName/isTemporary(_:)``) are never reported.
/// - Events are read on a dedicated thread (never on Swift's cooperative pool) with
///   `inotifytools_next_event` and a timeout of ``Options/readTimeoutSeconds``, so a stop is
///   noticed within that time; nothing busy-loops.
/// - A queue overflow, a subfolder moved or deleted, or the inbox itself moved, deleted or
///   replaced is reported as ``InboxEvent/rescan(_:)``; the watcher re-establishes its watches
///   (retrying while the inbox is missing) and reports `.rescan(.inboxRestored)` when it is back.
/// - Reaching the kernel's watch limit is reported as ``InboxEvent/watchLimitReached(_:)``, never a
///   crash.
///
/// **One watcher per process.** libinotifytools keeps its descriptor, watch tables and read buffer
/// in global variables: a second ``start(inbox:excluding:logger:options:)`` while one runs throws
/// ``InboxWatcherError/Reason/alreadyRunning``. ``stop()`` releases everything, after which a new
/// watcher can start.
///
/// libinotifytools waits with `select(2)`, so its descriptor must be below 1024: start the watcher
/// before the process opens hundreds of files (a start that would go above fails with EMFILE).
public final class InboxWatcher: Sendable {
    /// Tuning, mostly for tests.
    public struct Options: Sendable {
        /// How long one read waits for events, in seconds (libinotifytools counts whole seconds).
        /// Also how often the inbox folder is checked for replacement, and the delay before a stop
        /// is noticed.
        public var readTimeoutSeconds: Int
        /// How often to retry watching every folder after the kernel limit was reached.
        public var watchLimitRetryInterval: Duration
        /// Repeated `.changed` events for the same file within this interval are folded into one.
        public var changeCoalescing: Duration

        /// The defaults: 1 s reads, 30 s limit retries, 1 s change folding.
        public init(
            readTimeoutSeconds: Int = 1, watchLimitRetryInterval: Duration = .seconds(30),
            changeCoalescing: Duration = .seconds(1)
        ) {
            self.readTimeoutSeconds = max(1, readTimeoutSeconds)
            self.watchLimitRetryInterval = watchLimitRetryInterval
            self.changeCoalescing = changeCoalescing
        }
    }

    /// What happens in the inbox, in order. Ends once the watcher has stopped.
    public let events: AsyncStream<InboxEvent>
    private let control: WatcherControl

    private init(events: AsyncStream<InboxEvent>, control: WatcherControl) {
        self.events = events
        self.control = control
    }

    /// Starts watching `inbox`; returns once every existing folder is watched, so that anything
    /// that happens afterwards is reported. Files already there are not reported: list them with
    /// ``InboxScanner/scan(inbox:excluding:logger:)``.
    ///
    /// - Parameters:
    ///   - inbox: the inbox folder (may be a symlink to a folder).
    ///   - excluding: folders not to watch (done/ and failed/); ignored when outside the inbox.
    ///   - logger: receives debug-level inotify detail.
    ///   - options: tuning.
    /// - Throws: `InboxWatcherError`: `.alreadyRunning` when this process already has a watcher,
    ///   `.inboxUnavailable` when the folder cannot be opened, `.limitReached` when the kernel
    ///   refuses another inotify instance.
    public static func start(
        inbox: String, excluding: [String] = [], logger: Logger, options: Options = Options()
    ) async throws(InboxWatcherError) -> InboxWatcher {
        guard WatcherRegistry.claim() else {
            throw InboxWatcherError(.alreadyRunning, inbox: inbox)
        }
        let control = WatcherControl()
        let (events, output) = AsyncStream.makeStream(of: InboxEvent.self)
        output.onTermination = { _ in control.requestStop() }

        let started: Result<Void, InboxWatcherError> = await withCheckedContinuation { started in
            do throws(Errno) {
                try DedicatedThread.start {
                    let session = InotifySession(
                        inbox: inbox, excluding: excluding, output: output, control: control, logger: logger,
                        options: options)
                    let setUp = session.setUp()
                    if case .success = setUp { started.resume(returning: setUp) }
                    if case .success = setUp { session.run() } else { session.teardown() }
                    // Release the process-wide slot only once libinotifytools is cleaned up.
                    WatcherRegistry.release()
                    output.finish()
                    control.markFinished()
                    if case .failure = setUp { started.resume(returning: setUp) }
                }
            } catch {
                WatcherRegistry.release()
                started.resume(
                    returning: .failure(
                        InboxWatcherError(.systemCall(name: "pthread_create", errno: error.code), inbox: inbox)))
            }
        }
        try started.get()
        return InboxWatcher(events: events, control: control)
    }

    deinit {
        control.requestStop()
    }

    /// Stops watching and returns once libinotifytools is released (within about one read
    /// timeout). ``events`` then ends. Calling it again is harmless.
    public func stop() async {
        control.requestStop()
        await control.waitUntilFinished()
    }
}
