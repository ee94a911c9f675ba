import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// The agent's debounced refresh, timed by the real clock.
    @Suite("Refresh")
    struct Refresh {
        @Test("a steady trickle of files still refreshes the views within the maximum delay")
        func trickleRefreshesWithinMaxDelay() async throws {
            // Quiet 1 s never passes between files 0.4 s apart; the maximum delay of 2 s must fire.
            try await AgentSandbox.run(timings: .init(quietSeconds: 1, maxDelaySeconds: 2)) { sandbox in
                let agent = try await sandbox.startWatchingAgent()
                let clock = ContinuousClock()
                let started = clock.now
                var refreshedDuringTrickle = false
                for index in 0..<15 {
                    try StatementFiles.write(
                        StatementFiles.csv(tag: "drip\(index)", rows: 2), to: "\(sandbox.inbox)/drip-\(index).csv")
                    try await Task.sleep(for: .milliseconds(400))
                    if try await sandbox.integer("SELECT count(*) FROM view_refreshes") > 0 {
                        refreshedDuringTrickle = true
                    }
                }
                let trickle = clock.now - started
                #expect(refreshedDuringTrickle, "no refresh during a \(trickle) trickle with a 2 s maximum delay")
                try await sandbox.eventually("all 15 imported", agent: agent) {
                    try await sandbox.importCount("succeeded") == 15
                }
                let last = try await sandbox.integer("SELECT max(id) FROM import_logs")
                try await sandbox.eventually("a refresh covering the last import", agent: agent) {
                    try await sandbox.integer("SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes") == last
                }
                #expect(await agent.stop() == .exited(0))
                // Debounced: a few refreshes for 15 files, not one per file.
                let refreshes = try await sandbox.integer("SELECT count(*) FROM view_refreshes")
                #expect((2...6).contains(refreshes), "\(refreshes) refreshes for 15 files over \(trickle)")
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 30)
            }
        }
    }
}
