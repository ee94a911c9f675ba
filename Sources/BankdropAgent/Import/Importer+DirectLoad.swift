import BankdropCore
import BankdropPostgres
import Foundation

/// The fast path: COPY straight into `transactions` the rows that cannot conflict with anything
/// stored, and only the others through the staging table.
///
/// A row can conflict only with a stored row of the same account, booking date and identity, so a
/// row dated outside the account's stored date range cannot conflict: it is copied into the table
/// itself, which costs about half the staging path (no temporary table, no second pass in SQL).
/// A row inside the range goes to the staging table and through `INSERT ... ON CONFLICT DO
/// NOTHING` at the end, as on the staging path. New months, the usual case, load entirely direct;
/// an overlapping export stages only its overlap.
///
/// Everything still happens in one transaction with the import record. What this path cannot do
/// inside that transaction it hands back by throwing ``DirectLoadUnavailable``, after rolling
/// back, and the caller loads the file on the staging path instead:
/// - a row needs a yearly partition that does not exist yet: creating one locks `import_logs`
///   and `accounts`, which this transaction already writes (the staging path creates partitions
///   on its side connection before its load transaction writes anything);
/// - a direct row met a stored twin after all (another agent committed it meanwhile: 23505).
extension Importer {
    /// Why the direct path handed the file back to the staging path.
    struct DirectLoadUnavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// A file's rows may switch between direct and staged this many times; after that (dates
    /// interleaved with stored ones) the rest of the file is staged. A switch costs one round trip.
    static let maximumRouteSwitches = 32

    func loadDirect(
        _ source: some ImportSource, format: StatementFormat, digest: [UInt8], size: Int, started: Date,
        identityMode: RowIdentityAssigner.Mode
    ) async throws -> ImportSummary {
        let settings = self.settings
        let fallback = fallbackAccount(for: source)
        return try await connection.run { conn in
            try conn.execute("BEGIN", operation: "BEGIN")
            do {
                try conn.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(FileDigest.hex(digest))],
                    operation: "lock file hash")
                if let original = try Self.succeededImport(sha256: digest, on: conn) { throw DuplicateDetected(original: original) }
                let partitions = Set(try PartitionManager.partitionedYears(on: conn))
                let importID = try Self.insertRunning(
                    source, digest: digest, size: size, format: format, host: settings.host, started: started, on: conn)
                var preparer = RowPreparer(
                    reader: format.reader(over: try source.open(), options: settings.readerOptions), fileName: source.displayName,
                    fallbackAccount: fallback, rules: try CategoryRules(settings.categoryRules), identityMode: identityMode)
                var router = DirectRouter(importID: importID)
                var pending = try preparer.next()
                while let first = pending {
                    // Between COPY segments: make the row's account known, open the staging table.
                    guard let route = try router.route(first, partitions: partitions) else {
                        router.add(try Self.lookUpAccount(first.account, in: preparer.accounts, on: conn))
                        continue
                    }
                    if route == .staged, !router.hasStagingTable {
                        try conn.execute(Self.stagingTableSQL, operation: "CREATE staging table")
                        router.hasStagingTable = true
                    }
                    pending = nil
                    try conn.copy(route == .direct ? Self.directCopySQL : Self.stagingCopySQL, operation: "COPY \(route)") { writer in
                        var row: PreparedRow? = first
                        while let current = row {
                            guard try router.route(current, partitions: partitions) == route else {
                                pending = current
                                return
                            }
                            try router.write(current, as: route, to: &writer)
                            row = try preparer.next()
                        }
                    }
                }
                // As on the staging path: the rows must be the bytes that were hashed.
                try source.checkUnchanged()
                let facts = LoadFacts(accounts: preparer.accounts, years: preparer.years, rowsRead: preparer.rowCount)
                let summary = try Self.finish(
                    facts, importID: importID, format: format, digest: digest, directRows: router.directRows,
                    staged: router.hasStagingTable, on: conn)
                try conn.execute("COMMIT", operation: "COMMIT")
                return summary
            } catch let error as PostgresError where error.sqlState == "23505" {
                conn.rollbackQuietly()
                throw DirectLoadUnavailable(description: "a row was stored meanwhile by another import")
            } catch {
                conn.rollbackQuietly()
                throw error
            }
        }
    }

    static let directCopySQL = """
        COPY transactions (account_id, date, amount, currency, payee, description, merchant, category, bank_id, value_date, row_key, import_id) FROM STDIN
        """

    /// The account's id and the dates of its stored rows, creating the account in the load
    /// transaction when it is new (a rolled-back import then leaves no account behind).
    private static func lookUpAccount(
        _ name: String, in facts: [RowPreparer<AnyStatementReader>.AccountFacts], on conn: isolated PostgresConnection
    ) throws -> DirectRouter.Account {
        let account = facts.last { $0.name == name }?.account
        let currency = account?.currency.flatMap { $0.count == 3 ? $0 : nil }
        try conn.query(
            "INSERT INTO accounts (name, institution, currency) VALUES ($1, $2, coalesce($3, 'USD')) ON CONFLICT (name) DO NOTHING",
            [.text(name), .optional(account?.institution), .optional(currency)], operation: "INSERT accounts")
        // min and max each read one end of the (account_id, date) index of every partition.
        let row = try conn.query(
            """
            SELECT a.id, (SELECT min(date) FROM transactions WHERE account_id = a.id),
                   (SELECT max(date) FROM transactions WHERE account_id = a.id)
            FROM accounts a WHERE a.name = $1
            """,
            [.text(name)], operation: "look up account"
        ).rows.first
        guard let row, let id = row[0].flatMap({ Int64($0) }) else {
            throw PostgresError(operation: "look up account", sqlState: nil, message: "account \(name) not found after INSERT")
        }
        let stored = row[1].flatMap(LocalDate.init(iso:)).flatMap { low in row[2].flatMap(LocalDate.init(iso:)).map { low...$0 } }
        return DirectRouter.Account(name: name, id: id, stored: stored)
    }
}

