import BankdropAgent
import Foundation
import Glibc
import Testing

extension AgentEndToEndTests {
    /// Entries that are not regular files go to failed/ unread, and never block the agent.
    @Suite("Unsafe entries")
    struct UnsafeEntries {
        @Test("a symlink out of the inbox and a FIFO go to failed/ with a reason, unread; the agent goes on")
        func symlinkAndFIFO() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                // Outside the inbox: a valid statement (imported only if the link were followed)
                // and a FIFO (an open(2) that followed the link would block on it).
                let target = "\(sandbox.outside)/secret.csv"
                try StatementFiles.write(StatementFiles.csv(tag: "outside", rows: 4), to: target)
                try #require(mkfifo("\(sandbox.outside)/pipe", 0o644) == 0)
                // One of each already there at startup (found by the scan, not by an event).
                try #require(symlink(target, "\(sandbox.inbox)/early-link.csv") == 0)
                try #require(mkfifo("\(sandbox.inbox)/early-pipe.csv", 0o644) == 0)
                let agent = try await sandbox.startWatchingAgent()

                try #require(symlink(target, "\(sandbox.inbox)/link.csv") == 0)
                try #require(symlink("\(sandbox.outside)/pipe", "\(sandbox.inbox)/link-to-pipe.csv") == 0)
                try #require(mkfifo("\(sandbox.inbox)/pipe.csv", 0o644) == 0)
                // A symlinked "account folder" pointing out of the inbox, with a statement in it.
                try FileManager.default.createDirectory(
                    atPath: "\(sandbox.outside)/Elsewhere", withIntermediateDirectories: false)
                try StatementFiles.write(
                    StatementFiles.csv(tag: "outside", rows: 4), to: "\(sandbox.outside)/Elsewhere/e.csv")
                try #require(symlink("\(sandbox.outside)/Elsewhere", "\(sandbox.inbox)/Elsewhere") == 0)
                // Dropped after them: imported only if nothing blocked the agent.
                try StatementFiles.write(StatementFiles.csv(tag: "after", rows: 6), to: "\(sandbox.inbox)/after.csv")

                let refused = [
                    "Elsewhere", "early-link.csv", "early-pipe.csv", "link.csv", "link-to-pipe.csv", "pipe.csv",
                ]
                try await sandbox.eventually("after.csv imported and the three entries in failed/", agent: agent) {
                    sandbox.isDone("after.csv", since: start)
                        && refused.allSatisfy { sandbox.failedFiles.contains("\($0).error.txt") }
                }

                #expect(sandbox.failedFiles == refused.flatMap { [$0, "\($0).error.txt"] }.sorted())
                // Moved as what they are: still a symlink (to the same target) and a FIFO.
                #expect(
                    try FileManager.default.destinationOfSymbolicLink(atPath: "\(sandbox.inbox)/failed/link.csv")
                        == target)
                var info = stat()
                #expect(lstat("\(sandbox.inbox)/failed/pipe.csv", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
                let kinds = [
                    ("Elsewhere", "symlink"), ("early-link.csv", "symlink"), ("early-pipe.csv", "FIFO"),
                    ("link.csv", "symlink"),
                    ("link-to-pipe.csv", "symlink"), ("pipe.csv", "FIFO"),
                ]
                for (name, kind) in kinds {
                    let report = try String(
                        contentsOfFile: "\(sandbox.inbox)/failed/\(name).error.txt", encoding: .utf8)
                    #expect(report.contains("not a regular file"), "\(name): \(report)")
                    #expect(report.contains(kind), "\(name): \(report)")
                }
                // Never read: no import of the outside statement, and it is where it was.
                let logs = try await sandbox.importLogs()
                #expect(logs.map(\.fileName) == ["after.csv"], "\(logs)")
                #expect(logs.map(\.status) == ["succeeded"])
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions WHERE payee = 'outside'") == 0)
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 6)
                #expect(FileManager.default.fileExists(atPath: target))
                #expect(FileManager.default.fileExists(atPath: "\(sandbox.outside)/Elsewhere/e.csv"))
                #expect(sandbox.inboxFiles.isEmpty, "left in the inbox: \(sandbox.inboxFiles)")
                #expect(await agent.stop() == .exited(0))
            }
        }
    }
}
