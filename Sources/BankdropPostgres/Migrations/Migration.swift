import BankdropCore
import Foundation

/// One schema migration: `NNNN_name.up.sql` with its `NNNN_name.down.sql`.
public struct Migration: Sendable, Hashable {
    /// The number before the first underscore.
    public var version: Int
    /// The part between the number and `.up.sql`.
    public var name: String
    public var upSQL: String
    public var downSQL: String

    /// SHA-256 (hex) of the up file: an applied migration whose file changed is refused.
    public var checksum: String { FileDigest.hex(FileDigest.sha256(Array(upSQL.utf8))) }

    public init(version: Int, name: String, upSQL: String, downSQL: String) {
        self.version = version
        self.name = name
        self.upSQL = upSQL
        self.downSQL = downSQL
    }

    /// Reads every migration in `directory`, ordered by version.
    /// - Throws: `MigrationError` for a file name that does not fit, a missing down file, or a
    ///   version used twice.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError("cannot read the migrations folder \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Int: Migration] = [:]
        for file in names.sorted() where file.hasSuffix(".up.sql") {
            let stem = String(file.dropLast(".up.sql".count))
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError("migration file \(file) is not named NNNN_name.up.sql")
            }
            let downFile = stem + ".down.sql"
            guard names.contains(downFile) else {
                throw MigrationError("migration \(file) has no \(downFile): every migration needs a working down")
            }
            if let other = migrations[version] {
                throw MigrationError("migrations \(other.version)_\(other.name) and \(stem) share version \(version)")
            }
            migrations[version] = Migration(
                version: version, name: String(stem[stem.index(after: underscore)...]),
                upSQL: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                downSQL: try String(contentsOf: directory.appendingPathComponent(downFile), encoding: .utf8))
        }
        return migrations.values.sorted { $0.version < $1.version }
    }

    /// The migrations folder: `$BANKDROP_MIGRATIONS_DIR`, else a `migrations` folder holding
    /// `0001_baseline.up.sql` beside the executable or in one of its parents (a source checkout),
    /// else `/usr/local/share/bankdrop/migrations` or `/usr/share/bankdrop/migrations`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        func holdsMigrations(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("0001_baseline.up.sql").path)
        }
        if let configured = environment["BANKDROP_MIGRATIONS_DIR"] { return URL(fileURLWithPath: configured) }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("migrations")
            if holdsMigrations(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return ["/usr/local/share/bankdrop/migrations", "/usr/share/bankdrop/migrations"]
            .map(URL.init(fileURLWithPath:)).first(where: holdsMigrations)
    }
}

/// A migration that cannot be loaded or applied.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
