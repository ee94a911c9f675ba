import BankdropCore
import BankdropPostgres
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

extension StatusReport {
    /// The database part. The embedded cluster is looked at, never started: stopped or not created
    /// is reported as such. A configured database is connected to with `connect_timeout=1`, and the
    /// whole part is given up after ``Options/databaseDeadline``.
    static func databasePart(context: AgentContext, options: Options) async -> Database {
        var database = Database(
            target: context.databaseDescription, embedded: context.usesEmbeddedDatabase, state: .unknown)
        var unknown: [String] = []
        let known: [Migration]?
        do {
            known = try Migration.load(from: context.migrationsDirectory())
        } catch {
            known = nil
            unknown.append("which migrations exist: \(error)")
        }

        let conninfo: String
        if context.usesEmbeddedDatabase {
            let cluster = context.embeddedCluster
            // Looking inside needs the right to enter the cluster's folder (0700, the agent's user).
            if access(cluster.root.path, X_OK) != 0 && errno != ENOENT {
                database.error =
                    "cannot enter \(cluster.root.path): \(errorMessage(errno)) (run as root or as the agent's user)"
                database.couldNotFindOut = unknown + ["anything about the embedded database"]
                return database
            }
            switch cluster.state() {
            case .notInitialized:
                database.state = .notCreated
                database.couldNotFindOut = unknown
                return database
            case .stopped:
                database.state = .stopped
                database.couldNotFindOut = unknown
                return database
            case .running:
                conninfo = cluster.connectionString()
            }
        } else {
            do {
                conninfo = try context.connectionString(startingEmbedded: false)
            } catch {
                database.error = "\(error)"
                return database
            }
        }

        let logger = context.logger
        let limit = options.recentImportLimit
        let base = database
        let found = await withinDeadline(options.databaseDeadline) {
            await read(
                base, conninfo: Self.conninfo(conninfo, connectTimeout: 1), known: known, limit: limit, logger: logger)
        }
        guard var found else {
            database.state = .unreachable
            database.error = "no answer within \(seconds(options.databaseDeadline)) s"
            database.couldNotFindOut = unknown
            return database
        }
        found.couldNotFindOut = unknown + found.couldNotFindOut
        return found
    }

