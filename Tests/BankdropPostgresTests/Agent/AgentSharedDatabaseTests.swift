import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// Several agents, one per inbox, share one database.
    @Suite("Shared database")
    struct SharedDatabase {
        @Test("two agents on two inboxes get the same bytes at once: one import, one duplicate, every row once")
        func sameBytesInTwoInboxes() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let second = sandbox.root.appendingPathComponent("inbox2").path
                let secondState = sandbox.root.appendingPathComponent("state2").path
                let first = try await sandbox.startWatchingAgent()
                let other = try sandbox.spawn(
                    [
                        "watch", "--config", sandbox.configFile, "--state-dir", secondState, "--database",
                        sandbox.conninfo, second,
                    ],
                    label: "watch2")
                try await sandbox.eventually("the second agent watching", agent: other) {
                    FileManager.default.fileExists(atPath: "\(second)/.bankdrop.lock")
                        && (try? FileManager.default.contentsOfDirectory(atPath: secondState))?.contains {
                            $0.hasPrefix("agent-")
                        } == true
                }
                // Big enough that both loads overlap.
                try StatementFiles.writeLarge(rows: 20_000, tag: "shared", to: "\(sandbox.outside)/a.csv")
                try FileManager.default.copyItem(atPath: "\(sandbox.outside)/a.csv", toPath: "\(sandbox.outside)/b.csv")
                try #require(rename("\(sandbox.outside)/a.csv", "\(sandbox.inbox)/shared.csv") == 0)
                try #require(rename("\(sandbox.outside)/b.csv", "\(second)/shared.csv") == 0)
                try await sandbox.eventually("both copies handled", timeout: .seconds(60), agent: first) {
                    sandbox.isDone("shared.csv", since: start)
                        && AgentSandbox.files(under: "\(second)/done").count == 1 && other.ending == .running
                }
                #expect(await first.stop() == .exited(0))
                #expect(await other.stop() == .exited(0))

                let logs = try await sandbox.importLogs()
                #expect(logs.map(\.status).sorted() == ["duplicate", "succeeded"], "\(logs)")
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 20_000)
                #expect(try await sandbox.integer("SELECT count(*) FROM import_logs WHERE status = 'running'") == 0)
                #expect(sandbox.failedFiles.isEmpty)
                #expect(AgentSandbox.files(under: "\(second)/failed").isEmpty)
            }
        }
    }
}
