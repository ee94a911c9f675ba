import BankdropAgent
import BankdropPostgres
import Foundation
import Glibc
import Testing

extension AgentEndToEndTests {
    /// The database is not there when the agent starts: files wait, the agent stays up and says
    /// so, and imports (migrating the schema first) as soon as the database comes.
    @Suite("Database outage")
    struct DatabaseOutage {
        @Test("a database that does not exist yet: degraded, then imported once it is created")
        func databaseCreatedLater() async throws {
            try await Self.withLateDatabase("agent_late") { sandbox, create in
                try await Self.degradedThenRecovered(sandbox) { try await create() }
            }
        }

        @Test("with an empty inbox: the agent reports the missing database and migrates it once it exists")
        func emptyInboxConnectsAtStart() async throws {
            try await Self.withLateDatabase("agent_empty") { sandbox, create in
                let agent = try sandbox.startAgent()
                // `bankdrop --status` must not say "watching" while no file could be imported.
                try await sandbox.eventually("phase degraded with nothing in the inbox", agent: agent) {
                    sandbox.agentState?.phase == .degraded
                }
                try await create()
                // "The schema is migrated on start" (bankdrop watch --help), not at the first file.
                try await sandbox.eventually("phase watching", agent: agent) {
                    sandbox.agentState?.phase == .watching
                }
                #expect(try await sandbox.integer("SELECT count(*) FROM schema_migrations") > 0)
                #expect(try await sandbox.importLogs().isEmpty)
                #expect(await agent.stop() == .exited(0))
            }
        }

        /// Runs `body` in a sandbox whose database (on the test cluster, named after `prefix`) does
        /// not exist yet; `body` creates it by calling its second argument. Dropped afterwards.
        static func withLateDatabase(
            _ prefix: String, _ body: (AgentSandbox, @Sendable () async throws -> Void) async throws -> Void
        ) async throws {
            let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
            // Any database of the test cluster will do to create and drop the late one.
            try await TestDatabase.withConnection { admin in
                let drop = { @Sendable in
                    try await admin.run {
                        try $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", operation: "DROP DATABASE")
                    }
                }
                do {
                    try await AgentSandbox.run(conninfo: TestDatabase.cluster.connectionString(database: name)) { sandbox in
                        try await body(sandbox) {
                            try await admin.run { try $0.execute("CREATE DATABASE \(name)", operation: "CREATE DATABASE") }
                        }
                    }
                } catch {
                    try? await drop()
                    throw error
                }
                try await drop()
            }
        }

        @Test("SIGTERM while degraded: the agent exits 0 at once and the waiting file stays in the inbox")
        func stopWhileDegraded() async throws {
            let name = "agent_never_\(UUID().uuidString.prefix(8).lowercased())"
            try await AgentSandbox.run(conninfo: TestDatabase.cluster.connectionString(database: name)) { sandbox in
                let agent = try await sandbox.startWatchingAgent()
                try StatementFiles.write(
                    StatementFiles.csv(tag: "waiting", rows: 2), to: "\(sandbox.inbox)/waiting.csv")
                try await sandbox.eventually("phase degraded", agent: agent) { sandbox.agentState?.phase == .degraded }
                try await Task.sleep(for: .seconds(1))
                let clock = ContinuousClock()
                let asked = clock.now
                agent.send(SIGTERM)
                let ending = await agent.waitForExit(within: .seconds(20))
                #expect(ending == .exited(0), "\(agent.outputTail())")
                #expect(clock.now - asked < .seconds(5), "stopping waited for the reconnect backoff")
                #expect(sandbox.inboxFiles == ["waiting.csv"])
                #expect(sandbox.doneFiles.isEmpty && sandbox.failedFiles.isEmpty)
                #expect(sandbox.agentState?.phase == .stopping)
            }
        }

        @Test("no server behind the socket: degraded, then imported once the server starts")
        func serverStartedLater() async throws {
            let folder = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("bankdrop-late-cluster-\(UUID().uuidString.prefix(8).lowercased())")
            let cluster = EmbeddedCluster(stateDirectory: folder)
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                // The agent's reconnect backoff grows to 30 s: wait past it.
                try await AgentSandbox.run(conninfo: cluster.connectionString()) { sandbox in
                    try await Self.degradedThenRecovered(sandbox, recoveryTimeout: .seconds(45)) {
                        try await Self.offThePool { try cluster.start(logger: TestDatabase.logger) }
                    }
                }
            } catch {
                try? await Self.offThePool { try cluster.stop() }
                throw error
            }
            try await Self.offThePool { try cluster.stop() }
        }

