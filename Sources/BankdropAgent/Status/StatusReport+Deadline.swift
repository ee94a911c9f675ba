import Foundation
import Synchronization

extension StatusReport {
    /// `conninfo` with `connect_timeout=<seconds>` added, for a connection that must fail fast.
    ///
    /// A URL (`postgres://...`, `postgresql://...`) gets it as a query parameter (`?` or `&`); a
    /// `key=value` conninfo string gets it as one more keyword. Either way it comes last, and for
    /// libpq the last value of a keyword wins, so it replaces any `connect_timeout` already there.
    public static func conninfo(_ conninfo: String, connectTimeout seconds: Int) -> String {
        let parameter = "connect_timeout=\(seconds)"
        let lowercased = conninfo.lowercased()
        if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
            guard let question = conninfo.firstIndex(of: "?") else { return conninfo + "?" + parameter }
            let query = conninfo[conninfo.index(after: question)...]
            return conninfo + (query.isEmpty || query.hasSuffix("&") ? "" : "&") + parameter
        }
        if conninfo.allSatisfy(\.isWhitespace) { return parameter }
        return conninfo + " " + parameter
    }

    /// Runs `work`, and returns its result, or nil when it has not finished within `limit`.
    ///
    /// A blocking libpq call (`PQconnectdb` resolving a host name, or waiting for one that does not
    /// answer) cannot be interrupted, so on time-out `work` is left to finish on its own in the
    /// background: that is why it runs in an unstructured task rather than a task group, which
    /// would wait for it. For `bankdrop --status` the process exits right after anyway.
    static func withinDeadline<T: Sendable>(
        _ limit: Duration, _ work: @escaping @Sendable () async -> T
    ) async -> T? {
        let once = ResumeOnce<T>()
        return await withCheckedContinuation { continuation in
            once.install(continuation)
            let timer = Task {
                // Cancelled: the work won, and has resumed already.
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                once.resume(nil)
            }
            Task {
                let value = await work()
                once.resume(value)
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of two tasks comes first; the other's result is dropped.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T?, Never>?>(nil)

    func install(_ continuation: CheckedContinuation<T?, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(_ value: T?) {
        let pending = continuation.withLock { stored -> CheckedContinuation<T?, Never>? in
            defer { stored = nil }
            return stored
        }
        pending?.resume(returning: value)
    }
}
