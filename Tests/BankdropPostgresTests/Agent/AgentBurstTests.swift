import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// A burst of files: every one imported once, and the views refreshed a few times, not per file.
    @Suite("Burst")
    struct Burst {
        static let fileCount = 200
        static let rowsPerFile = 3

        @Test("200 files dropped at once: 200 imports, every row once, at most 3 refreshes covering the last import")
        func burst() async throws {
            try await AgentSandbox.run { sandbox in
                let agent = try await sandbox.startWatchingAgent()
                let clock = ContinuousClock()
                let started = clock.now
                for index in 0..<Self.fileCount {
                    try StatementFiles.write(
                        StatementFiles.csv(tag: "burst\(index)", rows: Self.rowsPerFile),
                        to: "\(sandbox.inbox)/burst-\(index).csv")
                }
                try await sandbox.eventually("\(Self.fileCount) imports", timeout: .seconds(90), agent: agent) {
                    try await sandbox.importCount("succeeded") == Self.fileCount
                }
                let imported = clock.now
                let lastImport = try await sandbox.integer("SELECT max(id) FROM import_logs WHERE status = 'succeeded'")
                try await sandbox.eventually("a refresh covering import \(lastImport)", agent: agent) {
                    try await sandbox.integer("SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes")
                        == lastImport
                }
                print("burst: imported in \(imported - started), refreshed after \(clock.now - started)")
                #expect(await agent.stop() == .exited(0))

                let logs = try await sandbox.importLogs()
                #expect(logs.count == Self.fileCount, "no duplicate or failed imports expected")
                #expect(Set(logs.map(\.fileName)).count == Self.fileCount)
                #expect(logs.allSatisfy { $0.status == "succeeded" && $0.rowsInserted == Self.rowsPerFile })
                #expect(
                    try await sandbox.integer("SELECT count(*) FROM transactions") == Self.fileCount * Self.rowsPerFile)
                #expect(try await sandbox.integer("SELECT count(DISTINCT payee) FROM transactions") == Self.fileCount)
                let refreshes = try await sandbox.rows("SELECT id, covered_import_id FROM view_refreshes ORDER BY id")
                #expect((1...3).contains(refreshes.count), "refreshes: \(refreshes)")
                #expect(refreshes.last?[1] == "\(lastImport)")
                #expect(sandbox.doneFiles.count == Self.fileCount)
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.inboxFiles.isEmpty)
                #expect(
                    try await sandbox.integer("SELECT sum(transaction_count) FROM merchant_summary") == Self.fileCount
                        * Self.rowsPerFile)
            }
        }
    }
}
