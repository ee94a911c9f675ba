import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// Files that were waiting before the agent started are found by its startup scan.
    @Suite("Startup scan")
    struct StartupScan {
        @Test("files already in the inbox and its account folders are imported when the agent starts")
        func filesWaitingAtStartup() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                try FileManager.default.createDirectory(
                    atPath: "\(sandbox.inbox)/Savings/2025", withIntermediateDirectories: true)
                let files = [
                    ("waiting.csv", "Checking", 7),
                    ("Savings/savings.csv", "Savings", 5),
                    ("Savings/2025/deeper.csv", "Savings", 3),
                ]
                for (path, _, rows) in files {
                    try StatementFiles.write(StatementFiles.csv(tag: path, rows: rows), to: "\(sandbox.inbox)/\(path)")
                }
                let agent = try sandbox.startAgent()
                try await sandbox.eventually("the three waiting files imported", agent: agent) {
                    try await sandbox.importCount("succeeded") == 3 && sandbox.doneFiles.count == 3
                }
                try await Task.sleep(for: .seconds(1))

                let logs = try await sandbox.importLogs()
                #expect(logs.count == 3, "\(logs)")
                #expect(Set(logs.map(\.fileName)) == Set(files.map(\.0)))
                #expect(logs.allSatisfy { $0.status == "succeeded" })
                for (path, account, rows) in files {
                    let stored = try await sandbox.rows(
                        "SELECT a.name, count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id "
                            + "WHERE t.payee = '\(path)' GROUP BY a.name")
                    #expect(stored == [[account, "\(rows)"]], "\(path)")
                }
                for (path, _, _) in files {
                    let name = String(path.split(separator: "/").last ?? "")
                    #expect(sandbox.isDone(name, since: start), "\(name) not in done/: \(sandbox.doneFiles)")
                }
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.inboxFiles.isEmpty, "left in the inbox: \(sandbox.inboxFiles)")
                #expect(await agent.stop() == .exited(0))
            }
        }
    }
}
