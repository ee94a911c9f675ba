import BankdropCore
import BankdropPostgres
import Foundation
import Logging

/// The import pipeline (DESIGN.md "The data flow") for one file at a time:
/// hash → seen before? → detect format → parse, identify and classify rows → one transaction
/// (import record, COPY into staging, INSERT ... ON CONFLICT DO NOTHING, counts, succeeded) → COMMIT.
///
/// Any failure rolls the whole file back. Permanent problems are recorded as a `failed` import in
/// a transaction of their own; passing ones (database down, disk full) leave no trace and say
/// "retry later".
public final class Importer: Sendable {
    /// What the pipeline needs besides the file.
    public struct Settings: Sendable {
        /// `--account`: the account for files that name none (after the inbox subfolder).
        public var account: String?
        public var readerOptions: ReaderOptions
        public var categoryRules: [CategoryRule]
        public var accountRules: BankdropConfiguration.Accounts
        /// A name for this machine in the import records.
        public var host: String

        public init(
            account: String? = nil, readerOptions: ReaderOptions = ReaderOptions(), categoryRules: [CategoryRule] = [],
            accountRules: BankdropConfiguration.Accounts = BankdropConfiguration.Accounts(),
            host: String = ProcessInfo.processInfo.hostName
        ) {
            self.account = account
            self.readerOptions = readerOptions
            self.categoryRules = categoryRules
            self.accountRules = accountRules
            self.host = host
        }
    }

    let connection: PostgresConnection
    private let sideConnection: PostgresConnection
    let settings: Settings
    private let logger: Logger

    /// - Parameters:
    ///   - connection: loads the rows, one transaction per file.
    ///   - sideConnection: creates accounts and partitions in short transactions of their own, so
    ///     the load transaction never holds their locks.
    public init(connection: PostgresConnection, sideConnection: PostgresConnection, settings: Settings, logger: Logger) {
        self.connection = connection
        self.sideConnection = sideConnection
        self.settings = settings
        self.logger = logger
    }

    /// Connects both connections with `conninfo`.
    public static func connect(conninfo: String, settings: Settings, logger: Logger) async throws -> Importer {
        Importer(
            connection: try await PostgresConnection.connect(conninfo, logger: logger),
            sideConnection: try await PostgresConnection.connect(conninfo, logger: logger),
            settings: settings, logger: logger)
    }

    /// Imports one file. Never throws: every result, failures included, is an outcome.
    public func importFile(_ source: some ImportSource) async -> ImportOutcome {
        let started = Date()
        do {
            let (digest, size, prefix) = try Self.hash(source)
            if let original = try await connection.run({ try Self.succeededImport(sha256: digest, on: $0) }) {
                let id = try await recordDuplicate(source, digest: digest, size: size, original: original, started: started)
                return .duplicate(importID: id, original: original)
            }
            guard let format = Self.detectFormat(prefix: prefix, fileName: source.fileName) else {
                // A file being rewritten can show a garbled start: try again rather than refuse it.
                try source.checkUnchanged()
                let refusal = ImportRefusal.unknownFormat(fileName: source.displayName)
                return .refused(refusal, importID: try await recordFailure(source, digest, size, nil, refusal, started))
            }
            do {
                let summary: ImportSummary
                do {
                    summary = try await load(
                        source, format: format, digest: digest, size: size, started: started, identityMode: .windowed)
                } catch is RowIdentityError {
                    // Not grouped by date: count every row's occurrences instead (memory grows with the file).
                    logger.debug("Reloading with full occurrence tracking", metadata: ["file.name": "\(source.displayName)"])
                    summary = try await load(
                        source, format: format, digest: digest, size: size, started: started, identityMode: .trackAll)
                }
                logger.info(
                    "Imported statement",
                    metadata: [
                        "file.name": "\(source.displayName)", "import.id": "\(summary.importID)", "import.format": "\(format.rawValue)",
                        "import.rows_read": "\(summary.rowsRead)", "import.rows_inserted": "\(summary.rowsInserted)",
                        "import.rows_already_present": "\(summary.rowsAlreadyPresent)",
                        "import.rows_copied_directly": "\(summary.rowsCopiedDirectly)",
                    ])
                return .imported(summary)
            } catch let refusal as ImportRefusal {
                // A bad row may be a torn read of a file rewritten meanwhile: then it is not the file's fault.
                try source.checkUnchanged()
                return .refused(refusal, importID: try await recordFailure(source, digest, size, format, refusal, started))
            } catch let duplicate as DuplicateDetected {
                let id = try await recordDuplicate(source, digest: digest, size: size, original: duplicate.original, started: started)
                return .duplicate(importID: id, original: duplicate.original)
            }
        } catch let error as PostgresError {
            // Transient or not (a constraint, a schema that is not migrated), a database error is
            // not the file's fault: keep the file, say why, try again later.
            return .retryLater(reason: error.description)
        } catch let refusal as ImportRefusal {
            return .refused(refusal, importID: nil)
        } catch {
            return .retryLater(reason: "\(error)")
        }
    }