/// Decides, row by row, whether a row goes straight into `transactions` or into the staging
/// table, and writes it in that table's COPY layout.
struct DirectRouter {
    enum Route: CustomStringConvertible {
        case direct, staged
        var description: String { self == .direct ? "transactions" : "transactions_staging" }
    }

    struct Account {
        var name: String
        var id: Int64
        /// The first and last booking date of the account's stored rows; nil when it has none.
        var stored: ClosedRange<LocalDate>?
    }

    private var accounts: [String: (account: Account, idText: String)] = [:]
    private let importIDText: String
    private var switches = 0
    private var last: DirectRouter.Route?
    var hasStagingTable = false
    /// Rows copied straight into `transactions`, by account name.
    private(set) var directRows: [String: Int] = [:]

    init(importID: Int64) {
        importIDText = String(importID)
    }

    mutating func add(_ account: Account) {
        accounts[account.name] = (account, String(account.id))
    }

    /// Where `row` goes, or nil when its account must be looked up first.
    /// - Throws: `Importer.DirectLoadUnavailable` when the row's year has no partition.
    mutating func route(_ row: PreparedRow, partitions: Set<Int>) throws -> DirectRouter.Route? {
        guard let entry = accounts[row.account] else { return nil }
        let date = row.transaction.bookingDate
        if PartitionManager.supportedYears.contains(date.year), !partitions.contains(date.year) {
            throw Importer.DirectLoadUnavailable(description: "no partition for \(date.year) yet")
        }
        var route: DirectRouter.Route = entry.account.stored?.contains(date) == true ? .staged : .direct
        if switches >= Importer.maximumRouteSwitches { route = .staged }
        if let last, last != route { switches += 1 }
        last = route
        return route
    }

    mutating func write(_ row: PreparedRow, as route: DirectRouter.Route, to writer: inout CopyWriter) throws {
        guard route == .direct, let entry = accounts[row.account] else {
            return try Importer.write(row, to: &writer)
        }
        let t = row.transaction
        writer.field(entry.idText)
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
        writer.field(importIDText)
        try writer.endRow()
        directRows[row.account, default: 0] += 1
    }
}
