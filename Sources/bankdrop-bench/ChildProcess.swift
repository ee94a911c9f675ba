import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `wait4`, so that its own resource
/// usage (peak RSS) is known, not the harness's: Foundation's `Process` does not expose rusage.
///
/// Standard input is `/dev/null`; standard output and error go to a log file (a pipe nobody reads
/// could fill up and block the child).
final class ChildProcess: Sendable {
    /// How a child ended, with what it used.
    struct Termination: Sendable {
        /// The exit status, or nil when a signal killed it.
        var exitCode: Int32?
        /// The signal that killed it, if one did.
        var signal: Int32?
        /// From just before `posix_spawn` to `wait4` returning.
        var wall: Duration
        /// The child's peak resident set, in bytes: the largest `VmHWM` read from
        /// `/proc/<pid>/status` while it ran (every 10 ms). Not `wait4`'s `ru_maxrss`: glibc's
        /// `posix_spawn` starts the child in the harness's address space (`CLONE_VM`), and Linux
        /// folds that address space's high-water mark into the child's `ru_maxrss` at `execve`,
        /// so it reported the harness's own peak (117 MiB at 10M rows for every child).
        var peakRSSBytes: Int
        /// User plus system CPU time of the child.
        var cpu: Duration

        /// Whether it exited with status 0.
        var succeeded: Bool { exitCode == 0 }

        /// "exited with status 1", "killed by signal 9".
        var summary: String {
            if let exitCode { return "exited with status \(exitCode)" }
            return "killed by signal \(signal ?? 0)"
        }
    }

    /// The executable and its arguments, for messages.
    let commandLine: String
    /// Where standard output and error go.
    let logFile: URL
    /// The child's pid.
    let pid: pid_t
    private let state: Mutex<State>

    private enum State {
        case running([CheckedContinuation<Termination, Never>])
        case finished(Termination)
    }

    /// Starts `executable` with `arguments` and `environment`; output to `logFile` (truncated).
    /// - Parameter keepErrors: false sends standard error to `/dev/null` (to read a command's output alone).
    /// - Throws: ``BenchError`` with the errno text when the spawn fails.
    init(
        _ executable: URL, _ arguments: [String], environment: [String: String], logFile: URL, keepErrors: Bool = true
    ) throws {
        commandLine = ([executable.path] + arguments).joined(separator: " ")
        self.logFile = logFile
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if keepErrors {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let result = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard result == 0 else {
            throw BenchError("cannot start \(executable.path): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        state = Mutex(.running([]))
        startReaper(started: started)
    }

    /// Runs `executable` to its end; see ``init(_:_:environment:logFile:keepErrors:)``.
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String], logFile: URL
    ) async throws -> Termination {
        try await ChildProcess(executable, arguments, environment: environment, logFile: logFile).wait()
    }

    /// Waits for the child to end.
    func wait() async -> Termination {
        await withCheckedContinuation { continuation in
            let ended: Termination? = state.withLock { state in
                switch state {
                case .finished(let termination):
                    return termination
                case .running(let waiters):
                    state = .running(waiters + [continuation])
                    return nil
                }
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    /// How the child ended, or nil while it runs.
    var termination: Termination? {
        state.withLock { state in
            if case .finished(let termination) = state { return termination }
            return nil
        }
    }

    /// Reaps the child on a thread of its own: `wait4` blocks, and must never block Swift's
    /// cooperative pool. The end time is taken as soon as `wait4` returns.
    private func startReaper(started: ContinuousClock.Instant) {
        let pid = self.pid
        let peak = Mutex<(kilobytes: Int, done: Bool)>((0, false))
        let sampler = Thread {
            while !peak.withLock({ $0.done }) {
                if let kilobytes = Self.highWaterMarkKilobytes(of: pid) {
                    peak.withLock { $0.kilobytes = max($0.kilobytes, kilobytes) }
                }
                usleep(10_000)
            }
        }
        sampler.name = "bench-rss"
        sampler.start()
        let thread = Thread {
            var status: Int32 = 0
            var usage = rusage()
            var reaped: pid_t
            repeat {
                reaped = wait4(pid, &status, 0, &usage)
            } while reaped < 0 && errno == EINTR
            let wall = ContinuousClock.now - started
            let sampled = peak.withLock { state -> Int in
                state.done = true
                return state.kilobytes
            }
            // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift cannot call.
            let signal = status & 0x7f
            let cpu =
                Duration.seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Duration.microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
            let termination = Termination(
                exitCode: reaped < 0 ? -1 : (signal == 0 ? (status >> 8) & 0xff : nil),
                signal: reaped >= 0 && signal != 0 ? signal : nil, wall: wall,
                // ru_maxrss only for a child gone before the first sample (see peakRSSBytes).
                peakRSSBytes: (sampled > 0 ? sampled : Int(usage.ru_maxrss)) * 1024,
                cpu: cpu)
            let waiters = self.state.withLock { state -> [CheckedContinuation<Termination, Never>] in
                guard case .running(let waiters) = state else { return [] }
                state = .finished(termination)
                return waiters
            }
            for waiter in waiters { waiter.resume(returning: termination) }
        }
        thread.name = "bench-wait4"
        thread.start()
    }

    /// `VmHWM` of a running process, in kilobytes; nil once it has exited (or on any read error).
    private static func highWaterMarkKilobytes(of pid: pid_t) -> Int? {
        // Read to the end: /proc files report a size of 0, which `String(contentsOfFile:)` believes.
        guard let file = FileHandle(forReadingAtPath: "/proc/\(pid)/status") else { return nil }
        defer { try? file.close() }
        let status = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        _ = kill(pid, signal)
    }

    /// The last `count` lines the child wrote, for error messages.
    func outputTail(_ count: Int = 30) -> String {
        Self.tail(of: logFile, count)
    }

    /// The last `count` lines of `file`.
    static func tail(of file: URL, _ count: Int = 30) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}
