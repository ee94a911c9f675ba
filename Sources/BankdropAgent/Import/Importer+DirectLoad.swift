import BankdropCore
import BankdropPostgres
import Foundation

/// The fast path: COPY straight into `transactions` the rows that cannot conflict with anything
/// stored, and only the others through the staging table.
///
/// A row can conflict only with a stored row of the same account, booking date and identity, so a
/// row dated outside the account's stored date range cannot conflict: it is copied into the table
/// itself, sparing the temporary table and the second pass in SQL (the staging path costs the
/// server about 1.2× a bare COPY at 1M rows; docs/benchmarks.md).
/// A row inside the range goes to the staging table and through `INSERT ... ON CONFLICT DO
/// NOTHING` at the end, as on the staging path. New months, the usual case, load entirely direct;
/// an overlapping export stages only its overlap.
///
/// Everything happens in the one load transaction, with the import record. A row whose year has
/// no partition yet gets it there and then (`ensure_transactions_partition`): the locks that takes
/// on `accounts` and `import_logs` are held to COMMIT, so another agent's import waits meanwhile;
/// it happens once per year and database. When a direct row meets a twin after all (another agent
/// stored it meanwhile: `unique_violation`, or is storing it and each waits for the other:
/// `deadlock_detected`), this path rolls back and throws ``DirectLoadUnavailable``, and the caller
/// loads the file on the staging path instead.
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
            // Reading starts now, while the statements below make their round trips.
            let rows = Self.prefetchRows(source, format: format, fallback: fallback, identityMode: identityMode, settings: settings)
            defer { rows.cancel() }
            try conn.execute("BEGIN", operation: "BEGIN")
            do {
                try Self.lockFileHash(digest, on: conn)
                let importID = try Self.insertRunning(
                    source, digest: digest, size: size, format: format, host: settings.host, started: started, on: conn)
                var router = DirectRouter(importID: importID, partitions: Set(try PartitionManager.partitionedYears(on: conn)))
                var pending = try rows.next()
                while let first = pending {
                    // Between COPY segments: what the next row needs first.
                    let route: DirectRouter.Route
                    switch router.step(for: first) {
                    case .lookUpAccount:
                        router.add(try Self.lookUpAccount(first.account, in: rows.facts.accounts, on: conn))
                        continue
                    case .createPartition(let year):
                        try PartitionManager.ensurePartitions(for: [year], on: conn)
                        router.partitions.insert(year)
                        continue
                    case .copy(let next, _):
                        route = next
                    }
                    if route == .staged, !router.hasStagingTable {
                        try conn.execute(Self.stagingTableSQL, operation: "CREATE staging table")
                        router.hasStagingTable = true
                    }
                    pending = nil
                    try conn.copy(route == .direct ? Self.directCopySQL : Self.stagingCopySQL, operation: "COPY \(route)") { writer in
                        var row: PreparedRow? = first
                        while let current = row {
                            guard case .copy(route, let account) = router.step(for: current) else {
                                pending = current
                                return
                            }
                            try router.write(current, as: route, account: account, to: &writer)
                            row = try rows.next()
                        }
                    }
                }
                // As on the staging path: the rows must be the bytes that were hashed.
                try source.checkUnchanged()
                let facts = LoadFacts(accounts: rows.facts.accounts, years: rows.facts.years, rowsRead: rows.facts.rowCount)
                let summary = try Self.finish(
                    facts, importID: importID, format: format, digest: digest, directRows: router.directRows,
                    staged: router.hasStagingTable, on: conn)
                try conn.execute("COMMIT", operation: "COMMIT")
                return summary
            } catch let error as PostgresError where error.sqlState == "23505" || error.sqlState == "40P01" {
                // Another agent is loading or has just stored a twin of a direct row.
                conn.rollbackQuietly()
                throw DirectLoadUnavailable(description: "another import stored the same rows meanwhile (\(error.sqlState ?? ""))")
            } catch {
                conn.rollbackQuietly()
                throw error
            }
        }
    }

    /// The file's rows, prepared on a thread of their own (see ``RowPrefetcher``).
    static func prefetchRows(
        _ source: some ImportSource, format: StatementFormat, fallback: String?, identityMode: RowIdentityAssigner.Mode,
        settings: Settings
    ) -> RowPrefetcher {
        RowPrefetcher {
            RowPreparer(
                reader: format.reader(over: try source.open(), options: settings.readerOptions), fileName: source.displayName,
                fallbackAccount: fallback, rules: try CategoryRules(settings.categoryRules), identityMode: identityMode)
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
        // Each end is one probe of the (account_id, date) index of every partition; ordering by
        // both columns keeps the planner on that index even while a bulk load leaves stale statistics.
        let row = try conn.query(
            """
            SELECT a.id,
                   (SELECT date FROM transactions WHERE account_id = a.id ORDER BY account_id, date LIMIT 1),
                   (SELECT date FROM transactions WHERE account_id = a.id ORDER BY account_id DESC, date DESC LIMIT 1)
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

    private struct Entry {
        var account: Account
        var idText: String
        var directRows = 0
    }

    // The file's accounts, and their positions by name: one name lookup per row, in `step`.
    private var entries: [Entry] = []
    private var positions: [String: Int] = [:]
    private let importIDText: String
    private var switches = 0
    private var last: Route?
    var hasStagingTable = false

    /// Rows copied straight into `transactions`, by account name.
    var directRows: [String: Int] {
        Dictionary(entries.map { ($0.account.name, $0.directRows) }, uniquingKeysWith: +)
    }

    /// The years that have a partition of their own.
    var partitions: Set<Int>

    init(importID: Int64, partitions: Set<Int>) {
        importIDText = String(importID)
        self.partitions = partitions
    }

    mutating func add(_ account: Account) {
        positions[account.name] = entries.count
        entries.append(Entry(account: account, idText: String(account.id)))
    }

    /// What a row needs before it can be copied.
    enum Step: Equatable {
        case lookUpAccount
        case createPartition(Int)
        /// Copy it by `route`; `account` is the account's position for ``write(_:as:account:to:)``.
        case copy(Route, account: Int)
    }

    /// Where `row` goes, or what must happen first.
    mutating func step(for row: PreparedRow) -> Step {
        guard let position = positions[row.account] else { return .lookUpAccount }
        let date = row.transaction.bookingDate
        if PartitionManager.supportedYears.contains(date.year), !partitions.contains(date.year) {
            return .createPartition(date.year)
        }
        var route: Route = entries[position].account.stored?.contains(date) == true ? .staged : .direct
        if switches >= Importer.maximumRouteSwitches { route = .staged }
        if let last, last != route { switches += 1 }
        last = route
        return .copy(route, account: position)
    }

    mutating func write(_ row: PreparedRow, as route: Route, account position: Int, to writer: inout CopyWriter) throws {
        guard route == .direct else {
            return try Importer.write(row, account: row.account, last: String(row.transaction.line), to: &writer)
        }
        try Importer.write(row, account: entries[position].idText, last: importIDText, to: &writer)
        entries[position].directRows += 1
    }
}
