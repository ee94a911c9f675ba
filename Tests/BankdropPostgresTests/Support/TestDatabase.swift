import BankdropPostgres
import Foundation
import Logging

/// The real PostgreSQL the tests use: bankdrop's own embedded cluster in a temporary state
/// directory, started once per test process; every test gets a fresh database of its own.
enum TestDatabase {
    static let logger = Logger(label: "bankdrop.tests")

    /// `/tmp/bankdrop-tests-<uid>`: reused across runs so the cluster is created only once.
    static let stateDirectory = URL(fileURLWithPath: NSTemporaryDirectory())
        .appendingPathComponent("bankdrop-tests-\(getuid())")

    static let cluster = EmbeddedCluster(stateDirectory: stateDirectory)

    /// The repository's `migrations` folder.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    private static let started: Result<Void, any Error> = Result { try cluster.start(logger: logger) }

    /// Runs `body` with the connection string of a new, empty database, dropped afterwards.
    @discardableResult
    static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        try started.get()
        let name = "test_\(UUID().uuidString.prefix(8).lowercased())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try await PostgresConnection.connect(cluster.connectionString(), logger: logger)
        try await admin.run { try $0.execute("CREATE DATABASE \(name)", operation: "CREATE DATABASE") }
        do {
            let value = try await body(cluster.connectionString(database: name))
            try await admin.run { try $0.execute("DROP DATABASE \(name) WITH (FORCE)", operation: "DROP DATABASE") }
            return value
        } catch {
            try? await admin.run { try $0.execute("DROP DATABASE \(name) WITH (FORCE)", operation: "DROP DATABASE") }
            throw error
        }
    }

    /// Runs `body` with a connection to a new, empty database.
    @discardableResult
    static func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withDatabase { conninfo in
            let connection = try await PostgresConnection.connect(conninfo, logger: logger)
            defer { Task { await connection.close() } }
            return try await body(connection)
        }
    }
}
