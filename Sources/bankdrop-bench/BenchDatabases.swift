import BankdropPostgres
import Foundation
import Logging
import Synchronization

/// One database the harness created for one measurement.
struct BenchDatabase: Sendable {
    /// `bench_<purpose>_<pid>_<n>`.
    var name: String
    /// Its connection string, for `bankdrop --database`, `psql -d` and the harness's own SQL.
    var url: String
}

/// Creates a fresh, migrated database for every measurement that loads data, in the embedded
/// cluster or the server of `--database`, and drops it afterwards (unless `--keep`).
final class BenchDatabases: Sendable {
    /// The server's connection string (the embedded cluster's, or `--database`).
    let serverURL: String
    /// Whether to keep the databases (`--keep`).
    let keep: Bool
    private let tools: BenchTools
    private let admin: PostgresConnection
    private let logger: Logger
    private let created = Atomic<Int>(0)

    private init(serverURL: String, keep: Bool, tools: BenchTools, admin: PostgresConnection, logger: Logger) {
        self.serverURL = serverURL
        self.keep = keep
        self.tools = tools
        self.admin = admin
        self.logger = logger
    }

    /// Connects to the server that will hold the bench databases.
    static func connect(serverURL: String, keep: Bool, tools: BenchTools, logger: Logger) async throws -> BenchDatabases
    {
        let admin = try await PostgresConnection.connect(serverURL, logger: logger)
        return BenchDatabases(serverURL: serverURL, keep: keep, tools: tools, admin: admin, logger: logger)
    }

    /// The server's `server_version`, e.g. `15.18 (Debian 15.18-0+deb12u1)`.
    func serverVersion() async throws -> String {
        try await admin.run { try $0.query("SHOW server_version").scalar() } ?? "unknown"
    }

    /// Creates `bench_<purpose>_...` and migrates it with `bankdrop migrate up`.
    func create(_ purpose: String) async throws -> BenchDatabase {
        let number = created.add(1, ordering: .relaxed).newValue
        let name = "bench_\(purpose)_\(getpid())_\(number)"
        // An identifier cannot be a bound parameter; this one is made of the harness's own
        // lowercase letters, digits and underscores only.
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw BenchError("invalid database name \(name)")
        }
        try await admin.run { try $0.execute("CREATE DATABASE \(name)", operation: "CREATE DATABASE") }
        let database = BenchDatabase(name: name, url: Self.url(serverURL, database: name))
        do {
            try await tools.runBankdrop(["migrate", "up", "--database", database.url], label: "migrate-\(purpose)")
        } catch {
            await drop(database)
            throw error
        }
        return database
    }

    /// Runs `body` on a fresh, migrated database (``create(_:)``), dropped afterwards whatever happens.
    func withFresh<T>(_ purpose: String, _ body: (BenchDatabase) async throws -> T) async throws -> T {
        let database = try await create(purpose)
        do {
            let value = try await body(database)
            await drop(database)
            return value
        } catch {
            await drop(database)
            throw error
        }
    }

    /// Drops `database` (unless `--keep`: then says where it stays). Errors are logged, not thrown:
    /// a leftover database must not stop the measurements.
    func drop(_ database: BenchDatabase) async {
        if keep {
            logger.notice("Keeping database", metadata: ["db.name": "\(database.name)"])
            return
        }
        do {
            try await admin.run {
                try $0.execute("DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)", operation: "DROP DATABASE")
            }
        } catch {
            logger.warning("Cannot drop database", metadata: ["db.name": "\(database.name)", "error": "\(error)"])
        }
    }

    /// Runs `body` on a new connection to `database`, closed afterwards.
    func withConnection<T: Sendable>(
        to database: BenchDatabase, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await PostgresConnection.connect(database.url, logger: logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Closes the server connection.
    func close() async {
        await admin.close()
    }

    /// `connection` with its database replaced by `database`: the path of a `postgres://` URL,
    /// else a `dbname=` appended to a key/value string (libpq takes the last value of a keyword).
    static func url(_ connection: String, database: String) -> String {
        let lowercased = connection.lowercased()
        guard lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://"),
            let schemeEnd = connection.range(of: "://")
        else {
            return connection + " dbname=\(database)"
        }
        let rest = connection[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        let authority = rest[..<queryStart].prefix { $0 != "/" }
        return String(connection[..<schemeEnd.upperBound]) + authority + "/" + database + rest[queryStart...]
    }
}
