import BankdropAgent
import BankdropPostgres
import Foundation
import Glibc
import Synchronization
import Testing

/// The world of one end-to-end test: a temporary folder holding the inbox, the state directory,
/// the configuration file and the agents' logs; a database of its own; and every `bankdrop`
/// process the test started, all stopped (SIGTERM, then SIGKILL) when the test ends, passed or
/// failed.
final class AgentSandbox: Sendable {
    /// Timings written into the configuration file (short, so the tests are quick).
    struct Timings: Sendable {
        var settleSeconds = 0.3
        var quietSeconds = 0.5
        var maxDelaySeconds = 3.0
    }

    let root: URL
    /// `<root>/inbox`.
    let inbox: String
    /// `<root>/state`.
    let stateDirectory: String
    /// `<root>/bankdrop.toml`.
    let configFile: String
    /// `<root>/outside`: a folder beside the inbox, for `mv` arrivals and symlink targets.
    let outside: String
    /// The database's connection string (given to the agents with `--database`).
    let conninfo: String
    private let connection = Mutex<PostgresConnection?>(nil)
    private let processes = Mutex<[AgentProcess]>([])

    private init(root: URL, conninfo: String, timings: Timings) throws {
        self.root = root
        self.inbox = root.appendingPathComponent("inbox").path
        self.stateDirectory = root.appendingPathComponent("state").path
        self.configFile = root.appendingPathComponent("bankdrop.toml").path
        self.outside = root.appendingPathComponent("outside").path
        self.conninfo = conninfo
        for folder in [inbox, stateDirectory, outside] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try writeConfiguration(timings)
    }

    /// (Re)writes the configuration file; agents started afterwards use it.
    func writeConfiguration(_ timings: Timings) throws {
        // Files named by no account folder belong to "Checking".
        let config = """
            [inbox]
            settle_seconds = \(timings.settleSeconds)

            [refresh]
            quiet_seconds = \(timings.quietSeconds)
            max_delay_seconds = \(timings.maxDelaySeconds)

            [[accounts.rules]]
            glob = "*"
            account = "Checking"
            """
        try config.write(toFile: configFile, atomically: false, encoding: .utf8)
    }

    /// Runs `body` in a fresh sandbox with a new database of its own (migrated first, unless
    /// `migrated` is false), dropped afterwards.
    static func run(
        timings: Timings = Timings(), migrated: Bool = true, _ body: (AgentSandbox) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { conninfo in
            if migrated {
                var quiet = TestDatabase.logger
                quiet.logLevel = .warning
                let migrator = Migrator(
                    migrations: try Migration.load(from: TestDatabase.migrationsDirectory), logger: quiet)
                let connection = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
                _ = try await connection.run { try migrator.up(on: $0) }
                await connection.close()
            }
            try await run(timings: timings, conninfo: conninfo, body)
        }
    }

