import BankdropCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension StatusReport {
    /// Looks at everything `bankdrop --status` reports, without changing anything: the agent's
    /// state file, the inbox and failed/, and the database (never starting the embedded one).
    ///
    /// Never throws: what cannot be found out is said in the part's `couldNotFindOut`. The database
    /// part is read in parallel with the rest and given up after ``Options/databaseDeadline``.
    /// - Parameters:
    ///   - context: the configuration, folders and database to look at.
    ///   - options: "now", time limits, list lengths.
    public static func gather(context: AgentContext, options: Options = Options()) async -> StatusReport {
        async let database = databasePart(context: context, options: options)
        let agent = agentPart(
            stateFile: AgentState.file(stateDirectory: context.stateDirectory, inbox: context.inboxDirectory),
            options: options)
        let inbox = inboxPart(context: context, options: options)
        var report = StatusReport(
            generatedAt: options.now, configurationFile: context.configurationFile, agent: agent, inbox: inbox,
            database: await database)
        report.problems = report.findProblems()
        return report
    }

    /// The agent part, from its state file: running when the file's pid is alive and the file is
    /// fresher than ``Options/staleAfter``.
    static func agentPart(stateFile: URL, options: Options) -> Agent {
        var agent = Agent(state: .notRunning, stateFile: stateFile.path)
        switch readPrefix(of: Array(stateFile.path.utf8), limit: 4 << 20) {
        case .failure(let failure) where failure.code == ENOENT:
            return agent
        case .failure(let failure):
            let code = failure.code
            agent.state = .unknown
            agent.couldNotFindOut.append(
                "cannot read the agent's state file \(stateFile.path): \(errorMessage(code))"
                    + (code == EACCES ? " (run as root or as the agent's user)" : ""))
            return agent
        case .success:
            break
        }
        guard let state = AgentState.read(from: stateFile) else {
            agent.state = .unknown
            agent.couldNotFindOut.append("the agent's state file \(stateFile.path) cannot be decoded")
            return agent
        }
        agent.pid = state.pid
        agent.startedAt = state.startedAt
        agent.updatedAt = state.updatedAt
        agent.inbox = state.inbox
        agent.phase = state.phase.rawValue
        agent.currentFile = state.current.map(printable)
        agent.queued = state.queued
        agent.retrying = state.retrying.map {
            Agent.Retry(
                file: printable($0.file), attempts: $0.attempts, lastError: firstLine($0.lastError),
                nextAttemptAt: $0.nextAttemptAt)
        }
        agent.watchProblem = state.watchProblem.map(firstLine)
        agent.databaseError = state.databaseError.map(firstLine)
        agent.lastImport = state.lastImport.map { last in
            var last = last
            last.file = printable(last.file)
            return last
        }
        agent.pendingRefreshImports = state.pendingRefreshImports

        if !isAlive(state.pid) {
            agent.state = .exited
        } else if options.now.timeIntervalSince(state.updatedAt) > options.staleAfter {
            agent.state = .unresponsive
        } else {
            agent.state = .running
        }
        return agent
    }

    /// Whether a process with this pid exists (`kill(pid, 0)`; EPERM means it exists but belongs
    /// to another user).
    static func isAlive(_ pid: Int32) -> Bool {
        // pid 0 and negative pids address process groups: never a live agent.
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// `text` made safe to print: unchanged when it holds no control or bidirectional-override
    /// characters, else escaped like an inbox file name (``InboxFileName/displayName(_:)``).
    static func printable(_ text: String) -> String {
        let needsEscaping = text.unicodeScalars.contains { scalar in
            let value = scalar.value
            return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F || value == 0x061C
        }
        return needsEscaping ? InboxFileName.displayName(Array(text.utf8)) : text
    }

    /// The first non-empty line of `text`, made safe to print.
    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return printable(line.trimmingCharacters(in: .whitespaces))
    }

    /// `strerror(code)`.
    static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Up to `limit` bytes from the start of the regular file at `path` (raw bytes, relative to
    /// `folder`), opened without following a final symlink and without blocking on a FIFO; the
    /// errno on failure (EINVAL for anything but a regular file).
    static func readPrefix(of path: [UInt8], in folder: Int32 = AT_FDCWD, limit: Int) -> Result<
        [UInt8], SystemCallFailure
    > {
        let descriptor = openat(folder, cString(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(SystemCallFailure(code: errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(SystemCallFailure(code: errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(SystemCallFailure(code: EINVAL)) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes {
                read(descriptor, $0.baseAddress, min($0.count, limit - bytes.count))
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(SystemCallFailure(code: errno)) }
            if count == 0 { break }
            bytes += buffer.prefix(count)
        }
        return .success(bytes)
    }

    /// An errno from a failed system call.
    struct SystemCallFailure: Error {
        var code: Int32
    }

    /// `bytes` with a terminating NUL, for C calls.
    static func cString(_ bytes: [UInt8]) -> [CChar] {
        bytes.map { CChar(bitPattern: $0) } + [0]
    }

    /// `2025-03-01T14:22:05Z`.
    static func isoTime(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
