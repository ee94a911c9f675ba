import Glibc

/// The kernel's inotify limits were reached: some folders cannot be watched. Not fatal: the
/// watcher reports it (``InboxEvent/watchLimitReached(_:)``), keeps going and retries.
public struct InboxWatchLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which limit.
    public enum Limit: String, Sendable, Hashable {
        /// Watches per user: `inotify_add_watch` failed with ENOSPC.
        case watches = "fs.inotify.max_user_watches"
        /// inotify instances per user: `inotify_init` failed with EMFILE.
        case instances = "fs.inotify.max_user_instances"
    }

    /// Which limit was reached.
    public var limit: Limit
    /// The limit's value when it was reached, if readable.
    public var value: Int?
    /// The folder that could not be watched, safe for display.
    public var folder: String
    /// How often the watcher retries (and asks for a rescan) until it succeeds.
    public var retryInterval: Duration

    /// Creates an error.
    public init(limit: Limit, value: Int?, folder: String, retryInterval: Duration) {
        self.limit = limit
        self.value = value
        self.folder = folder
        self.retryInterval = retryInterval
    }

    /// The errno behind it: ENOSPC (watches) or EMFILE (instances).
    public var errno: Int32 { limit == .watches ? ENOSPC : EMFILE }

    /// What failed, why, and how to raise the limit.
    public var description: String {
        let current = value.map { " = \($0)" } ?? ""
        let suggested = limit == .watches ? 524_288 : 1024
        let what = limit == .watches ? "watches" : "instances"
        return "Cannot watch \(folder): the kernel limit on inotify \(what) per user (\(limit.rawValue)\(current)) "
            + "is reached (errno \(errno)). Raise it with `sudo sysctl \(limit.rawValue)=\(suggested)`, and keep it "
            + "across reboots with the line `\(limit.rawValue)=\(suggested)` in /etc/sysctl.d/90-bankdrop.conf. "
            + "Until then bankdrop retries and rescans the inbox every \(retryInterval.components.seconds) s."
    }
}

/// Why the watcher could not start.
public struct InboxWatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// Another watcher is running in this process (libinotifytools keeps global state: one
        /// watcher per process; stop the other first).
        case alreadyRunning
        /// The inbox folder cannot be opened (missing, not a folder, no permission).
        case inboxUnavailable(errno: Int32)
        /// The kernel refused a new inotify instance.
        case limitReached(InboxWatchLimitError)
        /// A system call failed (`inotify_init`, `pthread_create`).
        case systemCall(name: String, errno: Int32)
    }

    /// What went wrong.
    public var reason: Reason
    /// The inbox path.
    public var inbox: String

    /// Creates an error.
    public init(_ reason: Reason, inbox: String) {
        self.reason = reason
        self.inbox = inbox
    }

    /// The underlying errno, where there is one.
    public var errno: Int32? {
        switch reason {
        case .alreadyRunning: nil
        case .inboxUnavailable(let code): code
        case .limitReached(let limit): limit.errno
        case .systemCall(_, let code): code
        }
    }

    /// What failed, why, and what to do.
    public var description: String {
        switch reason {
        case .alreadyRunning:
            "Cannot watch \(inbox): an inbox watcher is already running in this process "
                + "(libinotifytools allows one per process); stop it first"
        case .inboxUnavailable(let code):
            "Cannot watch \(inbox): \(SystemCall.message(for: code)) (errno \(code)); create the folder or fix the path"
        case .limitReached(let limit):
            limit.description
        case .systemCall(let name, let code):
            "Cannot watch \(inbox): \(name) failed: \(SystemCall.message(for: code)) (errno \(code))"
        }
    }
}