    /// Runs `body` in a fresh sandbox whose agents use `conninfo`, a database that may not be
    /// reachable yet: the sandbox connects to it on its first query. Stops every process the test
    /// started and removes the folder, whatever happens; a thrown error gets the agents' last log
    /// lines appended (and the folder is kept for a look).
    static func run(
        timings: Timings = Timings(), conninfo: String, _ body: (AgentSandbox) async throws -> Void
    ) async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("bankdrop-agent-\(UUID().uuidString.prefix(8).lowercased())")
        let sandbox = try AgentSandbox(root: root, conninfo: conninfo, timings: timings)
        do {
            try await body(sandbox)
        } catch {
            let logs = sandbox.processes.withLock { $0 }.map {
                "--- bankdrop \($0.arguments.first ?? "") (pid \($0.pid)):\n\($0.outputTail())"
            }
            await sandbox.close()
            throw AgentTestError("\(error)\n(sandbox kept in \(root.path))\n\(logs.joined(separator: "\n"))")
        }
        await sandbox.close()
        try? FileManager.default.removeItem(at: root)
    }

    /// Stops every process and closes the query connection.
    private func close() async {
        await stopAll()
        if let connection = connection.withLock({ $0 }) { await connection.close() }
    }

    /// Closes the query connection (a server restart kills it); the next query opens a new one.
    func closeDatabase() async throws {
        if let open = connection.withLock({ value in
            defer { value = nil }
            return value
        }) {
            await open.close()
        }
    }

    /// The connection for the test's own queries (opened on first use).
    var database: PostgresConnection {
        get async throws {
            if let open = connection.withLock({ $0 }) { return open }
            let open = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            connection.withLock { $0 = open }
            return open
        }
    }

    /// Stops every process started in this sandbox.
    func stopAll() async {
        for process in processes.withLock({ $0 }) {
            let ending = await process.stop(within: .seconds(20))
            if ending == .running { Issue.record("pid \(process.pid) survived SIGKILL") }
        }
    }

    // MARK: Processes

    /// The environment for `bankdrop`: this process's, less anything that would point it
    /// elsewhere (`BANKDROP_*`, systemd's notify socket), plus the repository's migrations.
    static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BANKDROP_") && !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"].contains($0.key)
        }
        environment["BANKDROP_MIGRATIONS_DIR"] = TestDatabase.migrationsDirectory.path
        return environment
    }

    /// Starts `bankdrop <arguments>` (its output in `<root>/<label>.log`); stopped when the test ends.
    func spawn(_ arguments: [String], label: String) throws -> AgentProcess {
        let count = processes.withLock { $0.count }
        let log = root.appendingPathComponent("\(label)-\(count + 1).log")
        let process = try AgentProcess(arguments, environment: Self.childEnvironment, logFile: log)
        processes.withLock { $0.append(process) }
        return process
    }

    /// Starts `bankdrop watch` on the inbox, with this sandbox's configuration, state directory
    /// and database.
    func startAgent() throws -> AgentProcess {
        try spawn(
            ["watch", "--config", configFile, "--state-dir", stateDirectory, "--database", conninfo, inbox],
            label: "watch")
    }

    /// Starts the agent and waits until its state file says it is past `starting` (the watcher is
    /// up and the startup scan done: `watching`, or `degraded` when the database is away), so that
    /// what the test does next happens "after the agent started".
    func startWatchingAgent() async throws -> AgentProcess {
        let agent = try startAgent()
        try await eventually("the agent publishes phase watching", agent: agent) {
            guard let state = self.agentState else { return false }
            return state.pid == agent.pid && state.phase != .starting
        }
        return agent
    }

    /// The agent's published state for this inbox, as `bankdrop --status` finds it.
    var agentState: AgentState? {
        AgentState.read(
            from: AgentState.file(
                stateDirectory: URL(fileURLWithPath: stateDirectory), inbox: URL(fileURLWithPath: inbox)))
    }

    // MARK: Waiting

    /// Polls `condition` every 50 ms until it holds; throws after `timeout` with `what` and the
    /// agent's last log lines. Fails at once if `agent` has exited meanwhile.
    func eventually(
        _ what: String, timeout: Duration = .seconds(20), agent: AgentProcess? = nil,
        _ condition: () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if try await condition() { return }
            if let agent, agent.ending != .running {
                throw AgentTestError("waiting for \(what): the agent \(agent.ending)\n\(agent.outputTail())")
            }
            if clock.now >= deadline {
                throw AgentTestError("timed out after \(timeout) waiting for \(what)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Database

    /// The first column of the first row of `sql` as an integer (-1 for NULL).
    func integer(_ sql: String) async throws -> Int {
        try await database.run { Int(try $0.query(sql).scalar() ?? "") ?? -1 }
    }

    /// All rows of `sql`.
    func rows(_ sql: String) async throws -> [[String?]] {
        try await database.run { try $0.query(sql).rows }
    }

    /// One `import_logs` row.
    struct ImportLog: Equatable, CustomStringConvertible {
        var id: Int
        var status: String
        var fileName: String
        var rowsRead: Int?
        var rowsInserted: Int?
        var error: String?
        var description: String { "#\(id) \(status) \(fileName) read=\(rowsRead ?? -1) inserted=\(rowsInserted ?? -1)" }
    }

    /// Every `import_logs` row, oldest first.
    func importLogs() async throws -> [ImportLog] {
        try await rows("SELECT id, status, file_name, rows_read, rows_inserted, error FROM import_logs ORDER BY id").map
        {
            ImportLog(
                id: Int($0[0] ?? "") ?? -1, status: $0[1] ?? "", fileName: $0[2] ?? "",
                rowsRead: $0[3].flatMap { Int($0) },
                rowsInserted: $0[4].flatMap { Int($0) }, error: $0[5])
        }
    }

    /// How many `import_logs` rows have `status`.
    func importCount(_ status: String) async throws -> Int {
        try await importLogs().filter { $0.status == status }.count
    }

    // MARK: Folders

    /// Every file under `done/`, as `YYYY/MM/name`, sorted.
    var doneFiles: [String] { Self.files(under: inbox + "/done") }

    /// Every entry under `failed/`, sorted.
    var failedFiles: [String] { Self.files(under: inbox + "/failed") }

    /// What is left in the inbox, recursively, without done/, failed/ and the agent's lock file.
    var inboxFiles: [String] {
        Self.files(under: inbox).filter {
            !$0.hasPrefix("done/") && !$0.hasPrefix("failed/") && $0 != ".bankdrop.lock"
        }
    }

    /// The `done/` subfolder a file imported now goes to (`YYYY/MM`).
    static func doneFolder(at date: Date = Date()) -> String {
        let parts = Calendar.current.dateComponents([.year, .month], from: date)
        return String(format: "%04d/%02d", parts.year ?? 0, parts.month ?? 0)
    }

    /// Whether `name` is in `done/YYYY/MM/` for this month (or the previous one, should the
    /// month have turned during the test).
    func isDone(_ name: String, since start: Date) -> Bool {
        let files = doneFiles
        return [Self.doneFolder(at: start), Self.doneFolder()].contains { files.contains("\($0)/\(name)") }
    }

    /// Every non-folder entry under `path` (symlinks and FIFOs included, never followed), as
    /// paths relative to `path`, sorted.
    static func files(under path: String) -> [String] {
        var found: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? path : path + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(path + "/" + child, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR { walk(child) } else { found.append(child) }
            }
        }
        walk("")
        return found.sorted()
    }
}
