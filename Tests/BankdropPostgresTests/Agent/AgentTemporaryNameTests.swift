import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// Names that browsers, sync tools and editors use for unfinished files are never imported.
    @Suite("Temporary names")
    struct TemporaryNames {
        /// Each a complete, valid statement: only its name says "not finished".
        static let names = [
            "statement.csv.part",  // Firefox, wget
            "statement.csv.crdownload",  // Chrome
            ".statement.csv",  // a dotfile
            ".statement.csv.Xy12Ab",  // rsync's temporary name
            "statement.csv~",  // an editor backup
            "statement.csv.tmp",
        ]

        @Test("temporary names in the inbox, found at startup or arriving later, are never imported")
        func temporaryNamesStay() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                for (index, name) in Self.names.enumerated() {
                    try StatementFiles.write(
                        StatementFiles.csv(tag: "early\(index)", rows: 3), to: "\(sandbox.inbox)/\(name)")
                }
                let agent = try await sandbox.startWatchingAgent()
                try FileManager.default.createDirectory(
                    atPath: "\(sandbox.inbox)/Savings", withIntermediateDirectories: false)
                for (index, name) in Self.names.enumerated() {
                    try StatementFiles.write(
                        StatementFiles.csv(tag: "late\(index)", rows: 3), to: "\(sandbox.inbox)/Savings/\(name)")
                }
                // A real file after them; once it is in, give the agent a few settle periods more.
                try StatementFiles.write(
                    StatementFiles.csv(tag: "barrier", rows: 5), to: "\(sandbox.inbox)/barrier.csv")
                try await sandbox.eventually("barrier.csv imported", agent: agent) {
                    sandbox.isDone("barrier.csv", since: start)
                }
                try await Task.sleep(for: .seconds(1.5))

                let logs = try await sandbox.importLogs()
                #expect(logs.map(\.fileName) == ["barrier.csv"], "\(logs)")
                #expect(logs.map(\.status) == ["succeeded"])
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 5)
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions WHERE payee <> 'barrier'") == 0)
                let expectedLeft = (Self.names + Self.names.map { "Savings/\($0)" }).sorted()
                #expect(sandbox.inboxFiles == expectedLeft)
                #expect(sandbox.doneFiles == ["\(AgentSandbox.doneFolder())/barrier.csv"])
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.agentState?.queued == 0)
                #expect(await agent.stop() == .exited(0))
            }
        }
    }
}
