import BankdropPostgres
import Testing

@Suite("PostgreSQL connection")
struct PostgresConnectionTests {
    @Test("parameters travel bound, never as SQL text")
    func boundParameters() async throws {
        try await TestDatabase.withConnection { connection in
            let hostile = "Robert'); DROP TABLE t;--"
            let row = try await connection.run { conn in
                try conn.query("SELECT $1::text, $2::int + 1, $3::text IS NULL, octet_length($4::bytea)",
                    [.text(hostile), .int(41), .null, .bytes([0, 1, 2, 255])]).rows.first
            }
            #expect(row == [hostile, "42", "t", "4"])
        }
    }

    @Test("errors carry SQLSTATE and the server's message, and know whether they are transient")
    func errorClassification() async throws {
        try await TestDatabase.withConnection { connection in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.run { try $0.query("SELECT * FROM no_such_table") }
            }
            #expect(error?.sqlState == "42P01")
            #expect(error?.message.contains("no_such_table") == true)
            #expect(error?.isTransient == false)
        }
    }

    @Test("SQLSTATE classes 08, 40, 53, 57 and no SQLSTATE are transient", arguments: [
        ("08006", true), ("40001", true), ("40P01", true), ("53100", true), ("57P01", true),
        ("23505", false), ("22P02", false), ("42P01", false), (nil, true),
    ] as [(String?, Bool)])
    func transientClasses(sqlState: String?, transient: Bool) {
        #expect(PostgresError(operation: "x", sqlState: sqlState, message: "m").isTransient == transient)
    }

    @Test("a failed connection names no password and counts as transient")
    func connectFailure() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(
                "host=/nonexistent-bankdrop port=5 user=u password=s3cr3t-pw dbname=d connect_timeout=2",
                logger: TestDatabase.logger)
        }
        #expect(error?.operation == "connect")
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("s3cr3t-pw") == false)
    }

    @Test("a transaction that throws leaves nothing behind")
    func transactionRollback() async throws {
        struct Boom: Error {}
        try await TestDatabase.withConnection { connection in
            try await connection.run { try $0.execute("CREATE TABLE t (v text)", operation: "CREATE") }
            await #expect(throws: Boom.self) {
                try await connection.run { conn in
                    try conn.withTransaction {
                        try conn.query("INSERT INTO t VALUES ($1)", [.text("x")])
                        throw Boom()
                    }
                }
            }
            #expect(try await connection.run { try $0.query("SELECT count(*) FROM t").scalar() } == "0")
        }
    }

    @Test("COPY streams 100k rows and stores awkward text byte-exact")
    func copyManyRows() async throws {
        let awkward: [String?] = ["tab\there", "new\nline", "cr\rhere", "back\\slash", "\\.", "C:\\path\\.", "\\N", nil, "Robert'); DROP TABLE t;--", "日本語 ✓"]
        try await TestDatabase.withConnection { connection in
            let copied = try await connection.run { conn in
                try conn.execute("CREATE TABLE t (n int, v text, b bytea)", operation: "CREATE")
                return try conn.copy("COPY t (n, v, b) FROM STDIN", operation: "COPY t") { writer in
                    for n in 0..<100_000 {
                        writer.field(String(n))
                        writer.field(awkward[n % awkward.count])
                        writer.field(bytes: n % 2 == 0 ? [UInt8(n % 256), 0, 92] : nil)
                        try writer.endRow()
                    }
                }
            }
            #expect(copied == 100_000)
            let stored = try await connection.run { conn in
                try conn.query("SELECT v FROM t WHERE n < $1 ORDER BY n", [.int(awkward.count)]).rows.map { $0[0] }
            }
            #expect(stored == awkward)
            let bytes = try await connection.run { try $0.query("SELECT encode(b, 'hex') FROM t WHERE n = 2").scalar() }
            #expect(bytes == "02005c")
            let total = try await connection.run { try $0.query("SELECT count(*), count(b) FROM t").rows.first }
            #expect(total == ["100000", "50000"])
        }
    }

    @Test("a COPY whose producer throws sends CopyFail and leaves nothing visible")
    func copyProducerThrows() async throws {
        struct ParseFailure: Error {}
        try await TestDatabase.withConnection { connection in
            try await connection.run { try $0.execute("CREATE TABLE t (n int)", operation: "CREATE") }
            await #expect(throws: ParseFailure.self) {
                try await connection.run { conn in
                    try conn.copy("COPY t (n) FROM STDIN", operation: "COPY t") { writer in
                        for n in 0..<50_000 {
                            if n == 40_000 { throw ParseFailure() }
                            try writer.row([String(n)])
                        }
                    }
                }
            }
            // The connection is still usable and nothing was stored.
            #expect(try await connection.run { try $0.query("SELECT count(*) FROM t").scalar() } == "0")
        }
    }

    @Test("a COPY the server rejects reports the SQLSTATE")
    func copyServerRejects() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.run { try $0.execute("CREATE TABLE t (n int)", operation: "CREATE") }
            let error = await #expect(throws: PostgresError.self) {
                try await connection.run { conn in
                    try conn.copy("COPY t (n) FROM STDIN", operation: "COPY t") { writer in
                        try writer.row(["1"])
                        try writer.row(["not a number"])
                    }
                }
            }
            #expect(error?.sqlState == "22P02")
            #expect(error?.operation == "COPY t")
        }
    }
}