    /// The file's SHA-256 and size, streamed, and its first bytes for format detection (so the
    /// format is told from the very bytes the hash names, without opening the file again).
    static func hash(_ source: some ImportSource) throws -> (digest: [UInt8], size: Int, prefix: [UInt8]) {
        var stream = try source.open()
        var digest = FileDigest()
        var prefix: [UInt8] = []
        while true {
            let chunk = try stream.read()
            if chunk.isEmpty { break }
            digest.update(chunk)
            if prefix.count < StatementFormat.detectionPrefixLength {
                prefix += chunk.prefix(StatementFormat.detectionPrefixLength - prefix.count)
            }
        }
        return (digest.finalize(), digest.byteCount, prefix)
    }

    /// The format from the file's first bytes and its extension.
    static func detectFormat(_ source: some ImportSource) throws -> StatementFormat? {
        var stream = try source.open()
        var prefix: [UInt8] = []
        while prefix.count < StatementFormat.detectionPrefixLength {
            let chunk = try stream.read()
            if chunk.isEmpty { break }
            prefix += chunk.prefix(StatementFormat.detectionPrefixLength - prefix.count)
        }
        return detectFormat(prefix: prefix, fileName: source.fileName)
    }

    /// The format from up to `detectionPrefixLength` first bytes and the file name's extension.
    static func detectFormat(prefix: [UInt8], fileName: String) -> StatementFormat? {
        let parts = fileName.split(separator: ".")
        let ext = parts.count > 1 ? parts.last.map(String.init) : nil
        return StatementFormat.detect(prefix: prefix, fileExtension: ext)
    }

    /// The account for a file that names none: `--account`, the inbox subfolder, a glob rule.
    func fallbackAccount(for source: some ImportSource) -> String? {
        settings.account ?? source.folderAccount ?? settings.accountRules.account(forFileName: source.fileName)
    }

    static func succeededImport(sha256: [UInt8], on conn: isolated PostgresConnection) throws -> Int64? {
        try conn.query(
            "SELECT id FROM import_logs WHERE file_sha256 = $1 AND status = 'succeeded'", [.bytes(sha256)],
            operation: "look up file hash"
        ).scalar().flatMap { Int64($0) }
    }

    struct DuplicateDetected: Error {
        var original: Int64
    }