        @Test("the server stops while the agent runs: degraded, then the next file is imported once it is back")
        func serverRestartedWhileWatching() async throws {
            let folder = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("bankdrop-restarted-cluster-\(UUID().uuidString.prefix(8).lowercased())")
            let cluster = EmbeddedCluster(stateDirectory: folder)
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                try await Self.offThePool { try cluster.start(logger: TestDatabase.logger) }
                try await AgentSandbox.run(conninfo: cluster.connectionString()) { sandbox in
                    let start = Date()
                    let agent = try await sandbox.startWatchingAgent()
                    try StatementFiles.write(
                        StatementFiles.csv(tag: "before", rows: 3), to: "\(sandbox.inbox)/before.csv")
                    try await sandbox.eventually("before.csv imported and refreshed", agent: agent) {
                        sandbox.isDone("before.csv", since: start) && sandbox.agentState?.refreshCount == 1
                    }
                    // The agent's connections die with the server.
                    try await Self.offThePool { try cluster.stop() }
                    try await sandbox.closeDatabase()
                    try await Self.degradedThenRecovered(
                        sandbox, agent: agent, start: start, recoveryTimeout: .seconds(45)
                    ) {
                        try await Self.offThePool { try cluster.start(logger: TestDatabase.logger) }
                    }
                    let logs = try await sandbox.importLogs()
                    #expect(logs.map(\.fileName) == ["before.csv", "waiting.csv"], "\(logs)")

                    #expect(logs.allSatisfy { $0.status == "succeeded" }, "\(logs)")
                    #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 3 + 8)
                }
            } catch {
                try? await Self.offThePool { try cluster.stop() }
                throw error
            }
            try await Self.offThePool { try cluster.stop() }
        }

        /// Drops a file while the database is unreachable, checks the agent waits in `degraded`
        /// with the file in the inbox, runs `bringBack`, then checks the file is imported once and
        /// the agent is back to `watching`.
        static func degradedThenRecovered(
            _ sandbox: AgentSandbox, agent running: AgentProcess? = nil, start: Date = Date(),
            recoveryTimeout: Duration = .seconds(20), bringBack: () async throws -> Void
        ) async throws {
            let agent = if let running { running } else { try await sandbox.startWatchingAgent() }
            try StatementFiles.write(StatementFiles.csv(tag: "waiting", rows: 8), to: "\(sandbox.inbox)/waiting.csv")
            try await sandbox.eventually("phase degraded", agent: agent) { sandbox.agentState?.phase == .degraded }
            // Stays up and keeps the file while the database is away.
            try await Task.sleep(for: .seconds(1))
            #expect(agent.ending == .running)
            let degraded = try #require(sandbox.agentState)
            #expect(degraded.phase == .degraded)
            #expect(degraded.databaseError != nil)
            #expect(sandbox.inboxFiles == ["waiting.csv"])
            #expect(!sandbox.isDone("waiting.csv", since: start))
            #expect(sandbox.failedFiles.isEmpty)

            try await bringBack()
            try await sandbox.eventually("waiting.csv imported", timeout: recoveryTimeout, agent: agent) {
                sandbox.isDone("waiting.csv", since: start)
            }
            try await sandbox.eventually("phase watching", agent: agent) {
                let state = sandbox.agentState
                return state?.phase == .watching && state?.databaseError == nil
            }
            // The views catch up too (after a server restart the refresher must reconnect).
            let last = try await sandbox.integer("SELECT max(id) FROM import_logs WHERE status = 'succeeded'")
            try await sandbox.eventually("a refresh covering import \(last)", agent: agent) {
                try await sandbox.integer("SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes") == last
            }
            #expect(await agent.stop() == .exited(0))
            let logs = try await sandbox.importLogs()
            #expect(logs.filter { $0.fileName == "waiting.csv" }.map(\.status) == ["succeeded"], "\(logs)")
            #expect(logs.last?.rowsInserted == 8)
            #expect(try await sandbox.integer("SELECT count(*) FROM transactions WHERE payee = 'waiting'") == 8)
            #expect(
                try await sandbox.integer("SELECT count(*) FROM schema_migrations") > 0,
                "the agent migrated the new database")
            #expect(sandbox.inboxFiles.isEmpty)
            #expect(sandbox.failedFiles.isEmpty)
        }

        /// Runs a blocking call (initdb, pg_ctl) on a thread of its own, not on the cooperative pool.
        static func offThePool(_ work: @escaping @Sendable () throws -> Void) async throws {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                Thread { done.resume(with: Result { try work() }) }.start()
            }
        }
    }
}
