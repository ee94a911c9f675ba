import BankdropAgent
import BankdropCore
import BankdropPostgres
import Testing

/// A user with a new bank's CSV layout adds a profile to the configuration, as docs/formats.md
/// shows, and imports the file without touching code.
@Suite("CSV profile from the configuration")
struct UserProfileImportTests {
    static let configuration = """
        [[csv.profiles]]
        name = "examplebank"
        header_contains = ["Booked", "Counterparty", "Money out", "Money in"]
        date_column = "Booked"
        debit_column = "Money out"
        credit_column = "Money in"
        payee_column = "Counterparty"
        description_columns = ["Details"]
        currency = "GBP"
        date_format = "dd/MM/yyyy"
        decimal_separator = "."
        """

    static let export = """
        Booked,Counterparty,Details,Money out,Money in
        03/11/2025,Corner Shop,milk,2.45,
        04/11/2025,Employer Ltd,salary,,1850.00
        """

    @Test("a profile declared in TOML reads a layout no built-in profile knows")
    func importWithUserProfile() async throws {
        let loaded = try ConfigurationLoader(environment: [:]).load(contents: Self.configuration, file: "/etc/bankdrop/bankdrop.toml")
        let context = AgentContext(configuration: loaded, environment: [:], logger: TestDatabase.logger, runningAsRoot: false)
        let settings = context.importerSettings(account: "Current")

        // Without the profile the file is refused, naming the header it found.
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let refused = await importer.importFile(MemoryFile("bank.csv", Self.export, account: "Current"))
            guard case .refused(let refusal, _) = refused else { Issue.record("expected a refusal, got \(refused)"); return }
            #expect(refusal.description.contains("profile"))
        }
        try await ImporterTests.withImporter(settings: settings) { (importer: Importer, db: PostgresConnection) async throws in
            let outcome = await importer.importFile(MemoryFile("bank.csv", Self.export, account: "Current"))
            guard case .imported(let summary) = outcome else { Issue.record("expected an import, got \(outcome)"); return }
            #expect(summary.rowsInserted == 2)
            let rows = try await db.run {
                try $0.query("SELECT date::text, amount::text, payee, currency FROM transactions ORDER BY date").rows
            }
            #expect(rows == [["2025-11-03", "-2.450", "Corner Shop", "GBP"], ["2025-11-04", "1850.000", "Employer Ltd", "GBP"]])
        }
    }
}
