import BankdropAgent
import BankdropCore
import BankdropPostgres
import Foundation
import GrafanaDashboards
import Testing

/// Every SQL query of the shipped Grafana dashboards, expanded as Grafana expands it, against a
/// migrated database holding generated statements imported through the real pipeline, run as the
/// read-only role docs/grafana.md creates.
@Suite("Grafana dashboards")
struct DashboardQueryTests {
    static let dashboardFiles = ["bankdrop.json", "legacy.json"]

    /// Today in UTC, the last day of the generated data.
    static func today(_ now: Date) throws -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return try #require(LocalDate(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0))
    }

    /// The ranges every query runs over, ending now: the default 90 days and two years.
    static func ranges(endingAt now: Date) -> [(name: String, from: Date, to: Date)] {
        [("last 90 days", now.addingTimeInterval(-90 * 86400), now), ("last 2 years", now.addingTimeInterval(-730 * 86400), now)]
    }

    @Test("the dashboards are well-formed: unique uids and panel ids, the provisioned data source, SQL everywhere")
    func structure() throws {
        let dashboards = try Self.dashboardFiles.map(GrafanaDashboard.load)
        #expect(Set(dashboards.map(\.uid)).count == dashboards.count)
        let provisioned = try String(
            contentsOf: GrafanaDashboard.configDirectory.appendingPathComponent("provisioning/datasources/bankdrop.yaml"),
            encoding: .utf8)
        for dashboard in dashboards {
            #expect(!dashboard.queries.isEmpty)
            #expect(Set(dashboard.panelIDs).count == dashboard.panelIDs.count, "\(dashboard.title)")
            #expect(dashboard.datasourceUIDs == ["bankdrop-postgres"], "\(dashboard.title)")
            #expect(dashboard.queries.allSatisfy { !$0.sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
        }
        #expect(provisioned.contains("uid: bankdrop-postgres"))
        // Secrets come from a file or the environment, never inline.
        #expect(provisioned.contains("password: $__file{") || provisioned.contains("password: $__env{"))
        let overview = try #require(dashboards.first { $0.uid == "bankdrop-overview" })
        let account = try #require(overview.variables.first { $0.name == "account" })
        #expect(account.multi && account.includeAll)
        #expect(overview.queries.filter { $0.format != "variable" }.allSatisfy { $0.sql.contains("$account") || !$0.sql.contains("account_id") })
    }

    @Test("every dashboard query runs on generated, imported data and returns rows, for 90 days and 2 years")
    func everyQueryReturnsRows() async throws {
        let today = try Self.today(Date())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bankdrop-dashboards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = GeneratorSettings(
            transactionCount: 20_000, accountCount: 3, seed: 11, formats: [.csv, .camt053, .mt940], overlap: 0.1,
            startYear: today.year - 2, today: today)
        let totals = try GeneratedInboxWriter(directory: directory).write(settings)
        let files = try GeneratedFile.all(in: directory)
        #expect(files.count == totals.files)
        let dashboards = try Self.dashboardFiles.map(GrafanaDashboard.load)
        let readerRole = try String(
            contentsOf: GrafanaDashboard.configDirectory.appendingPathComponent("grafana-reader.sql"), encoding: .utf8)

        try await ImporterTests.withImporter { importer, db in
            for file in files {
                let outcome = await importer.importFile(file)
                guard case .imported = outcome else {
                    Issue.record("\(file.displayName): expected an import, got \(outcome)")
                    return
                }
            }
            // A duplicate and a failure, as a real inbox has them, for the import panels.
            _ = await importer.importFile(try #require(files.first))
            _ = await importer.importFile(MemoryFile("broken.csv", "date,amount,payee,description\n2025-13-01,x,y,z\n", account: "X"))
            let loaded = try await db.run { try $0.query("SELECT count(*), sum(amount)::numeric(15,2) FROM transactions").rows }
            #expect(loaded == [[String(totals.transactions), totals.sum.description]])
            try await db.run { conn in
                try conn.query("SELECT refresh_materialized_views('test', 'test')")
                try conn.execute(readerRole, operation: "create the Grafana role")
            }
            let accountIDs = try await db.run { try $0.query("SELECT id FROM accounts ORDER BY id").rows.compactMap { $0[0] } }
            #expect(accountIDs.count == 3)

            try await db.run { try $0.execute("SET ROLE bankdrop_grafana", operation: "SET ROLE") }
            // The role docs/grafana.md creates reads, and cannot write.
            await #expect(throws: PostgresError.self) {
                try await db.run { try $0.query("DELETE FROM import_logs WHERE id < 0") }
            }
            // "now" when the dashboard is looked at, after the imports and the refresh; whole
            // milliseconds, as a browser sends the range.
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            var ran = 0
            for dashboard in dashboards {
                var selections: [(String, [String: GrafanaInterpolator.Value])] = [("selected accounts", ["account": .values(accountIDs)])]
                if let all = dashboard.variables.first(where: { $0.name == "account" })?.allValue {
                    selections.append(("All", ["account": .raw(all)]))
                }
                for range in Self.ranges(endingAt: now) {
                    for (selection, variables) in selections {
                        let interpolator = GrafanaInterpolator(
                            from: range.from, to: range.to,
                            interval: GrafanaInterpolator.automaticInterval(for: range.to.timeIntervalSince(range.from)),
                            variables: variables)
                        for query in dashboard.queries {
                            let context = "\(query.origin) (\(range.name), \(selection))"
                            let sql: String
                            do {
                                sql = try interpolator.interpolate(query.sql)
                            } catch {
                                Issue.record("\(context): \(error)")
                                continue
                            }
                            #expect(!sql.contains("$__") && !sql.contains("$account"), "\(context): \(sql)")
                            do {
                                let result = try await db.run { try $0.query(sql, operation: query.origin) }
                                ran += 1
                                #expect(!result.rows.isEmpty, "\(context) returned no rows")
                                switch query.format {
                                case "time_series": #expect(result.columns.contains("time"), "\(context): no time column")
                                case "variable": #expect(result.columns == ["__text", "__value"], "\(context)")
                                default: break
                                }
                            } catch {
                                Issue.record("\(context) failed: \(error)\n\(sql)")
                            }
                        }
                    }
                }
            }
            try await db.run { try $0.execute("RESET ROLE", operation: "RESET ROLE") }
            #expect(ran == dashboards.reduce(0) { $0 + $1.queries.count * ($1.variables.contains { $0.allValue != nil } ? 4 : 2) })
        }
    }

    @Test("the legacy dashboard's queries work after every migration, from the baseline on")
    func legacyQueriesAfterEveryMigration() async throws {
        let legacy = try GrafanaDashboard.load("legacy.json")
        let now = Date()
        let interpolator = GrafanaInterpolator(from: now.addingTimeInterval(-90 * 86400), to: now, interval: "2h")
        let queries = try legacy.queries.map { ($0.origin, try interpolator.interpolate($0.sql)) }
        #expect(queries.count == 4)
        try await TestDatabase.withConnection { db in
            let migrations = try Migration.load(from: TestDatabase.migrationsDirectory)
            let migrator = Migrator(migrations: migrations, logger: TestDatabase.logger)
            for version in migrations.map(\.version) {
                _ = try await db.run { try migrator.up(to: version, on: $0) }
                // A legacy writer: baseline columns only, as before bankdrop.
                try await db.run { conn in
                    let id = try conn.query(
                        "INSERT INTO accounts (name, institution, currency) VALUES ($1, 'Old Bank', 'EUR') RETURNING id",
                        [.text("Legacy \(version)")]
                    ).scalar()
                    try conn.query(
                        "INSERT INTO transactions (account_id, date, amount, merchant, description) VALUES ($1::int, current_date - 3, -12.34, 'Corner Shop', 'legacy row')",
                        [.text(id ?? "0")])
                }
                for (origin, sql) in queries {
                    do {
                        let rows = try await db.run { try $0.query(sql, operation: origin).rows }
                        #expect(!rows.isEmpty, "\(origin) after migration \(version) returned no rows")
                    } catch {
                        Issue.record("\(origin) failed after migration \(version): \(error)")
                    }
                }
            }
        }
    }
}
