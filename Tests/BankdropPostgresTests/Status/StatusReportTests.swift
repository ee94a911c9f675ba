import BankdropAgent
import BankdropCore
import BankdropInbox
import BankdropPostgres
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `bankdrop --status` against real things: a migrated PostgreSQL with real imports, a real state
/// file, real inbox and failed/ folders, and databases that are down or hang.
@Suite("Status report")
struct StatusReportTests {
    static let checking = """
        date,amount,payee,description
        2025-01-05,-3.20,Coffee Corner,flat white
        2025-01-05,-3.20,Coffee Corner,flat white
        2025-02-01,2500.00,ACME Corp,salary
        2025-03-10,-45.99,Grocer,weekly shop
        """
    static let savings = """
        date,amount,payee,description
        2025-02-28,100.00,Transfer,monthly saving
        """
    static let broken = """
        date,amount,payee,description
        2025-05-01,-1.00,Shop,fine
        2025-05-02,12,3,4,Broken,row
        """

    /// Runs `body` with the conninfo of a new, migrated database.
    static func withMigratedDatabase(_ body: (String) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { conninfo in
            let connection = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            let migrator = Migrator(
                migrations: try Migration.load(from: TestDatabase.migrationsDirectory), logger: TestDatabase.logger)
            _ = try await connection.run { try migrator.up(on: $0) }
            await connection.close()
            try await body(conninfo)
        }
    }

