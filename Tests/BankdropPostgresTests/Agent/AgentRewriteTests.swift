import BankdropAgent
import BankdropCore
import Foundation
import Testing

extension AgentEndToEndTests {
    /// A file changed in place (`cp new.csv inbox/statement.csv` keeps the inode, so does an
    /// append) while the agent imports it: every committed import is exactly the bytes its hash
    /// names, and what the file holds in the end is imported too, never moved to done/ unread.
    @Suite("Rewrite in place")
    struct RewriteInPlace {
        /// What happens to the file, and when, told by the agent's statement in `pg_stat_activity`.
        enum Change: String, CaseIterable, CustomTestStringConvertible, Sendable {
            /// Truncated and rewritten while its rows stream in (the reader is part-way through):
            /// the old bytes were never read whole.
            case overwriteDuringCopy
            /// More rows appended while the rows stream in: the reader may read them too.
            case appendDuringCopy
            /// Truncated and rewritten after it was read to its end, while its staged rows are
            /// inserted (the account already holds rows around the file's dates, so every row goes
            /// through the staging table): the old bytes are a complete import, and the new ones
            /// must not go to done/ unread.
            case overwriteDuringInsert

            var queryPrefix: String {
                switch self {
                case .overwriteDuringCopy, .appendDuringCopy: "COPY transactions"
                case .overwriteDuringInsert: "WITH inserted AS"
                }
            }
            var testDescription: String { rawValue }
        }

        static let oldRows = 50_000
        static let newRows = 7

        @Test(
            "a file changed during its import: each import is the bytes it hashed; the final bytes are imported",
            arguments: Change.allCases)
        func changedWhileImporting(_ change: Change) async throws {
            try await AgentSandbox.run { sandbox in
                let start = Date()
                let agent = try await sandbox.startWatchingAgent()
                // Rows from before bankdrop on both sides of the file's year (2024): a row of the
                // file might be one of them, so the file loads through the staging table.
                let seeded = change == .overwriteDuringInsert ? 2 : 0
                if seeded > 0 {
                    _ = try await sandbox.rows(
                        """
                        WITH a AS (INSERT INTO accounts (name) VALUES ('Checking') RETURNING id)
                        INSERT INTO transactions (account_id, date, amount)
                        SELECT id, d, -1 FROM a, (VALUES (DATE '2023-12-31'), (DATE '2025-12-31')) AS v(d) RETURNING id
                        """)
                }
                let path = "\(sandbox.inbox)/statement.csv"
                let oldDigest = FileDigest.hex(
                    try StatementFiles.writeLarge(rows: Self.oldRows, tag: "old", to: "\(sandbox.outside)/old.csv"))
                let oldText = try String(contentsOfFile: "\(sandbox.outside)/old.csv", encoding: .utf8)
                try #require(rename("\(sandbox.outside)/old.csv", path) == 0)
                try await sandbox.eventually(
                    "the agent running \(change.queryPrefix)", timeout: .seconds(60), agent: agent
                ) {
                    try await sandbox.integer(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND state = 'active' AND query LIKE '\(change.queryPrefix)%'
                        """) == 1
                }
                let finalText: String
                switch change {
                case .overwriteDuringCopy, .overwriteDuringInsert:
                    // cp over the same name: O_TRUNC on the same inode, write, close.
                    finalText = StatementFiles.csv(tag: "new", rows: Self.newRows)
                    try StatementFiles.write(finalText, to: path)
                case .appendDuringCopy:
                    let more = StatementFiles.rows(tag: "new", count: Self.newRows, year: 2026)
                    let file = try OpenFile(appendingTo: path)
                    try file.write(more)
                    file.close()
                    finalText = oldText + more
                }
                let finalDigest = FileDigest.hex(FileDigest.sha256(Array(finalText.utf8)))
                let finalRows = finalText.split(separator: "\n").count - 1

                try await sandbox.eventually("the final bytes imported and moved", timeout: .seconds(60), agent: agent)
                {
                    try await sandbox.integer(
                        "SELECT count(*) FROM import_logs WHERE status = 'succeeded' AND file_sha256 = '\\x\(finalDigest)'::bytea"
                    )
                        == 1 && sandbox.inboxFiles.isEmpty
                }
                try await Task.sleep(for: .seconds(1))
                #expect(await agent.stop() == .exited(0))

                // Every committed import read exactly the bytes it hashed.
                let expectedRows = [oldDigest: Self.oldRows, finalDigest: finalRows]
                let imports = try await sandbox.rows(
                    "SELECT encode(file_sha256, 'hex'), rows_read, status FROM import_logs WHERE status <> 'failed' ORDER BY id"
                )
                for row in imports {
                    let digest = row[0] ?? ""
                    #expect(row[2] == "succeeded" || row[2] == "duplicate", "\(row)")
                    #expect(expectedRows[digest] != nil, "an import of bytes that were never the whole file: \(row)")
                    if row[2] == "succeeded" { #expect(row[1] == expectedRows[digest].map { "\($0)" }, "\(row)") }
                }
                #expect(imports.last?[0] == finalDigest)
                let oldImported = imports.contains { $0[0] == oldDigest && $0[2] == "succeeded" }
                let stored = try await sandbox.integer("SELECT count(*) FROM transactions") - seeded
                if change == .overwriteDuringInsert {
                    // Read whole before the rewrite: a complete import of the old bytes, then the new ones.
                    #expect(oldImported)
                    #expect(stored == Self.oldRows + finalRows, "\(stored) rows stored")
                } else {
                    // The old bytes were never read whole: nothing of them.
                    #expect(!oldImported, "the old bytes were changed before they were read to the end")
                    #expect(stored == finalRows, "\(stored) rows stored, the final file has \(finalRows)")
                }
                let done = sandbox.doneFiles
                #expect(done.count == 1, "\(done)")
                let moved = try String(contentsOfFile: "\(sandbox.inbox)/done/\(done.first ?? "")", encoding: .utf8)
                #expect(moved == finalText, "done/ holds the final bytes")
                #expect(sandbox.isDone("statement.csv", since: start))
                #expect(sandbox.failedFiles.isEmpty)
            }
        }
    }
}
