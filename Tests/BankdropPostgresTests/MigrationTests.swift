import BankdropCore
import BankdropPostgres
import Foundation
import Testing

@Suite("Migrations against a real PostgreSQL")
struct MigrationTests {
    let migrator = Migrator(
        migrations: (try? Migration.load(from: TestDatabase.migrationsDirectory)) ?? [], logger: TestDatabase.logger)

    /// Every table, column, index and view of the public schema, except the migrations ledger.
    static func schemaSnapshot(_ conn: isolated PostgresConnection) throws -> [String] {
        let columns = try conn.query(
            """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '')
                   || ' ' || is_nullable || ' ' || coalesce(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
            """
        ).rows.compactMap { $0[0] }
        let relations = try conn.query(
            """
            SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname NOT LIKE 'schema_migrations%'
            """
        ).rows.compactMap { $0[0] }
        let indexes = try conn.query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
        ).rows.compactMap { $0[0] }
        let functions = try conn.query(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"
        ).rows.compactMap { $0[0] }
        return (columns + relations + indexes + functions).sorted()
    }

    /// Row count and a checksum over every column of every transaction (amount at 2 decimals,
    /// since migration 0006 widens the column's scale, not the values).
    static func transactionsChecksum(_ conn: isolated PostgresConnection) throws -> [String?] {
        try conn.query(
            """
            SELECT count(*), md5(string_agg(concat_ws('|', id, account_id, date, amount::numeric(15,2), merchant, description,
                                                      created_at), ';' ORDER BY id))
            FROM transactions
            """
        ).rows.first ?? []
    }

    @Test("up, down --all, up again on an empty database leaves the same schema and nothing behind")
    func upDownUpEmpty() async throws {
        #expect(migrator.migrations.count >= 7)
        try await TestDatabase.withConnection { connection in
            try await connection.run { conn in
                let applied = try migrator.up(on: conn)
                #expect(applied == migrator.migrations.map(\.version))
                let first = try Self.schemaSnapshot(conn)
                #expect(first.contains("p transactions"))
                #expect(first.contains("m daily_summary"))

                try migrator.down(steps: nil, on: conn)
                #expect(try Self.schemaSnapshot(conn) == [])
                #expect(try Migrator.currentVersion(on: conn) == nil)

                try migrator.up(on: conn)
                #expect(try Self.schemaSnapshot(conn) == first)
                #expect(try migrator.status(on: conn).allSatisfy { $0.state == .applied })
                #expect(try migrator.up(on: conn) == [])
                // The views are usable and refreshable right away.
                #expect(try conn.query("SELECT refresh_materialized_views()").scalar() != nil)
            }
        }
    }

    @Test("a baseline database with rows across 2023–2026 keeps every row through baseline, up, down, up")
    func baselineDataSurvives() async throws {
        let baseline = try #require(migrator.migrations.first)
        try await TestDatabase.withConnection { connection in
            try await connection.run { conn in
                // An existing installation: the old schema, created by hand, holding data.
                try conn.execute(baseline.upSQL, operation: "old schema")
                try conn.query("INSERT INTO accounts (name, institution, currency) VALUES ('Checking', 'Bank', 'EUR'), ('Card', NULL, 'USD')")
                try conn.copy("COPY transactions (account_id, date, amount, merchant, description) FROM STDIN", operation: "COPY") { w in
                    for i in 0..<3000 {
                        let date = LocalDate(year: 2023 + i % 4, month: 1 + i % 12, day: 1 + i % 28)!
                        let cents = (i * 7919) % 100_000 - 60_000
                        try w.row([String(1 + i % 2), date.description, Amount(units: Int64(cents), scale: 2).description,
                                   i % 5 == 0 ? nil : "Shop \(i % 37)", "row \(i)\twith tab"])
                    }
                }
                let before = try Self.transactionsChecksum(conn)
                #expect(before.first == "3000")

                #expect(try migrator.baseline(on: conn))
                #expect(try migrator.baseline(on: conn) == false)
                try migrator.up(on: conn)
                #expect(try Self.transactionsChecksum(conn) == before)
                #expect(try conn.query("SELECT count(*) FROM transactions WHERE import_id IS NULL").scalar() == "0")
                #expect(try conn.query("SELECT status, transaction_count FROM import_logs").rows == [["initial", "3000"]])
                #expect(try PartitionManager.partitionedYears(on: conn) == [2023, 2024, 2025, 2026])
                #expect(try conn.query("SELECT count(*) FROM transactions_default").scalar() == "0")
                // Every migration but the baseline rolled back: the old schema with the same rows.
                try migrator.down(steps: migrator.migrations.count - 1, on: conn)
                #expect(try Migrator.currentVersion(on: conn) == baseline.version)
                #expect(try Self.transactionsChecksum(conn) == before)
                #expect(try conn.query("SELECT to_regclass('import_logs') IS NULL").scalar() == "t")

                try migrator.up(on: conn)
                #expect(try Self.transactionsChecksum(conn) == before)
                #expect(try migrator.status(on: conn).allSatisfy { $0.state == .applied })
                // The id sequence continues after the existing rows.
                let next = try conn.query(
                    "INSERT INTO transactions (account_id, date, amount) VALUES (1, '2026-05-05', -1) RETURNING id").scalar()
                #expect(next.flatMap { Int($0) } ?? 0 > 3000)
            }
        }
    }

    @Test("two sessions migrating at once: one waits, the other finds nothing to do")
    func concurrentMigrate() async throws {
        try await TestDatabase.withDatabase { conninfo in
            let a = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            let b = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            let migrator = self.migrator
            async let first = a.run { try migrator.up(on: $0) }
            async let second = b.run { try migrator.up(on: $0) }
            let results = try await [first, second]
            #expect(results.flatMap { $0 }.sorted() == migrator.migrations.map(\.version))
            let rows = try await a.run { try $0.query("SELECT count(*) FROM schema_migrations").scalar() }
            #expect(rows == String(migrator.migrations.count))
        }
    }

    @Test("an applied migration whose file changed is refused with a clear message")
    func checksumDrift() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.run { conn in
                try migrator.up(to: 2, on: conn)
                var edited = migrator.migrations
                edited[1].upSQL += "\n-- edited after it was applied\n"
                let drifted = Migrator(migrations: edited, logger: TestDatabase.logger)
                let error = #expect(throws: MigrationError.self) { try drifted.up(on: conn) }
                #expect(error?.description.contains("2_add_transaction_category") == true)
                #expect(error?.description.contains("has changed") == true)
                #expect(try drifted.status(on: conn)[1].state == .changed)
                // Nothing further was applied.
                #expect(try Migrator.currentVersion(on: conn) == 2)
            }
        }
    }

    @Test("migrate baseline refuses a database without the old tables")
    func baselineNeedsTables() async throws {
        try await TestDatabase.withConnection { connection in
            await connection.run { conn in
                #expect(throws: MigrationError.self) { try migrator.baseline(on: conn) }
            }
        }
    }

    @Test("a missing year's partition is created on demand, and rows parked in DEFAULT move into it")
    func partitions() async throws {
        try await TestDatabase.withConnection { connection in
            try await connection.run { conn in
                try migrator.up(on: conn)
                try conn.query("INSERT INTO accounts (name) VALUES ('A')")
                #expect(try PartitionManager.ensurePartitions(for: [2031, 2031, 2024], on: conn) == [2031])
                #expect(try PartitionManager.ensurePartitions(for: [2031], on: conn) == [])
                try conn.query("INSERT INTO transactions (account_id, date, amount) VALUES (1, '2031-12-31', -5), (1, '2032-01-01', -7)")
                #expect(try conn.query("SELECT count(*) FROM transactions_2031").scalar() == "1")
                #expect(try conn.query("SELECT count(*) FROM transactions_default").scalar() == "1")
                #expect(try PartitionManager.ensurePartitions(for: [2032], on: conn) == [2032])
                #expect(try conn.query("SELECT count(*) FROM transactions_default").scalar() == "0")
                #expect(try conn.query("SELECT amount FROM transactions_2032").scalar() == "-7.000")
                #expect(try PartitionManager.partitionedYears(on: conn).contains(2032))
            }
        }
    }
}