    @Test("imports, per-account freshness, stale then fresh views, a failed file with its reason")
    func fullReport() async throws {
        try await Self.withMigratedDatabase { conninfo in
            let folder = try StatusFolder()
            let importer = try await Importer.connect(
                conninfo: conninfo, settings: Importer.Settings(host: "test"), logger: TestDatabase.logger)
            guard
                case .imported(let first) = await importer.importFile(
                    MemoryFile("checking.csv", Self.checking, account: "Checking")),
                case .imported = await importer.importFile(MemoryFile("savings.csv", Self.savings, account: "Savings")),
                case .duplicate = await importer.importFile(
                    MemoryFile("checking copy.csv", Self.checking, account: "Checking")),
                case .refused(let refusal, _) = await importer.importFile(
                    MemoryFile("bad.csv", Self.broken, account: "Checking"))
            else {
                Issue.record("the imports did not go as planned")
                return
            }

            // The agent's side of the refusal: the file goes to failed/ with its report.
            try folder.drop(Array("bad.csv".utf8), Self.broken)
            let mover = InboxMover(
                inbox: try InboxDirectory(path: folder.inbox.path), done: folder.inbox.path + "/done",
                failed: folder.failed.path)
            try mover.move(try #require(InboxPath("bad.csv")), to: .failed(reason: refusal.description))
            // One file waits, with a name that must print safely; a temporary one does not count.
            try folder.drop(Array("new\nline.csv".utf8), Self.savings)
            try folder.drop(Array("later.csv.part".utf8), "")
            try folder.writeAgentState { $0.queued = 1 }

            let context = folder.context(database: conninfo)
            let report = await StatusReport.gather(context: context)

            #expect(report.agent.state == .running)
            #expect(report.agent.pid == getpid())
            #expect(report.agent.queued == 1)
            #expect(report.agent.uptime(at: report.generatedAt).map { $0 >= 3599 } == true)

            #expect(report.inbox.waitingCount == 1)
            #expect(report.inbox.waiting.map(\.path) == ["new\\nline.csv"])
            #expect(report.inbox.failedCount == 1)
            let failed = try #require(report.inbox.failed.first)
            #expect(failed.name == "bad.csv")
            #expect(failed.reason == refusal.description.split(separator: "\n").first.map(String.init))
            #expect(failed.reason?.contains("line 3") == true)

            #expect(report.database.state == .reachable)
            #expect(report.database.couldNotFindOut == [])
            let schema = try #require(report.database.schema)
            #expect(schema.appliedVersion == (try Migration.load(from: TestDatabase.migrationsDirectory).last?.version))
            #expect(schema.latestKnownVersion == schema.appliedVersion)
            #expect(schema.pending == [] && schema.changed == [])

            let imports = report.database.recentImports
            #expect(imports.map(\.status) == ["failed", "duplicate", "succeeded", "succeeded"])
            #expect(imports.map(\.file) == ["bad.csv", "checking copy.csv", "savings.csv", "checking.csv"])
            #expect(imports[0].error?.contains("line 3") == true)
            #expect(imports[3].id == first.importID)
            #expect(imports[3].rowsNew == 4 && imports[3].rowsAlreadyPresent == 0)
            #expect(imports[3].at != nil)

            let accounts = report.database.accounts
            #expect(accounts.map(\.name) == ["Checking", "Savings"])
            #expect(accounts.map(\.latestTransactionDate) == ["2025-03-10", "2025-02-28"])
            #expect(accounts.allSatisfy { $0.lastImportAt != nil })

            let stale = try #require(report.database.views)
            #expect(!stale.isFresh)
            #expect(stale.importsSinceRefresh == 2)
            #expect(stale.lastRefreshAt == nil)

            #expect(report.health == .filesFailing)
            #expect(report.health.exitCode == 3)
            #expect(report.problems.map(\.kind) == [.filesFailing])

            // Refresh the views: the next report calls them fresh.
            let connection = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            _ = try await connection.run { try $0.query("SELECT refresh_materialized_views('test')") }
            await connection.close()
            let after = await StatusReport.gather(context: context)
            let fresh = try #require(after.database.views)
            #expect(fresh.isFresh)
            #expect(fresh.importsSinceRefresh == 0)
            #expect(fresh.lastRefreshAt != nil)
            #expect(fresh.coveredImportID == fresh.latestImportID)

            // The same facts, as text and as JSON.
            let text = report.text()
            for expected in ["files failing (exit 3)", "Checking", "2025-03-10", "bad.csv", "new\\nline.csv", "stale"] {
                #expect(text.contains(expected), "\(expected) missing from:\n\(text)")
            }
            #expect(!text.contains("\u{1B}"))
            #expect(!text.contains("new\nline"))
            #expect(report.text(.init(color: true)).contains("\u{1B}[31m"))

            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
            #expect(json["health"] as? String == "files_failing")
            #expect(json["exit_code"] as? Int == 3)
            let agent = try #require(json["agent"] as? [String: Any])
            #expect(agent["running"] as? Bool == true)
            #expect(agent["current_file"] is NSNull)
            let database = try #require(json["database"] as? [String: Any])
            let views = try #require(database["views"] as? [String: Any])
            #expect(views["fresh"] as? Bool == false)
            #expect(views["imports_since_refresh"] as? Int == 2)
            let recent = try #require(database["recent_imports"] as? [[String: Any]])
            #expect(recent.first?["rows_new"] is NSNull)
            #expect(recent.last?["rows_new"] as? Int == 4)
            let inbox = try #require(json["inbox"] as? [String: Any])
            let failedJSON = try #require(inbox["failed"] as? [[String: Any]])
            #expect(failedJSON.first?["reason"] as? String == failed.reason)
        }
    }

    @Test("a database without the schema: exit 4, and each part says it could not find out")
    func notMigrated() async throws {
        try await TestDatabase.withDatabase { conninfo in
            let folder = try StatusFolder()
            try folder.writeAgentState()
            let report = await StatusReport.gather(context: folder.context(database: conninfo))
            #expect(report.database.state == .reachable)
            #expect(report.database.schema?.appliedVersion == nil)
            #expect(report.database.schema?.pending == Array(1...(try Migration.load(from: TestDatabase.migrationsDirectory).count)))
            #expect(report.database.couldNotFindOut.contains { $0.contains("import_logs") })
            #expect(report.database.couldNotFindOut.contains { $0.contains("view_refreshes") })
            #expect(report.health == .schemaNotMigrated)
            #expect(report.health.exitCode == 4)
        }
    }

    @Test("a database that answers at once is never reported as timed out")
    func noSpuriousTimeout() async throws {
        try await Self.withMigratedDatabase { conninfo in
            let folder = try StatusFolder()
            let context = folder.context(database: conninfo)
            for _ in 0..<25 {
                let report = await StatusReport.gather(context: context)
                #expect(report.database.state == .reachable, "\(report.database.error ?? "")")
            }
        }
    }

    // The time limits are checked on the command (StatusVerdictTests), in a process of its own: in
    // here, the parallel tests of the whole suite can hold the cooperative pool for seconds.

    @Test("a refused connection: exit 2, the error without the password")
    func refused() async throws {
        let folder = try StatusFolder()
        try folder.writeAgentState()
        let report = await StatusReport.gather(
            context: folder.context(database: "postgres://bankdrop:hunter2secret@127.0.0.1:1/money?sslmode=disable"))
        #expect(report.database.state == .unreachable)
        #expect(report.database.target == "postgres://bankdrop:***@127.0.0.1:1/money?sslmode=disable")
        #expect(report.database.error?.contains("127.0.0.1") == true)
        #expect(report.health == .databaseUnreachable)
        #expect(report.health.exitCode == 2)
        for output in [report.text(), report.json()] { #expect(!output.contains("hunter2")) }
    }

    @Test("a server that accepts but never answers is given up after the deadline")
    func hangingServer() async throws {
        let server = try SilentServer()
        let folder = try StatusFolder()
        let clock = ContinuousClock()
        let start = clock.now
        let report = await StatusReport.gather(
            context: folder.context(database: "host=127.0.0.1 port=\(server.port) dbname=x user=x sslmode=disable"),
            options: .init(databaseDeadline: .milliseconds(500)))
        #expect(clock.now - start >= .milliseconds(500))
        #expect(report.database.state == .unreachable)
        #expect(report.database.error == "no answer within 0.5 s")
    }

    @Test("no agent and no embedded database: exit 1, both said, nothing started")
    func nothingRunning() async throws {
        let folder = try StatusFolder(creatingInbox: false)
        let report = await StatusReport.gather(context: folder.context())
        #expect(report.agent.state == .notRunning)
        #expect(report.database.state == .notCreated)
        #expect(report.database.embedded)
        #expect(report.inbox.waitingCount == nil)
        #expect(report.inbox.couldNotFindOut.contains { $0.contains("does not exist") })
        #expect(report.problems.map(\.kind) == [.agentNotRunning, .databaseUnreachable])
        #expect(report.health.exitCode == 1)
        // Status looks, never starts: no cluster appeared.
        #expect(!FileManager.default.fileExists(atPath: folder.stateDirectory.path + "/postgres"))
    }

    @Test("a stopped embedded database is reported stopped, not started")
    func embeddedStopped() async throws {
        let folder = try StatusFolder()
        // What `state()` calls a created cluster whose server is not running.
        let data = folder.stateDirectory.appendingPathComponent("postgres/data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "15\n".write(to: data.appendingPathComponent("PG_VERSION"), atomically: true, encoding: .utf8)
        try folder.writeAgentState()
        let report = await StatusReport.gather(context: folder.context())
        #expect(report.database.state == .stopped)
        #expect(report.health == .databaseUnreachable)
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("postmaster.pid").path))
    }

    enum AgentCase: String, CaseIterable {
        case none, fresh, deadPid, stale, garbage
    }

    @Test("the agent's state file decides running or not", arguments: AgentCase.allCases)
    func agentState(_ situation: AgentCase) async throws {
        let folder = try StatusFolder()
        let file = AgentState.file(stateDirectory: folder.stateDirectory, inbox: folder.inbox)
        let expected: StatusReport.Agent.State
        switch situation {
        case .none:
            expected = .notRunning
        case .fresh:
            try folder.writeAgentState(
                retrying: [
                    .init(file: "q1.csv", attempts: 3, lastError: "connect failed\nsecond line", nextAttemptAt: Date())
                ])
            expected = .running
        case .deadPid:
            // No pid is ever this large (pid_max is at most 2^22).
            try folder.writeAgentState(pid: Int32.max)
            expected = .exited
        case .stale:
            try folder.writeAgentState(updatedAgo: 300)
            expected = .unresponsive
        case .garbage:
            try "{ not json".write(to: file, atomically: true, encoding: .utf8)
            expected = .unknown
        }
        let agent = await StatusReport.gather(context: folder.context()).agent
        #expect(agent.state == expected)
        #expect(agent.stateFile == file.path)
        if situation == .fresh {
            #expect(agent.retrying.map(\.lastError) == ["connect failed"])
            #expect(agent.retrying.map(\.attempts) == [3])
        }
        if situation == .garbage { #expect(agent.couldNotFindOut.count == 1) }
    }
}
