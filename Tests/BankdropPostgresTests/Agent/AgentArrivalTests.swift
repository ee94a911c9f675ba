import BankdropAgent
import Foundation
import Testing

extension AgentEndToEndTests {
    /// Every way a statement lands in the inbox ends in exactly one import and a move to done/.
    @Suite("Arrivals")
    struct Arrivals {
        /// How a file arrives in the inbox.
        enum Arrival: String, CaseIterable, CustomTestStringConvertible, Sendable {
            /// open, write, close (cp).
            case writeAndClose
            /// Written outside the inbox, then renamed into it (mv on one file system).
            case moveIn
            /// Written in chunks, kept open for seconds: only the settle period can tell it is done.
            case slowWriter
            /// A browser download: `name.csv.crdownload`, renamed to `name.csv` when complete.
            case browserDownload
            /// `inbox/<account>/name.csv`, the folder made after the agent started.
            case accountFolder
            /// `mkdir -p inbox/<account>/2025/q1` and a file at once: the watcher must catch up with
            /// folders made faster than it can watch them.
            case nestedFolders

            var testDescription: String { rawValue }
        }

        static let rowCount = 40

        @Test("a file is imported exactly once and moved to done/YYYY/MM/", arguments: Arrival.allCases)
        func arrival(_ arrival: Arrival) async throws {
            // The slow writer pauses 0.1 s between chunks; a settle period of 1 s keeps a busy
            // machine's scheduling hiccup from looking like a finished file.
            var timings = AgentSandbox.Timings()
            if arrival == .slowWriter { timings.settleSeconds = 1 }
            try await AgentSandbox.run(timings: timings) { sandbox in
                let agent = try await sandbox.startWatchingAgent()
                let start = Date()
                let name = "\(arrival.rawValue).csv"
                let text = StatementFiles.csv(tag: arrival.rawValue, rows: Self.rowCount)
                var expectedName = name
                var account = "Checking"

                switch arrival {
                case .writeAndClose:
                    try StatementFiles.write(text, to: "\(sandbox.inbox)/\(name)")
                case .moveIn:
                    try StatementFiles.write(text, to: "\(sandbox.outside)/\(name)")
                    try #require(rename("\(sandbox.outside)/\(name)", "\(sandbox.inbox)/\(name)") == 0)
                case .slowWriter:
                    let file = try await Self.writeSlowly(text, to: "\(sandbox.inbox)/\(name)", sandbox: sandbox)
                    // Still open: no close event, only the settle period can tell the file is complete.
                    try await sandbox.eventually("the open file imported once settled", agent: agent) {
                        try await sandbox.importCount("succeeded") == 1
                    }
                    file.close()
                case .browserDownload:
                    let partial = "\(sandbox.inbox)/\(name).crdownload"
                    // Chrome closes and reopens the download file as data comes in.
                    let half = text.utf8.count / 2
                    try StatementFiles.write(String(decoding: Array(text.utf8)[..<half], as: UTF8.self), to: partial)
                    try await Task.sleep(for: .milliseconds(700))
                    try StatementFiles.write(text, to: partial)
                    try await Task.sleep(for: .milliseconds(700))
                    #expect(try await sandbox.importLogs().isEmpty, "the .crdownload name must never be imported")
                    try #require(rename(partial, "\(sandbox.inbox)/\(name)") == 0)
                case .accountFolder:
                    account = "Savings"
                    try FileManager.default.createDirectory(
                        atPath: "\(sandbox.inbox)/Savings", withIntermediateDirectories: false)
                    try StatementFiles.write(text, to: "\(sandbox.inbox)/Savings/\(name)")
                    expectedName = "Savings/\(name)"
                case .nestedFolders:
                    account = "Savings"
                    try FileManager.default.createDirectory(
                        atPath: "\(sandbox.inbox)/Savings/2025/q1", withIntermediateDirectories: true)
                    try StatementFiles.write(text, to: "\(sandbox.inbox)/Savings/2025/q1/\(name)")
                    expectedName = "Savings/2025/q1/\(name)"
                }

                try await sandbox.eventually("\(expectedName) imported and moved to done/", agent: agent) {
                    try await sandbox.importCount("succeeded") == 1 && sandbox.isDone(name, since: start)
                }
                // Long enough for a second event (a late close, a rescan) to cause a second import.
                try await Task.sleep(for: .seconds(1))

                let logs = try await sandbox.importLogs()
                #expect(logs.count == 1, "\(logs)")
                #expect(logs.first?.status == "succeeded")
                #expect(logs.first?.fileName == expectedName)
                #expect(logs.first?.rowsRead == Self.rowCount)
                #expect(logs.first?.rowsInserted == Self.rowCount)
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == Self.rowCount)
                let accounts = try await sandbox.rows(
                    "SELECT DISTINCT a.name FROM transactions t JOIN accounts a ON a.id = t.account_id")
                #expect(accounts == [[account]])
                #expect(sandbox.doneFiles.count == 1)
                #expect(sandbox.failedFiles.isEmpty)
                #expect(sandbox.inboxFiles.isEmpty, "left in the inbox: \(sandbox.inboxFiles)")
                let stopped = await agent.stop()
                #expect(stopped == .exited(0))
            }
        }

        /// Writes `text` in 20 chunks 0.1 s apart on one open descriptor, checking between chunks
        /// that nothing was imported; returns the file still open.
        static func writeSlowly(_ text: String, to path: String, sandbox: AgentSandbox) async throws -> OpenFile {
            let bytes = Array(text.utf8)
            let file = try OpenFile(creating: path)
            let chunk = bytes.count / 20 + 1
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunk)
                try file.write(String(decoding: bytes[offset..<end], as: UTF8.self))
                offset = end
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await sandbox.importLogs().isEmpty, "imported while still being written (\(offset) bytes)")
            }
            return file
        }
    }
}