    /// Connects and reads every database fact; each fact that fails is noted, not thrown.
    private static func read(
        _ base: Database, conninfo: String, known: [Migration]?, limit: Int, logger: Logger
    ) async -> Database {
        var database = base
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(conninfo, logger: logger)
        } catch let error as PostgresError {
            database.state = .unreachable
            database.error = oneLine(error.message)
            return database
        } catch {
            database.state = .unreachable
            database.error = oneLine("\(error)")
            return database
        }
        database.state = .reachable
        let reachable = database
        let result = await connection.run { conn in facts(into: reachable, known: known, limit: limit, on: conn) }
        await connection.close()
        return result
    }

    /// Reads the schema, imports, accounts and views on an open connection.
    private static func facts(
        into base: Database, known: [Migration]?, limit: Int, on conn: isolated PostgresConnection
    ) -> Database {
        var database = base
        func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
            do {
                return try body()
            } catch let error as PostgresError {
                database.couldNotFindOut.append("\(what): \(oneLine(error.description))")
            } catch {
                database.couldNotFindOut.append("\(what): \(oneLine("\(error)"))")
            }
            return nil
        }

        // Status only reads, and never waits long for a lock or a slow plan.
        _ = attempt("session settings") {
            try conn.query(
                "SELECT set_config('statement_timeout', '1000', false), set_config('default_transaction_read_only', 'on', false)"
            )
        }
        let tables = attempt("which tables exist") {
            try conn.query(
                """
                SELECT to_regclass('schema_migrations') IS NOT NULL, to_regclass('import_logs') IS NOT NULL,
                       to_regclass('accounts') IS NOT NULL, to_regclass('transactions') IS NOT NULL,
                       to_regclass('view_refreshes') IS NOT NULL
                """
            ).rows.first?.map { $0 == "t" }
        }
        guard let exists = tables ?? nil, exists.count == 5 else { return database }
        let (hasMigrations, hasImports, hasAccounts, hasTransactions, hasRefreshes) =
            (exists[0], exists[1], exists[2], exists[3], exists[4])
        let notMigrated = "the schema is not migrated (run `bankdrop migrate up`)"

        // Schema.
        let applied: [Int: String]? =
            hasMigrations
            ? attempt("the applied migrations") {
                var rows: [Int: String] = [:]
                for row in try conn.query("SELECT version, checksum FROM schema_migrations").rows {
                    if let version = row[0].flatMap({ Int($0) }) { rows[version] = row[1] ?? "" }
                }
                return rows
            } : [:]
        if let applied {
            var schema = Database.Schema(appliedVersion: applied.keys.max(), latestKnownVersion: known?.last?.version)
            if let known {
                schema.pending = known.filter { applied[$0.version] == nil }.map(\.version)
                schema.changed = known.filter { migration in
                    applied[migration.version].map { $0 != migration.checksum } ?? false
                }.map(\.version)
                let knownVersions = Set(known.map(\.version))
                schema.unknownApplied = applied.keys.filter { !knownVersions.contains($0) }.sorted()
            }
            database.schema = schema
        }

        // The last imports.
        if hasImports {
            database.recentImports =
                attempt("the last imports") {
                    try conn.query(
                        """
                        SELECT id, extract(epoch FROM coalesce(finished_at, "timestamp"))::float8, file_name, status,
                               format, rows_inserted, rows_duplicate, left(split_part(error, E'\\n', 1), 1000)
                        FROM import_logs
                        ORDER BY "timestamp" DESC, id DESC
                        LIMIT $1
                        """, [.int(limit)]
                    ).rows.compactMap { row -> Database.Import? in
                        guard let id = row[0].flatMap({ Int64($0) }) else { return nil }
                        return Database.Import(
                            id: id, at: date(row[1]), file: printable(row[2] ?? "?"), status: row[3] ?? "?",
                            format: row[4], rowsNew: row[5].flatMap { Int($0) },
                            rowsAlreadyPresent: row[6].flatMap { Int($0) },
                            error: row[7].flatMap { $0.isEmpty ? nil : firstLine($0) })
                    }
                } ?? []
        } else {
            database.couldNotFindOut.append("the last imports: there is no import_logs table; \(notMigrated)")
        }

        // Per-account freshness.
        if hasAccounts && hasTransactions {
            let lastImport =
                hasImports
                ? """
                (SELECT extract(epoch FROM max(coalesce(l.finished_at, l."timestamp")))::float8
                 FROM import_logs l WHERE l.status = 'succeeded' AND a.name = ANY (l.accounts))
                """
                : "NULL::float8"
            database.accounts =
                attempt("per-account freshness") {
                    try conn.query(
                        """
                        SELECT a.name, a.currency, (SELECT max(t.date) FROM transactions t WHERE t.account_id = a.id)::text,
                               \(lastImport)
                        FROM accounts a
                        ORDER BY a.name
                        """
                    ).rows.map { row in
                        Database.Account(
                            name: printable(row[0] ?? "?"), currency: row[1], latestTransactionDate: row[2],
                            lastImportAt: date(row[3]))
                    }
                } ?? []
        } else {
            database.couldNotFindOut.append("per-account freshness: there are no accounts or transactions tables")
        }

        // View freshness: imports that succeeded after the last refresh's snapshot. An import whose
        // id is below the covered one can still commit after the refresh started (ids are taken
        // when an import starts), so finishing after the refresh started counts as not covered too.
        if hasImports && hasRefreshes {
            database.views =
                attempt("view freshness") {
                    let row =
                        try conn.query(
                            """
                            WITH last AS (
                                SELECT started_at, finished_at, duration_ms, covered_import_id
                                FROM view_refreshes
                                ORDER BY started_at DESC, id DESC
                                LIMIT 1
                            )
                            SELECT extract(epoch FROM (SELECT finished_at FROM last))::float8,
                                   (SELECT duration_ms FROM last)::float8,
                                   (SELECT covered_import_id FROM last),
                                   (SELECT max(id) FROM import_logs WHERE status = 'succeeded'),
                                   (SELECT count(*) FROM import_logs i
                                    WHERE i.status = 'succeeded'
                                      AND (NOT EXISTS (SELECT 1 FROM last)
                                           OR i.id > coalesce((SELECT covered_import_id FROM last), 0)
                                           OR i.finished_at > (SELECT started_at FROM last)))
                            """
                        ).rows.first ?? []
                    guard row.count == 5 else { return nil as Database.Views? }
                    return Database.Views(
                        lastRefreshAt: date(row[0]), lastRefreshMilliseconds: row[1].flatMap { Double($0) },
                        coveredImportID: row[2].flatMap { Int64($0) }, latestImportID: row[3].flatMap { Int64($0) },
                        importsSinceRefresh: row[4].flatMap { Int($0) } ?? 0)
                } ?? nil
        } else {
            database.couldNotFindOut.append("view freshness: there is no view_refreshes table; \(notMigrated)")
        }
        return database
    }

    /// `1.5` for 1500 ms.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : String(format: "%.1f", Double(milliseconds) / 1000)
    }

    /// A date from seconds since the epoch in PostgreSQL's text form.
    private static func date(_ text: String?) -> Date? {
        text.flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0) }
    }

    /// `text` on one line: runs of whitespace (libpq's messages have line breaks and tabs) become
    /// one space; made safe to print.
    static func oneLine(_ text: String) -> String {
        printable(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }
}
