import BankdropAgent
import BankdropCore
import BankdropPostgres
import Testing

/// The import pipeline against a real, migrated PostgreSQL.
@Suite("Import pipeline")
struct ImporterTests {
    static func withImporter(
        settings: Importer.Settings = Importer.Settings(host: "test"),
        _ body: (Importer, PostgresConnection) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { conninfo in
            let connection = try await PostgresConnection.connect(conninfo, logger: TestDatabase.logger)
            let migrator = Migrator(migrations: try Migration.load(from: TestDatabase.migrationsDirectory), logger: TestDatabase.logger)
            _ = try await connection.run { try migrator.up(on: $0) }
            let importer = try await Importer.connect(conninfo: conninfo, settings: settings, logger: TestDatabase.logger)
            try await body(importer, connection)
        }
    }

    static func count(_ sql: String, _ connection: PostgresConnection) async throws -> Int {
        try await connection.run { Int(try $0.query(sql).scalar() ?? "") ?? -1 }
    }

    static let january = """
        date,amount,payee,description
        2025-01-05,-3.20,Coffee Corner,flat white
        2025-01-05,-3.20,Coffee Corner,flat white
        2025-02-01,2500.00,ACME Corp,salary
        2025-03-10,-45.99,Grocer,weekly shop
        """

