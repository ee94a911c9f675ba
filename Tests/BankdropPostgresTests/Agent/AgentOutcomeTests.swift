import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// What becomes of files that are not simply new: the same bytes again, a bad file, a whole
    /// account folder moved in.
    @Suite("Outcomes")
    struct Outcomes {
        @Test("the same bytes dropped again, under the same or another name, are duplicates: done/, no rows added")
        func sameFileTwice() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                let text = StatementFiles.csv(tag: "twice", rows: 6)
                try StatementFiles.write(text, to: "\(sandbox.inbox)/jan.csv")
                try await sandbox.eventually("jan.csv imported", agent: agent) {
                    sandbox.isDone("jan.csv", since: start)
                }
                try StatementFiles.write(text, to: "\(sandbox.inbox)/jan.csv")
                try StatementFiles.write(text, to: "\(sandbox.inbox)/renamed copy.csv")
                try await sandbox.eventually("both copies recorded as duplicates", agent: agent) {
                    try await sandbox.importCount("duplicate") == 2 && sandbox.inboxFiles.isEmpty
                }
                #expect(await agent.stop() == .exited(0))

                let logs = try await sandbox.importLogs()
                #expect(logs.map(\.status) == ["succeeded", "duplicate", "duplicate"], "\(logs)")
                let duplicateOf = try await sandbox.rows(
                    "SELECT DISTINCT duplicate_of FROM import_logs WHERE status = 'duplicate'")
                #expect(duplicateOf == [["\(logs.first?.id ?? -1)"]])
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 6)
                let month = AgentSandbox.doneFolder()
                #expect(
                    Set(sandbox.doneFiles) == ["\(month)/jan.csv", "\(month)/jan (2).csv", "\(month)/renamed copy.csv"])
                #expect(sandbox.failedFiles.isEmpty)
            }
        }

        @Test("a bad file goes to failed/ with a report naming the line; the agent goes on with the next file")
        func badFileThenGoodFile() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                var bad = StatementFiles.csv(tag: "bad", rows: 3)
                bad += "2025-05-21,12,3,4,Broken,row\n"  // line 5: six fields under a four-column header
                bad += StatementFiles.rows(tag: "bad", count: 2, from: 10)
                try StatementFiles.write(bad, to: "\(sandbox.inbox)/bad.csv")
                try StatementFiles.write("just some notes, not a statement\n", to: "\(sandbox.inbox)/notes.txt")
                try StatementFiles.write(StatementFiles.csv(tag: "good", rows: 4), to: "\(sandbox.inbox)/good.csv")
                try await sandbox.eventually("good.csv imported and both bad files in failed/", agent: agent) {
                    sandbox.isDone("good.csv", since: start) && sandbox.failedFiles.count == 4
                }
                #expect(await agent.stop() == .exited(0))

                #expect(sandbox.failedFiles == ["bad.csv", "bad.csv.error.txt", "notes.txt", "notes.txt.error.txt"])
                let badReport = try String(contentsOfFile: "\(sandbox.inbox)/failed/bad.csv.error.txt", encoding: .utf8)
                #expect(badReport.contains("line 5"), "\(badReport)")
                let notesReport = try String(
                    contentsOfFile: "\(sandbox.inbox)/failed/notes.txt.error.txt", encoding: .utf8)
                #expect(notesReport.contains("no CSV profile matches"), "\(notesReport)")
                let logs = try await sandbox.importLogs()
                #expect(logs.count == 3, "\(logs)")
                #expect(logs.first { $0.fileName == "bad.csv" }?.status == "failed")
                #expect(logs.first { $0.fileName == "bad.csv" }?.error?.contains("line 5") == true)
                #expect(logs.first { $0.fileName == "notes.txt" }?.status == "failed")
                #expect(logs.first { $0.fileName == "good.csv" }?.status == "succeeded")
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 4)
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions WHERE payee = 'bad'") == 0)
                #expect(sandbox.inboxFiles.isEmpty)
            }
        }

        @Test("an empty file is left alone until it has content, then imported once (touch, then write)")
        func emptyFileWaitsForContent() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                let path = "\(sandbox.inbox)/later.csv"
                // Created and closed empty (touch; a network-share copy that creates, closes, reopens).
                try StatementFiles.write("", to: path)
                try await Task.sleep(for: .seconds(1.5))
                #expect(sandbox.failedFiles.isEmpty, "an empty file is not a statement yet")
                #expect(try await sandbox.importLogs().isEmpty)
                #expect(sandbox.inboxFiles == ["later.csv"])

                let file = try OpenFile(appendingTo: path)
                try file.write(StatementFiles.csv(tag: "later", rows: 4))
                file.close()
                try await sandbox.eventually("later.csv imported", agent: agent) {
                    sandbox.isDone("later.csv", since: start)
                }
                try await Task.sleep(for: .seconds(0.5))
                #expect(await agent.stop() == .exited(0))
                #expect(try await sandbox.importLogs().map(\.status) == ["succeeded"])
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 4)
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.inboxFiles.isEmpty)
            }
        }

        @Test("an account folder moved into the inbox with its files: each file imported for that account")
        func accountFolderMovedIn() async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                let folder = "\(sandbox.outside)/Brokerage"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                try StatementFiles.write(StatementFiles.csv(tag: "q1", rows: 3), to: "\(folder)/q1.csv")
                try StatementFiles.write(StatementFiles.csv(tag: "q2", rows: 5), to: "\(folder)/q2.csv")
                try #require(rename(folder, "\(sandbox.inbox)/Brokerage") == 0)
                try await sandbox.eventually("both files of the moved folder imported", agent: agent) {
                    sandbox.isDone("q1.csv", since: start) && sandbox.isDone("q2.csv", since: start)
                }
                try await Task.sleep(for: .seconds(1))
                #expect(await agent.stop() == .exited(0))

                let logs = try await sandbox.importLogs()
                #expect(Set(logs.map(\.fileName)) == ["Brokerage/q1.csv", "Brokerage/q2.csv"], "\(logs)")
                #expect(logs.allSatisfy { $0.status == "succeeded" })
                let accounts = try await sandbox.rows(
                    "SELECT a.name, count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id GROUP BY a.name"
                )
                #expect(accounts == [["Brokerage", "8"]])
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.inboxFiles.isEmpty, "left in the inbox: \(sandbox.inboxFiles)")
            }
        }
    }
}
