import Foundation
import Logging

/// bankdrop's private PostgreSQL cluster under its state directory.
///
/// Uses the machine's server binaries (`initdb`, `pg_ctl`), listens on a Unix socket in the state
/// directory only (no TCP), and trusts local connections: access is controlled by the socket
/// directory's permissions (0700). initdb refuses to run as root, so when bankdrop runs as root
/// the cluster belongs to, and the server runs as, an unprivileged user (`postgres` if it
/// exists, else `nobody`).
public struct EmbeddedCluster: Sendable {
    /// `<state dir>/postgres`.
    public let root: URL
    /// The data directory (`PGDATA`).
    public var dataDirectory: URL { root.appendingPathComponent("data") }
    /// The directory holding the Unix socket.
    public var socketDirectory: URL { root.appendingPathComponent("run") }
    /// The server log.
    public var logFile: URL { root.appendingPathComponent("server.log") }
    /// Database and role name inside the cluster.
    public static let databaseName = "bankdrop"
    public static let port = 5432

    public init(stateDirectory: URL) {
        self.root = stateDirectory.appendingPathComponent("postgres")
    }

    /// The libpq connection string for `database` in this cluster.
    public func connectionString(database: String = EmbeddedCluster.databaseName) -> String {
        "host=\(Self.quoted(socketDirectory.path)) port=\(Self.port) user=\(Self.databaseName) dbname=\(Self.quoted(database))"
    }

    /// What `status` found.
    public enum State: Sendable, Equatable {
        case notInitialized
        case stopped
        case running(pid: Int)
    }

    /// Whether the cluster exists and its server runs.
    public func state() -> State {
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) else {
            return .notInitialized
        }
        guard let pid = livePostmasterPID() else { return .stopped }
        return .running(pid: pid)
    }

    /// Creates the cluster if needed and starts its server if it is not running. Idempotent.
    ///
    /// A `postmaster.pid` left by a crash is removed when its process is gone.
    /// - Throws: `EmbeddedClusterError` with the tool's output.
    public func start(logger: Logger) throws {
        let binaries = try PostgresBinaries.locate()
        let owner = try ServerUser.current()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try owner.prepare(root, mode: 0o700)
        if case .notInitialized = state() {
            try owner.checkReachable(root)
            logger.info("Creating embedded database cluster", metadata: ["db.data_directory": "\(dataDirectory.path)"])
            try? FileManager.default.removeItem(at: dataDirectory)
            try owner.run(
                binaries.tool("initdb"),
                [
                    "--pgdata", dataDirectory.path, "--username", Self.databaseName, "--auth", "trust",
                    "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-instructions",
                ])
        }
        if case .running = state() {
            // A start interrupted after the server came up may not have created the database yet.
            try createDatabaseIfMissing(binaries: binaries, owner: owner)
            return
        }
        removeStalePIDFile()
        try FileManager.default.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        try owner.prepare(socketDirectory, mode: 0o700)
        let options = [
            "-c listen_addresses=''",
            "-k \(Self.shellQuoted(socketDirectory.path))",
            "-c unix_socket_permissions=0700",
            "-p \(Self.port)",
        ].joined(separator: " ")
        try owner.run(
            binaries.tool("pg_ctl"),
            ["start", "--wait", "--timeout", "60", "--pgdata", dataDirectory.path, "--log", logFile.path, "-o", options])
        try createDatabaseIfMissing(binaries: binaries, owner: owner)
        logger.info("Embedded database running", metadata: ["db.socket_directory": "\(socketDirectory.path)"])
    }

    /// Stops the server (fast shutdown: running transactions roll back). Does nothing if it is not running.
    public func stop() throws {
        guard case .running = state() else { return }
        let binaries = try PostgresBinaries.locate()
        try ServerUser.current().run(
            binaries.tool("pg_ctl"), ["stop", "--wait", "--mode", "fast", "--pgdata", dataDirectory.path])
    }

    private func createDatabaseIfMissing(binaries: PostgresBinaries, owner: ServerUser) throws {
        // `initdb` creates `postgres` and the templates; the `bankdrop` database is ours to create.
        let psql = binaries.tool("psql")
        let exists = try owner.run(
            psql,
            ["-X", "-At", "-d", connectionString(database: "postgres"), "-c",
             "SELECT 1 FROM pg_database WHERE datname = '\(Self.databaseName)'"])
        if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            _ = try owner.run(
                psql, ["-X", "-q", "-d", connectionString(database: "postgres"), "-c", "CREATE DATABASE \(Self.databaseName)"])
        }
    }

    /// The postmaster's pid if `postmaster.pid` names a live postgres process.
    private func livePostmasterPID() -> Int? {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int(first)
        else { return nil }
        guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return nil }
        return comm.hasPrefix("postgres") || comm.hasPrefix("postmaster") ? pid : nil
    }

    /// After a crash or power cut, `postmaster.pid` may name a pid that another process now has,
    /// which makes the server refuse to start: remove the file when no postgres runs under that pid.
    private func removeStalePIDFile() {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        if FileManager.default.fileExists(atPath: pidFile.path), livePostmasterPID() == nil {
            try? FileManager.default.removeItem(at: pidFile)
        }
    }

    /// Quotes a value for a libpq `key=value` connection string.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// Quotes a value for the server's command line, which pg_ctl passes through a shell.
    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A failure of the embedded cluster's tools.
public struct EmbeddedClusterError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// Where the PostgreSQL server binaries are.
struct PostgresBinaries {
    let directory: URL

    func tool(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// `pg_config --bindir` when it holds `initdb`, else the newest `/usr/lib/postgresql/*/bin`.
    static func locate() throws -> PostgresBinaries {
        var candidates: [URL] = []
        if let bindir = try? ServerUser.capture(URL(fileURLWithPath: "/usr/bin/env"), ["pg_config", "--bindir"]) {
            candidates.append(URL(fileURLWithPath: bindir.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append(URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin"))
        }
        for directory in candidates
        where FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("initdb").path) {
            return PostgresBinaries(directory: directory)
        }
        throw EmbeddedClusterError(
            message: "no PostgreSQL server binaries found (initdb, pg_ctl): install them with "
                + "`apt-get install postgresql`, or configure a database with --database / BANKDROP_DATABASE_URL")
    }
}
