import BankdropAgent
import BankdropCore
import BankdropPostgres
import Testing

/// The direct-COPY fast path: which rows skip the staging table, and that choosing it never
/// changes what is stored.
@Suite("Direct load")
struct DirectLoadTests {
    /// A CSV with one `-1.00` row per date, payee named after the date.
    static func csv(_ dates: [String], amount: String = "-1.00") -> String {
        (["date,amount,payee,description"] + dates.map { "\($0),\(amount),Shop \($0),test" }).joined(separator: "\n")
    }

    static func days(_ month: Int, _ range: ClosedRange<Int>, year: Int = 2025) -> [String] {
        range.compactMap { LocalDate(year: year, month: month, day: $0)?.description }
    }

    static func summary(_ outcome: ImportOutcome) throws -> ImportSummary {
        guard case .imported(let summary) = outcome else {
            Issue.record("expected an import, got \(outcome)")
            throw CancellationError()
        }
        return summary
    }

    @Test("a first file and a later month load straight into the table")
    func newMonths() async throws {
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let january = try Self.summary(await importer.importFile(MemoryFile("jan.csv", Self.csv(Self.days(1, 1...31)), account: "A")))
            #expect(january.rowsInserted == 31)
            #expect(january.rowsCopiedDirectly == 31)
            let february = try Self.summary(await importer.importFile(MemoryFile("feb.csv", Self.csv(Self.days(2, 1...28)), account: "A")))
            #expect(february.rowsInserted == 28)
            #expect(february.rowsCopiedDirectly == 28)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions", db) == 59)
            #expect(try await ImporterTests.count("SELECT count(DISTINCT import_id) FROM transactions", db) == 2)
            // Another account's stored dates do not make a row suspect.
            let other = try Self.summary(await importer.importFile(MemoryFile("b.csv", Self.csv(Self.days(1, 1...31), amount: "-2.00"), account: "B")))
            #expect(other.rowsCopiedDirectly == 31)
        }
    }

    @Test("an overlapping export stages only the rows inside the stored dates")
    func overlap() async throws {
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            _ = try Self.summary(await importer.importFile(MemoryFile("jan.csv", Self.csv(Self.days(1, 1...31)), account: "A")))
            // 25-31 January again (stored), one new row on 31 January, then 1-10 February.
            let dates = Self.days(1, 25...31) + ["2025-01-31"] + Self.days(2, 1...10)
            let text = Self.csv(dates)
            let second = try Self.summary(await importer.importFile(MemoryFile("overlap.csv", text, account: "A")))
            #expect(second.rowsRead == 18)
            #expect(second.rowsInserted == 11)  // the second 31 January row and 10 February rows
            #expect(second.rowsCopiedDirectly == 10)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions", db) == 42)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions WHERE date = '2025-01-31'", db) == 2)
        }
    }

    @Test("a year without a partition gets one in the load transaction, and its rows still go direct")
    func missingPartition() async throws {
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let text = Self.csv(Self.days(12, 20...31, year: 2010) + Self.days(1, 1...10, year: 2011))
            let first = try Self.summary(await importer.importFile(MemoryFile("2010-11.csv", text, account: "A")))
            #expect(first.rowsInserted == 22)
            #expect(first.rowsCopiedDirectly == 22)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions_2010", db) == 12)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions_2011", db) == 10)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions_default", db) == 0)
            // A refused import keeps no rows, nor the partition it made in the same transaction.
            let bad = Self.csv(Self.days(6, 1...3, year: 2009)) + "\n2009-06-04,abc,Shop,test"
            guard case .refused = await importer.importFile(MemoryFile("bad.csv", bad, account: "A")) else {
                Issue.record("expected a refusal")
                return
            }
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions WHERE date < '2010-01-01'", db) == 0)
            #expect(try await ImporterTests.count("SELECT count(*) FROM pg_class WHERE relname = 'transactions_2009'", db) == 0)
        }
    }

    @Test("rows that jump in and out of the stored dates stop switching after a while and lose nothing")
    func interleaved() async throws {
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            _ = try Self.summary(await importer.importFile(MemoryFile("june.csv", Self.csv(Self.days(6, 1...30)), account: "A")))
            // May (new, outside the stored dates) and June (stored) alternate: 60 switches.
            let dates = zip(Self.days(5, 1...30), Self.days(6, 1...30)).flatMap { [$0, $1] }
            let mixed = try Self.summary(await importer.importFile(MemoryFile("mixed.csv", Self.csv(dates), account: "A")))
            #expect(mixed.rowsRead == 60)
            #expect(mixed.rowsInserted == 30)
            #expect(mixed.rowsCopiedDirectly > 0)
            #expect(mixed.rowsCopiedDirectly < 30)
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions", db) == 60)
        }
    }

    @Test("a bad row after direct rows leaves no rows and no new account behind")
    func refusedMidway() async throws {
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let text = Self.csv(Self.days(1, 1...20)) + "\n2025-01-21,abc,Shop,test"
            let outcome = await importer.importFile(MemoryFile("bad.csv", text, account: "Fresh"))
            guard case .refused(let refusal, _) = outcome else { Issue.record("expected a refusal, got \(outcome)"); return }
            #expect(refusal.description.contains("line 22"))
            #expect(try await ImporterTests.count("SELECT count(*) FROM transactions", db) == 0)
            #expect(try await ImporterTests.count("SELECT count(*) FROM accounts WHERE name = 'Fresh'", db) == 0)
            #expect(try await ImporterTests.count("SELECT count(*) FROM import_logs WHERE status = 'failed'", db) == 1)
        }
    }
}