    @Test("the same file twice, or the same bytes under another name, adds nothing the second time")
    func duplicateFile() async throws {
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let first = await importer.importFile(MemoryFile("jan.csv", Self.january, account: "Checking"))
            guard case .imported(let summary) = first else { Issue.record("expected an import, got \(first)"); return }
            #expect(summary.rowsRead == 4)
            #expect(summary.rowsInserted == 4)
            #expect(summary.accounts == [.init(name: "Checking", read: 4, inserted: 4)])

            for name in ["jan.csv", "renamed copy.csv"] {
                let again = await importer.importFile(MemoryFile(name, Self.january, account: "Checking"))
                guard case .duplicate(let id, let original) = again else { Issue.record("expected a duplicate, got \(again)"); return }
                #expect(original == summary.importID)
                #expect(id != nil)
            }
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 4)
            #expect(try await Self.count("SELECT count(*) FROM import_logs WHERE status = 'duplicate'", db) == 2)
            #expect(try await Self.count("SELECT count(*) FROM import_logs WHERE status = 'succeeded'", db) == 1)
        }
    }

    @Test("overlapping exports give exactly the union; identical same-day rows both survive")
    func overlappingExports() async throws {
        let febToApril = """
            date,amount,payee,description
            2025-02-01,2500.00,ACME Corp,salary
            2025-03-10,-45.99,Grocer,weekly shop
            2025-04-02,-12.00,Cinema,tickets
            """
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            _ = await importer.importFile(MemoryFile("q1.csv", Self.january, account: "Checking"))
            let second = await importer.importFile(MemoryFile("q2.csv", febToApril, account: "Checking"))
            guard case .imported(let summary) = second else { Issue.record("expected an import, got \(second)"); return }
            #expect(summary.rowsRead == 3)
            #expect(summary.rowsInserted == 1)
            #expect(summary.rowsAlreadyPresent == 2)
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 5)
            #expect(try await Self.count("SELECT count(*) FROM transactions WHERE payee = 'Coffee Corner'", db) == 2)
            let logged = try await db.run {
                try $0.query("SELECT rows_read, rows_inserted, rows_duplicate FROM import_logs WHERE id = $1", [.int(summary.importID)]).rows
            }
            #expect(logged == [["3", "1", "2"]])
            // The first file again, with one byte changed so it is not a file duplicate: rows dedupe.
            let edited = Self.january + "\n"
            guard case .imported(let third) = await importer.importFile(MemoryFile("q1b.csv", edited, account: "Checking")) else {
                Issue.record("expected an import"); return
            }
            #expect(third.rowsInserted == 0)
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 5)
        }
    }

    @Test("a bad row in the middle leaves no rows, and the failed import names the line")
    func badRowRollsBack() async throws {
        var text = "date,amount,payee,description\n"
        for day in 1...20 { text += "2025-05-\(day < 10 ? "0" : "")\(day),-1.00,Shop,row \(day)\n" }
        text += "2025-05-21,12,3,4,Broken,row\n"
        text += "2025-05-22,-1.00,Shop,after\n"
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let outcome = await importer.importFile(MemoryFile("bad.csv", text, account: "Checking"))
            guard case .refused(let refusal, let id) = outcome else { Issue.record("expected a refusal, got \(outcome)"); return }
            #expect(refusal.description.contains("line 22"))
            #expect(id != nil)
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 0)
            let row = try await db.run { try $0.query("SELECT status, error FROM import_logs").rows }
            #expect(row.count == 1)
            #expect(row.first?[0] == "failed")
            #expect(row.first?[1]?.contains("line 22") == true)
        }
    }

    @Test("a file without an account is refused with a message that says how to fix it")
    func noAccount() async throws {
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let outcome = await importer.importFile(MemoryFile("x.csv", Self.january))
            guard case .refused(.noAccount, _) = outcome else { Issue.record("expected noAccount, got \(outcome)"); return }
            #expect(ImportRefusal.noAccount(fileName: "x.csv").description.contains("--account"))
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 0)
        }
    }

    @Test("rows in a year without a partition land in a new partition, never in DEFAULT")
    func newYearPartition() async throws {
        let text = "date,amount,payee,description\n2031-06-01,-9.99,Future,shop\n2030-12-31,-1.00,Eve,party\n"
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            guard case .imported = await importer.importFile(MemoryFile("future.csv", text, account: "Checking")) else {
                Issue.record("expected an import"); return
            }
            #expect(try await Self.count("SELECT count(*) FROM transactions_2031", db) == 1)
            #expect(try await Self.count("SELECT count(*) FROM transactions_2030", db) == 1)
            #expect(try await Self.count("SELECT count(*) FROM transactions_default", db) == 0)
        }
    }

    @Test("hostile and awkward text is stored byte-exact")
    func awkwardText() async throws {
        let payees = ["Robert'); DROP TABLE transactions;--", "C:\\path\\.", "\\.", "tab\there", "line\nbreak", "quote \"q\"", "Zoë & Co"]
        var csv = "date,amount,payee,description\n"
        for (i, payee) in payees.enumerated() {
            csv += "2025-07-0\(i + 1),-1.0\(i),\"\(payee.replacingOccurrences(of: "\"", with: "\"\""))\",d\(i)\n"
        }
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let outcome = await importer.importFile(MemoryFile("awkward.csv", csv, account: "Checking"))
            guard case .imported(let summary) = outcome else { Issue.record("expected an import, got \(outcome)"); return }
            #expect(summary.rowsInserted == payees.count)
            let stored = try await db.run { try $0.query("SELECT payee FROM transactions ORDER BY date").rows.map { $0[0] } }
            #expect(stored == payees)
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == payees.count)
        }
    }

    @Test("100k rows import and refresh the views")
    func largeImportAndRefresh() async throws {
        try await Self.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let outcome = await importer.importFile(GeneratedCSV(rows: 100_000))
            guard case .imported(let summary) = outcome else { Issue.record("expected an import, got \(outcome)"); return }
            #expect(summary.rowsInserted == 100_000)
            let record = try await db.run { try ViewRefresher.refresh(trigger: "test", host: "test", on: $0) }
            #expect(record.coveredImportID == summary.importID)
            let spending = try await db.run {
                try $0.query("SELECT (SELECT sum(total_spending) FROM daily_summary) = (SELECT -sum(amount) FROM transactions WHERE amount < 0)").scalar()
            }
            #expect(spending == "t")
            #expect(try await Self.count("SELECT sum(transaction_count) FROM merchant_summary", db) == 100_000)
            // Every account's balance on every day is the sum of its rows up to that day.
            #expect(
                try await Self.count(
                    """
                    SELECT count(*) FROM daily_balance b
                    FULL JOIN (SELECT account_id, date, sum(sum(amount)) OVER (PARTITION BY account_id ORDER BY date) AS balance
                               FROM transactions GROUP BY account_id, date) t USING (account_id, date)
                    WHERE b.balance IS DISTINCT FROM t.balance
                    """, db) == 0)
            #expect(try await Self.count("SELECT count(*) FROM daily_balance", db) == (try await Self.count("SELECT count(*) FROM daily_summary", db)))
        }
    }

    // Pins a fix: a file not grouped by date is loaded a second time with full occurrence
    // tracking, and a duplicate or a refusal found on that second pass used to fall through to
    // "retry later" (the rows here interleave their dates on purpose).
    @Test("two importers on the same bytes at once import them once; on overlapping files they never duplicate a row")
    func concurrentImporters() async throws {
        var big = "date,amount,payee,description\n"
        for i in 0..<20_000 { big += "2025-0\(1 + i % 9)-1\(i % 10),-\(i % 97).25,Shop \(i % 13),row \(i)\n" }
        let file = MemoryFile("same.csv", big, account: "Checking")
        try await Self.withImporter { (first: Importer, db: PostgresConnection) async throws in
            let conninfo = try await db.run { try $0.query("SELECT 'dbname=' || current_database()").scalar() ?? "" }
            let second = try await Importer.connect(
                conninfo: TestDatabase.cluster.connectionString(database: String(conninfo.dropFirst("dbname=".count))),
                settings: Importer.Settings(host: "second"), logger: TestDatabase.logger)
            async let a = first.importFile(file)
            async let b = second.importFile(file)
            let outcomes = await [a, b]
            let imported = outcomes.filter { if case .imported = $0 { true } else { false } }.count
            let duplicates = outcomes.filter { $0.isDuplicateForTests }.count
            #expect(imported == 1)
            #expect(duplicates == 1, "\(outcomes)")
            #expect(try await Self.count("SELECT count(*) FROM transactions", db) == 20_000)

            // Overlapping files at once: every row once, whichever commits first.
            var left = "date,amount,payee,description\n"
            var right = "date,amount,payee,description\n"
            for i in 0..<6_000 {
                let row = "2026-0\(1 + i % 9)-2\(i % 8),-\(i % 89).10,Cafe \(i % 7),overlap \(i)\n"
                if i < 4_000 { left += row }
                if i >= 2_000 { right += row }
            }
            async let c = first.importFile(MemoryFile("left.csv", left, account: "Checking"))
            async let d = second.importFile(MemoryFile("right.csv", right, account: "Checking"))
            _ = await [c, d]
            #expect(try await Self.count("SELECT count(*) FROM transactions WHERE date >= '2026-01-01'", db) == 6_000)
            #expect(try await Self.count("SELECT sum(rows_inserted) FROM import_logs WHERE file_name IN ('left.csv', 'right.csv')", db) == 6_000)
        }
    }
}

extension ImportOutcome {
    var isDuplicateForTests: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