    /// In the load transaction: waits for any other import of the same bytes (two agents on one
    /// file: the second waits here, then sees the first's result).
    /// - Throws: ``DuplicateDetected`` when those bytes have a succeeded import by now.
    static func lockFileHash(_ digest: [UInt8], on conn: isolated PostgresConnection) throws {
        try conn.query(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(FileDigest.hex(digest))], operation: "lock file hash")
        if let original = try succeededImport(sha256: digest, on: conn) { throw DuplicateDetected(original: original) }
    }

    struct LoadFacts: Sendable {
        var accounts: [RowPreparer<AnyStatementReader>.AccountFacts]
        var years: Set<Int>
        var rowsRead: Int
    }

    /// The direct path first; the staging path when the direct one cannot take the file.
    private func load(
        _ source: some ImportSource, format: StatementFormat, digest: [UInt8], size: Int, started: Date,
        identityMode: RowIdentityAssigner.Mode
    ) async throws -> ImportSummary {
        do {
            return try await loadDirect(
                source, format: format, digest: digest, size: size, started: started, identityMode: identityMode)
        } catch let reason as DirectLoadUnavailable {
            logger.debug(
                "Loading through the staging table", metadata: ["file.name": "\(source.displayName)", "import.reason": "\(reason)"])
            return try await loadStaged(
                source, format: format, digest: digest, size: size, started: started, identityMode: identityMode)
        }
    }

    /// The staging path: every row through the staging table and `INSERT ... ON CONFLICT DO NOTHING`.
    private func loadStaged(
        _ source: some ImportSource, format: StatementFormat, digest: [UInt8], size: Int, started: Date,
        identityMode: RowIdentityAssigner.Mode
    ) async throws -> ImportSummary {
        let settings = self.settings
        let fallback = fallbackAccount(for: source)
        let host = settings.host
        // Phase 1, one transaction opened on the load connection: lock the hash, stream the parsed
        // rows into a temporary staging table. Nothing shared is written yet.
        let facts: LoadFacts = try await connection.run { conn in
            try conn.execute("BEGIN", operation: "BEGIN")
            do {
                try Self.lockFileHash(digest, on: conn)
                try conn.execute(Self.stagingTableSQL, operation: "CREATE staging table")
                let rows = Self.prefetchRows(source, format: format, fallback: fallback, identityMode: identityMode, settings: settings)
                defer { rows.cancel() }
                try conn.copy(Self.stagingCopySQL, operation: "COPY transactions_staging") { writer in
                    while let row = try rows.next() {
                        try Self.write(row, account: row.account, last: String(row.transaction.line), to: &writer)
                    }
                }
                // The rows must be the bytes that were hashed: a file rewritten in place while it was
                // read (cp over the same name keeps the inode) gave a mix of old and new. Roll back;
                // the caller retries once the file is stable.
                try source.checkUnchanged()
                return LoadFacts(accounts: rows.facts.accounts, years: rows.facts.years, rowsRead: rows.facts.rowCount)
            } catch {
                conn.rollbackQuietly()
                throw error
            }
        }
        let summary: ImportSummary
        do {
            // Phase 2, on the side connection and committed at once: accounts and partitions. Harmless
            // if this import rolls back. It must come before the load transaction writes import_logs
            // or transactions: a new partition's foreign keys lock import_logs and accounts, and the
            // side connection would wait for the load transaction that waits for it.
            try await sideConnection.run { try Self.ensureAccountsAndPartitions(facts, on: $0) }
            // Phase 3: the import record, the rows deduplicated into the partitioned table, the counts, COMMIT.
            summary = try await connection.run { conn in
                let importID = try Self.insertRunning(
                    source, digest: digest, size: size, format: format, host: host, started: started, on: conn)
                let summary = try Self.finish(facts, importID: importID, format: format, digest: digest, on: conn)
                try conn.execute("COMMIT", operation: "COMMIT")
                return summary
            }
        } catch {
            await connection.run { $0.rollbackQuietly() }
            throw error
        }
        return summary
    }

    // A temporary table, emptied at COMMIT and kept for the connection's next file (creating and
    // dropping one per file cost about 1.2 ms a file, measured on 141 files): the rows to deduplicate.
    static let stagingTableSQL = """
        CREATE TEMPORARY TABLE IF NOT EXISTS transactions_staging (
            account text NOT NULL, date date NOT NULL, amount numeric(15,3) NOT NULL, currency text, payee text,
            description text, merchant text, category text, bank_id text, value_date date, row_key bytea NOT NULL, line int NOT NULL
        ) ON COMMIT DELETE ROWS
        """

    static let stagingCopySQL = """
        COPY transactions_staging (account, date, amount, currency, payee, description, merchant, category, bank_id, value_date, row_key, line) FROM STDIN
        """

    /// One row in the column order of ``stagingCopySQL`` (`account` is the account's name, `last`
    /// the file's line) or of `directCopySQL` (the account's id, and the import's id).
    static func write(_ row: PreparedRow, account: String, last: String, to writer: inout CopyWriter) throws {
        let t = row.transaction
        writer.field(account)
        writer.field(t.bookingDate.description)
        writer.field(t.amount.description)
        writer.field(row.currency.flatMap { $0.count == 3 ? $0 : nil })
        writer.field(t.payee)
        writer.field(t.description)
        writer.field(row.classification.merchant)
        writer.field(row.classification.category)
        writer.field(t.bankID)
        writer.field(t.valueDate?.description)
        writer.field(bytes: row.key.bytes)
        writer.field(last)
        try writer.endRow()
    }

    static func insertRunning(
        _ source: some ImportSource, digest: [UInt8], size: Int, format: StatementFormat?, host: String, started: Date,
        on conn: isolated PostgresConnection
    ) throws -> Int64 {
        let id = try conn.query(
            """
            INSERT INTO import_logs (status, file_name, file_sha256, file_size, format, started_at, host, file_count, transaction_count)
            VALUES ('running', $1, $2, $3, $4, to_timestamp($5), $6, 1, 0) RETURNING id
            """,
            [.text(source.displayName), .bytes(digest), .int(size), .optional(format?.rawValue),
             .text(String(started.timeIntervalSince1970)), .text(host)],
            operation: "INSERT import_logs"
        ).scalar().flatMap { Int64($0) }
        guard let id else { throw PostgresError(operation: "INSERT import_logs", sqlState: nil, message: "no id returned") }
        return id
    }

    /// Inserts the staged rows (if any) without the ones already stored, adds the rows copied
    /// straight into `transactions`, and records the counts.
    static func finish(
        _ facts: LoadFacts, importID: Int64, format: StatementFormat, digest: [UInt8], directRows: [String: Int] = [:],
        staged: Bool = true, on conn: isolated PostgresConnection
    ) throws -> ImportSummary {
        var inserted = directRows
        if staged {
            for (name, count) in try insertStaged(importID: importID, on: conn) { inserted[name, default: 0] += count }
        }
        let total = inserted.values.reduce(0, +)
        try conn.query(
            """
            UPDATE import_logs SET status = 'succeeded', rows_read = $2::int, rows_inserted = $3::int,
                   transaction_count = $3::int, rows_duplicate = $2::int - $3::int, accounts = $4::text[],
                   finished_at = clock_timestamp()
            WHERE id = $1
            """,
            [.int(importID), .int(facts.rowsRead), .int(total), .text(postgresArray(facts.accounts.map(\.name)))],
            operation: "UPDATE import_logs")
        return ImportSummary(
            importID: importID, format: format, rowsRead: facts.rowsRead, rowsInserted: total,
            rowsCopiedDirectly: directRows.values.reduce(0, +),
            accounts: facts.accounts.map { .init(name: $0.name, read: $0.transactionCount, inserted: inserted[$0.name] ?? 0) },
            sha256: FileDigest.hex(digest))
    }

    /// `INSERT ... ON CONFLICT DO NOTHING` from the staging table: the rows inserted, by account.
    private static func insertStaged(importID: Int64, on conn: isolated PostgresConnection) throws -> [String: Int] {
        let counts = try conn.query(
            """
            WITH inserted AS (
                INSERT INTO transactions (account_id, date, amount, merchant, description, category, import_id,
                                          row_key, payee, bank_id, value_date, currency)
                SELECT a.id, s.date, s.amount, s.merchant, s.description, s.category, $1, s.row_key, s.payee, s.bank_id,
                       s.value_date, s.currency
                FROM transactions_staging s JOIN accounts a ON a.name = s.account
                ORDER BY s.line
                ON CONFLICT (account_id, row_key, date) DO NOTHING
                RETURNING account_id
            )
            SELECT a.name, count(i.account_id) FROM accounts a JOIN inserted i ON i.account_id = a.id GROUP BY a.name
            """,
            [.int(importID)], operation: "INSERT INTO transactions"
        ).rows
        var inserted: [String: Int] = [:]
        for row in counts { if let name = row[0] { inserted[name] = Int(row[1] ?? "0") ?? 0 } }
        return inserted
    }

    private static func ensureAccountsAndPartitions(_ facts: LoadFacts, on side: isolated PostgresConnection) throws {
        for account in facts.accounts {
            let currency = account.account.currency.flatMap { $0.count == 3 ? $0 : nil }
            try side.query(
                "INSERT INTO accounts (name, institution, currency) VALUES ($1, $2, coalesce($3, 'USD')) ON CONFLICT (name) DO NOTHING",
                [.text(account.name), .optional(account.account.institution), .optional(currency)], operation: "INSERT accounts")
        }
        try PartitionManager.ensurePartitions(for: facts.years, on: side)
    }

    private func recordDuplicate(
        _ source: some ImportSource, digest: [UInt8], size: Int, original: Int64, started: Date
    ) async throws -> Int64? {
        let host = settings.host
        let id = try await connection.run { conn in
            try conn.query(
                """
                INSERT INTO import_logs (status, file_name, file_sha256, file_size, duplicate_of, started_at, finished_at, host,
                                         file_count, transaction_count, rows_read, rows_inserted, rows_duplicate)
                VALUES ('duplicate', $1, $2, $3, $4, to_timestamp($5), clock_timestamp(), $6, 1, 0, 0, 0, 0) RETURNING id
                """,
                [.text(source.displayName), .bytes(digest), .int(size), .int(original), .text(String(started.timeIntervalSince1970)), .text(host)],
                operation: "INSERT import_logs"
            ).scalar().flatMap { Int64($0) }
        }
        logger.info("Skipped duplicate file", metadata: ["file.name": "\(source.displayName)", "import.duplicate_of": "\(original)"])
        return id
    }

    private func recordFailure(
        _ source: some ImportSource, _ digest: [UInt8], _ size: Int, _ format: StatementFormat?, _ refusal: ImportRefusal,
        _ started: Date
    ) async throws -> Int64? {
        let host = settings.host
        let message = refusal.description
        let id = try await connection.run { conn in
            try conn.query(
                """
                INSERT INTO import_logs (status, file_name, file_sha256, file_size, format, error, started_at, finished_at, host,
                                         file_count, transaction_count)
                VALUES ('failed', $1, $2, $3, $4, $5, to_timestamp($6), clock_timestamp(), $7, 1, 0) RETURNING id
                """,
                [.text(source.displayName), .bytes(digest), .int(size), .optional(format?.rawValue), .text(message),
                 .text(String(started.timeIntervalSince1970)), .text(host)],
                operation: "INSERT import_logs"
            ).scalar().flatMap { Int64($0) }
        }
        logger.error("Refused statement", metadata: ["file.name": "\(source.displayName)", "import.error": "\(message)"])
        return id
    }
}

/// A PostgreSQL array literal of text values, passed as a bound parameter (never spliced into SQL).
func postgresArray(_ values: [String]) -> String {
    "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        .joined(separator: ",") + "}"
}

extension Importer {
    /// Whether both connections still work (after a transient failure the agent reconnects).
    public var isHealthy: Bool {
        get async {
            let main = await connection.isHealthy
            let side = await sideConnection.isHealthy
            return main && side
        }
    }
}
