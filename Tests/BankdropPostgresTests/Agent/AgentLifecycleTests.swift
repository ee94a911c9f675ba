import BankdropAgent
import BankdropCore
import Foundation
import Glibc
import Testing

extension AgentEndToEndTests {
    /// Starting and stopping: one agent per inbox, and a graceful stop never leaves half a file.
    @Suite("Lifecycle")
    struct Lifecycle {
        @Test("a second agent on the same inbox exits at once, naming the first agent's pid")
        func secondAgentRefused() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let first = try await sandbox.startWatchingAgent()
                let second = try sandbox.startAgent()
                let ending = await second.waitForExit(within: .seconds(10))
                #expect(ending != .running && ending != .exited(0), "the second agent \(ending)")
                #expect(second.output.contains("pid \(first.pid)"), "\(second.outputTail())")
                // The first agent's published state is still its own, and it still works.
                #expect(sandbox.agentState?.pid == first.pid)
                #expect(first.ending == .running)
                try StatementFiles.write(StatementFiles.csv(tag: "still", rows: 2), to: "\(sandbox.inbox)/still.csv")
                try await sandbox.eventually("still.csv imported by the first agent", agent: first) {
                    sandbox.isDone("still.csv", since: start)
                }
                #expect(try await sandbox.importLogs().map(\.status) == ["succeeded"])
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 2)
                #expect(sandbox.failedFiles.isEmpty)
                #expect(await first.stop() == .exited(0))
            }
        }

        @Test(
            "after the inbox folder is deleted and made again, the agent locks the new one: a second agent is still refused"
        )
        func relockRecreatedInbox() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let first = try await sandbox.startWatchingAgent()
                try FileManager.default.removeItem(atPath: sandbox.inbox)
                try await Task.sleep(for: .seconds(1.5))
                try FileManager.default.createDirectory(atPath: sandbox.inbox, withIntermediateDirectories: false)
                let lockFile = "\(sandbox.inbox)/.bankdrop.lock"
                try await sandbox.eventually("the agent locking the new inbox folder", agent: first) {
                    (try? String(contentsOfFile: lockFile, encoding: .utf8))?.hasPrefix("\(first.pid)\n") == true
                }
                let second = try sandbox.startAgent()
                let ending = await second.waitForExit(within: .seconds(10))
                #expect(ending != .running && ending != .exited(0), "the second agent \(ending)")
                #expect(second.output.contains("pid \(first.pid)"), "\(second.outputTail())")
                // And the first agent still imports from the new folder.
                try StatementFiles.write(StatementFiles.csv(tag: "again", rows: 3), to: "\(sandbox.inbox)/again.csv")
                try await sandbox.eventually("again.csv imported", agent: first) {
                    sandbox.isDone("again.csv", since: start)
                }
                #expect(await first.stop() == .exited(0))
                #expect(try await sandbox.importLogs().map(\.status) == ["succeeded"])
            }
        }

        @Test("views left stale by a crash between an import and its refresh are refreshed when the agent starts again")
        func staleViewsRefreshedAtStart() async throws {
            // A long quiet period: the refresh is still pending when the agent is killed.
            try await AgentSandbox.run(timings: .init(quietSeconds: 60, maxDelaySeconds: 120)) { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                try StatementFiles.write(StatementFiles.csv(tag: "stale", rows: 5), to: "\(sandbox.inbox)/stale.csv")
                try await sandbox.eventually("stale.csv imported", agent: agent) {
                    sandbox.isDone("stale.csv", since: start)
                }
                agent.send(SIGKILL)
                #expect(await agent.waitForExit(within: .seconds(10)) == .signalled(SIGKILL))
                #expect(try await sandbox.integer("SELECT count(*) FROM view_refreshes") == 0)
                #expect(
                    try await sandbox.integer("SELECT count(*) FROM daily_summary") == 0,
                    "the views do not have the rows yet")

                try sandbox.writeConfiguration(.init())
                let restarted = try await sandbox.startWatchingAgent()
                let imported = try await sandbox.integer("SELECT max(id) FROM import_logs WHERE status = 'succeeded'")
                try await sandbox.eventually("a refresh covering import \(imported) with no new file", agent: restarted)
                {
                    try await sandbox.integer("SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes")
                        == imported
                }
                #expect(await restarted.stop() == .exited(0))
                #expect(try await sandbox.integer("SELECT sum(transaction_count) FROM merchant_summary") == 5)
                #expect(try await sandbox.importLogs().map(\.status) == ["succeeded"])
            }
        }

        static let bigRows = 60_000

        /// How the agent is stopped in the middle of an import.
        enum Stop: String, CaseIterable, CustomTestStringConvertible, Sendable {
            /// A graceful shutdown (systemctl stop): the agent must exit 0.
            case sigterm
            /// A crash or `kill -9`: nothing is finished, so nothing may be half there.
            case sigkill

            var signal: Int32 { self == .sigterm ? SIGTERM : SIGKILL }
            var expectedEnding: AgentProcess.Ending { self == .sigterm ? .exited(0) : .signalled(SIGKILL) }
            var testDescription: String { rawValue }
        }

        @Test(
            "stopped during a large import: the file is all in or all out, and a restart finishes it once",
            arguments: Stop.allCases)
        func stopMidImport(_ stop: Stop) async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                let digest = try StatementFiles.writeLarge(
                    rows: Self.bigRows, tag: "big", to: "\(sandbox.outside)/big.csv")
                try #require(rename("\(sandbox.outside)/big.csv", "\(sandbox.inbox)/big.csv") == 0)
                try await sandbox.eventually("the agent importing big.csv", agent: agent) {
                    sandbox.agentState?.current == "big.csv"
                }
                // Well inside the load (it takes seconds), not at its first instant.
                try await Task.sleep(for: .milliseconds(500))
                let inFlight = sandbox.agentState?.current
                agent.send(stop.signal)
                let ending = await agent.waitForExit(within: .seconds(60))
                #expect(ending == stop.expectedEnding, "\(agent.outputTail())")
                #expect(inFlight == "big.csv", "the signal was meant to land during the import")

                let hash = "'\\x\(FileDigest.hex(digest))'::bytea"
                let rows = try await sandbox.integer("SELECT count(*) FROM transactions")
                let succeeded = try await sandbox.integer(
                    "SELECT count(*) FROM import_logs WHERE status = 'succeeded' AND file_sha256 = \(hash)")
                #expect(try await sandbox.integer("SELECT count(*) FROM import_logs WHERE status = 'running'") == 0)
                if rows == 0 {
                    #expect(succeeded == 0)
                    #expect(sandbox.inboxFiles == ["big.csv"], "an unimported file stays in the inbox")
                } else {
                    #expect(rows == Self.bigRows, "never a partial count")
                    #expect(succeeded == 1)
                    #expect(sandbox.isDone("big.csv", since: start))
                    if stop == .sigterm {
                        // A graceful stop runs the pending refresh: the views include the file.
                        let covered = try await sandbox.integer(
                            "SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes")
                        #expect(covered == (try await sandbox.importLogs().first?.id))
                    }
                }
                print("\(stop) mid-import: \(rows == 0 ? "rolled back" : "finished") before exit")

                let restarted = try sandbox.startAgent()
                try await sandbox.eventually(
                    "big.csv imported after the restart", timeout: .seconds(60), agent: restarted
                ) {
                    try await sandbox.importCount("succeeded") == 1 && sandbox.isDone("big.csv", since: start)
                }
                try await Task.sleep(for: .seconds(1))
                #expect(await restarted.stop() == .exited(0))
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == Self.bigRows)
                let logs = try await sandbox.importLogs()
                #expect(logs.filter { $0.status == "succeeded" }.map(\.rowsInserted) == [Self.bigRows], "\(logs)")
                #expect(logs.allSatisfy { $0.status == "succeeded" }, "\(logs)")
                #expect(sandbox.inboxFiles.isEmpty)
                #expect(sandbox.failedFiles.isEmpty)
            }
        }
    }
}
