import Logging

/// Applies and rolls back schema migrations, recorded in `schema_migrations`.
///
/// Each migration runs in its own transaction. The whole run holds a session-level advisory lock,
/// so two processes migrating at once take turns: the second then finds nothing left to do.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    private let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// One row of `migrate status`.
    public struct Entry: Sendable, Hashable {
        public enum State: String, Sendable {
            case applied
            case pending
            /// Applied, but its file changed since.
            case changed
            /// Applied, but no file has this version.
            case missing
        }

        public var version: Int
        public var name: String
        public var state: State
        public var appliedAt: String?
    }

    /// The highest applied version, or nil when none is (or `schema_migrations` does not exist).
    public static func currentVersion(on connection: isolated PostgresConnection) throws -> Int? {
        guard try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").scalar() == "t" else {
            return nil
        }
        return try connection.query("SELECT max(version) FROM schema_migrations").scalar().flatMap { Int($0) }
    }

    /// Every known migration with its state.
    public func status(on connection: isolated PostgresConnection) throws -> [Entry] {
        let applied = try appliedRows(on: connection)
        var entries: [Entry] = migrations.map { migration in
            guard let row = applied[migration.version] else {
                return Entry(version: migration.version, name: migration.name, state: .pending, appliedAt: nil)
            }
            return Entry(
                version: migration.version, name: migration.name,
                state: row.checksum == migration.checksum ? .applied : .changed, appliedAt: row.appliedAt)
        }
        let known = Set(migrations.map(\.version))
        for (version, row) in applied where !known.contains(version) {
            entries.append(Entry(version: version, name: row.name, state: .missing, appliedAt: row.appliedAt))
        }
        return entries.sorted { $0.version < $1.version }
    }

    /// Applies pending migrations in order, up to and including `target` (all when nil).
    /// - Returns: the versions applied.
    /// - Throws: `MigrationError` when an applied migration's file changed; `PostgresError` from SQL.
    @discardableResult
    public func up(to target: Int? = nil, on connection: isolated PostgresConnection) throws -> [Int] {
        try withLock(on: connection) {
            let applied = try appliedRows(on: connection)
            try refuseDrift(applied)
            var done: [Int] = []
            for migration in migrations where applied[migration.version] == nil {
                if let target, migration.version > target { break }
                try connection.withTransaction {
                    try connection.execute(migration.upSQL, operation: "migration \(migration.version)_\(migration.name) up")
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [.int(migration.version), .text(migration.name), .text(migration.checksum)])
                }
                logger.info("Applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                done.append(migration.version)
            }
            return done
        }
    }

    /// Rolls back the last `steps` applied migrations (every one when `steps` is nil).
    /// - Returns: the versions rolled back.
    @discardableResult
    public func down(steps: Int?, on connection: isolated PostgresConnection) throws -> [Int] {
        try withLock(on: connection) {
            let applied = try appliedRows(on: connection)
            try refuseDrift(applied)
            let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
            var versions = applied.keys.sorted(by: >)
            if let steps { versions = Array(versions.prefix(max(0, steps))) }
            for version in versions {
                guard let migration = byVersion[version] else {
                    throw MigrationError("migration \(version) is applied but its files are missing: cannot roll it back")
                }
                try connection.withTransaction {
                    try connection.execute(migration.downSQL, operation: "migration \(version)_\(migration.name) down")
                    try connection.query("DELETE FROM schema_migrations WHERE version = $1", [.int(version)])
                }
                logger.info("Rolled back migration", metadata: ["migration.version": "\(version)", "migration.name": "\(migration.name)"])
            }
            return versions
        }
    }

    /// Marks the baseline (the first migration) applied on a database that already has its tables.
    /// - Returns: false when it was already recorded.
    @discardableResult
    public func baseline(on connection: isolated PostgresConnection) throws -> Bool {
        guard let first = migrations.first else { throw MigrationError("no migrations found") }
        return try withLock(on: connection) {
            if try appliedRows(on: connection)[first.version] != nil { return false }
            let tables = try connection.query(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('accounts', 'transactions')"
            ).scalar()
            guard tables == "2" else {
                throw MigrationError(
                    "migrate baseline marks \(first.version)_\(first.name) as applied on a database that already has "
                        + "the accounts and transactions tables; this one does not: run `bankdrop migrate up` instead")
            }
            try connection.query(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                [.int(first.version), .text(first.name), .text(first.checksum)])
            logger.info("Marked baseline applied", metadata: ["migration.version": "\(first.version)"])
            return true
        }
    }

    private struct AppliedRow {
        var name: String
        var checksum: String
        var appliedAt: String?
    }

    private func appliedRows(on connection: isolated PostgresConnection) throws -> [Int: AppliedRow] {
        try connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var rows: [Int: AppliedRow] = [:]
        for row in try connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations").rows {
            guard let version = row[0].flatMap({ Int($0) }) else { continue }
            rows[version] = AppliedRow(name: row[1] ?? "", checksum: row[2] ?? "", appliedAt: row[3])
        }
        return rows
    }

    private func refuseDrift(_ applied: [Int: AppliedRow]) throws {
        for migration in migrations {
            if let row = applied[migration.version], row.checksum != migration.checksum {
                throw MigrationError(
                    "migration \(migration.version)_\(migration.name) was applied, but its file has changed since "
                        + "(checksum \(row.checksum.prefix(12)) recorded, \(migration.checksum.prefix(12)) now). "
                        + "An applied migration is never edited: restore the file and add a new migration instead")
            }
        }
    }

    private func withLock<T>(on connection: isolated PostgresConnection, _ body: () throws -> T) throws -> T {
        try connection.query("SELECT pg_advisory_lock(hashtext('bankdrop.migrate'))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(hashtext('bankdrop.migrate'))") }
        return try body()
    }
}
