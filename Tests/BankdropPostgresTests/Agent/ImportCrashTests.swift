import BankdropCore
import Foundation
import Glibc
import Testing

extension AgentEndToEndTests {
    /// `kill -9` in the middle of a load leaves nothing behind, and the file imports cleanly after.
    @Suite("Import crash")
    struct ImportCrash {
        /// Enough for the COPY to run for seconds in a debug build (the load is streamed, so more
        /// rows only make the test slower, not different).
        static let rows = 200_000

        @Test("kill -9 of bankdrop import during its COPY: no rows, no import record; a rerun imports it once")
        func killDuringCopy() async throws {
            try await AgentSandbox.run { sandbox in
                let file = "\(sandbox.outside)/big.csv"
                let digest = try StatementFiles.writeLarge(rows: Self.rows, tag: "big", to: file)
                let hash = "'\\x\(FileDigest.hex(digest))'::bytea"
                let arguments = ["import", "--database", sandbox.conninfo, "--account", "A", file]

                let doomed = try sandbox.spawn(arguments, label: "import")
                try await sandbox.eventually("the COPY running", timeout: .seconds(60), agent: doomed) {
                    try await sandbox.integer(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
                          AND query LIKE 'COPY transactions%'
                        """) == 1
                }
                try await Task.sleep(for: .milliseconds(300))
                doomed.send(SIGKILL)
                #expect(await doomed.waitForExit(within: .seconds(10)) == .signalled(SIGKILL))
                // The server ends the dead client's sessions (and rolls their transaction back).
                try await sandbox.eventually("the killed client's sessions gone") {
                    try await sandbox.integer(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                        """) == 0
                }
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 0)
                #expect(
                    try await sandbox.integer(
                        "SELECT count(*) FROM import_logs WHERE file_sha256 = \(hash) AND status IN ('running', 'succeeded')"
                    ) == 0)

                let rerun = try sandbox.spawn(arguments, label: "import")
                let ending = await rerun.waitForExit(within: .seconds(180))
                #expect(ending == .exited(0), "\(rerun.outputTail())")
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == Self.rows)
                let logs = try await sandbox.rows(
                    "SELECT status, rows_inserted FROM import_logs WHERE file_sha256 = \(hash) ORDER BY id")
                #expect(logs == [["succeeded", "\(Self.rows)"]])
                #expect(try await sandbox.integer("SELECT count(*) FROM import_logs") == 1)
                #expect(FileManager.default.fileExists(atPath: file), "without --move the file stays")
            }
        }
    }
}
