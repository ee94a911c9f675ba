import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells systemd how the agent is doing: ready, a status line, watchdog pings, stopping,
/// reloading. This is the `sd_notify(3)` protocol spoken directly (no libsystemd): each message
/// is one datagram of `KEY=VALUE` lines sent to the `AF_UNIX` socket named by `$NOTIFY_SOCKET`.
///
/// Without `$NOTIFY_SOCKET` (not started by systemd, or not as `Type=notify`) every call does
/// nothing. The environment is passed in, so tests can point it at a socket of their own.
///
/// ```swift
/// let systemd = SystemdNotifier.takingProcessEnvironment()
/// try systemd.ready(status: "watching /srv/bankdrop/inbox")
/// if let interval = systemd.watchdogInterval { /* call systemd.watchdog() every `interval` */ }
/// ```
public struct SystemdNotifier: Sendable, Hashable {
    /// The variables systemd sets for a notifying service.
    public static let environmentVariables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]

    /// `$NOTIFY_SOCKET` as systemd set it: a path (`/run/systemd/notify`) or an abstract socket
    /// name written with a leading `@`; nil when unset or empty.
    public let socket: String?

    /// How often to call ``watchdog()``: half of `$WATCHDOG_USEC` (as `sd_watchdog_enabled(3)`
    /// advises), when systemd asks for watchdog pings (`WatchdogSec=`) from this process: nil when
    /// `$WATCHDOG_USEC` is unset or not a positive number, or `$WATCHDOG_PID` names another process.
    public let watchdogInterval: Duration?

    /// Reads the notification socket and watchdog settings from `environment`.
    /// - Parameters:
    ///   - environment: the process environment, or a test's.
    ///   - processID: this process's pid, compared with `$WATCHDOG_PID`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, processID: Int32 = getpid()) {
        socket = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        watchdogInterval = Self.watchdogInterval(environment: environment, processID: processID)
    }

    /// Reads the settings from the process environment, then removes them from it (what
    /// `sd_notify(unset_environment: 1, ...)` does), so that child processes do not inherit them.
    ///
    /// This matters for the embedded database: the PostgreSQL server speaks sd_notify itself, and
    /// with the variables inherited it would report `READY=1` for the bankdrop unit. Call it once,
    /// early in `main`, before other threads read the environment (`unsetenv(3)` is not
    /// thread-safe).
    public static func takingProcessEnvironment() -> SystemdNotifier {
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        for name in environmentVariables { unsetenv(name) }
        return notifier
    }

    /// Whether messages go anywhere (`$NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { socket != nil }

    /// `READY=1`: start-up is finished (systemd then considers the unit started), with an
    /// optional status line.
    public func ready(status: String? = nil) throws(SystemdNotifyError) {
        try send(["READY=1"] + (status.map { ["STATUS=" + Self.singleLine($0)] } ?? []))
    }

    /// `STATUS=...`: a one-line description shown by `systemctl status`. Line breaks become spaces
    /// (a line break would start another assignment).
    public func status(_ text: String) throws(SystemdNotifyError) {
        try send(["STATUS=" + Self.singleLine(text)])
    }

    /// `WATCHDOG=1`: the agent is alive. Call it every ``watchdogInterval`` when that is set;
    /// systemd restarts the unit when pings stop for `WatchdogSec=`.
    public func watchdog() throws(SystemdNotifyError) {
        try send(["WATCHDOG=1"])
    }

    /// `STOPPING=1`: shutdown has begun, with an optional status line.
    public func stopping(status: String? = nil) throws(SystemdNotifyError) {
        try send(["STOPPING=1"] + (status.map { ["STATUS=" + Self.singleLine($0)] } ?? []))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC` (CLOCK_MONOTONIC, as systemd 253+ requires): the
    /// configuration is being reloaded. Send ``ready(status:)`` when done.
    public func reloading() throws(SystemdNotifyError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        try send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }

    /// `EXTEND_TIMEOUT_USEC=...`: asks systemd to wait `duration` longer for start-up or shutdown
    /// (for example while the embedded database is being created, or the last file finishes).
    public func extendTimeout(by duration: Duration) throws(SystemdNotifyError) {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        try send(["EXTEND_TIMEOUT_USEC=\(microseconds)"])
    }

    /// Sends `assignments` (`KEY=VALUE` each) as one datagram; does nothing when not enabled.
    ///
    /// The datagram is sent with `MSG_DONTWAIT`: a full socket queue is an error (`EAGAIN`), never
    /// a blocked caller.
    /// - Throws: ``SystemdNotifyError`` with the errno: `EAFNOSUPPORT` for an address that is
    ///   neither an absolute path nor `@name`, `ENAMETOOLONG` for one too long for `sockaddr_un`,
    ///   and whatever `socket(2)` or `sendto(2)` report (`ECONNREFUSED`, `ENOENT`, ...).
    public func send(_ assignments: [String]) throws(SystemdNotifyError) {
        guard let socket else { return }
        let message = Array(assignments.joined(separator: "\n").utf8)
        let pathBytes = Array(socket.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        guard abstract || pathBytes.first == UInt8(ascii: "/"), pathBytes.count > 1 else {
            throw SystemdNotifyError(operation: "connect", errno: EAFNOSUPPORT, socket: socket)
        }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path needs room for its terminating NUL; an abstract name is exactly its bytes, with
        // the `@` replaced by the leading NUL that marks the abstract namespace.
        guard abstract ? pathBytes.count <= capacity : pathBytes.count < capacity else {
            throw SystemdNotifyError(operation: "connect", errno: ENAMETOOLONG, socket: socket)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            if abstract { raw[0] = 0 }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        let length = socklen_t(pathOffset + pathBytes.count + (abstract ? 0 : 1))

        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw SystemdNotifyError(operation: "socket", errno: Glibc.errno, socket: socket)
        }
        defer { close(descriptor) }

        var sent: Int
        repeat {
            sent = message.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                        sendto(
                            descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                            socketAddress, length)
                    }
                }
            }
        } while sent < 0 && Glibc.errno == EINTR
        guard sent >= 0 else {
            throw SystemdNotifyError(operation: "sendto", errno: Glibc.errno, socket: socket)
        }
    }

    private static func watchdogInterval(environment: [String: String], processID: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            microseconds <= UInt64(Int64.max)
        else { return nil }
        if let pid = environment["WATCHDOG_PID"], !pid.isEmpty, Int32(pid) != processID { return nil }
        return .microseconds(Int64(max(1, microseconds / 2)))
    }

    /// `text` with line breaks replaced by spaces and NUL bytes removed.
    static func singleLine(_ text: String) -> String {
        String(
            text.unicodeScalars.compactMap { scalar -> Character? in
                switch scalar {
                case "\0": nil
                case "\n", "\r": " "
                default: Character(scalar)
                }
            })
    }
}

/// A notification that could not be sent to systemd. Usually worth a warning, never a reason to
/// stop: the agent works the same without systemd.
public struct SystemdNotifyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed: `socket`, `connect` (a bad address), `sendto`.
    public var operation: String
    /// The errno it reported.
    public var errno: Int32
    /// `$NOTIFY_SOCKET`.
    public var socket: String

    /// Creates an error.
    public init(operation: String, errno: Int32, socket: String) {
        self.operation = operation
        self.errno = errno
        self.socket = socket
    }

    /// What failed and why.
    public var description: String {
        "Cannot notify systemd at $NOTIFY_SOCKET \(socket): \(operation) failed: "
            + "\(String(cString: strerror(errno))) (errno \(errno))"
    }
}
