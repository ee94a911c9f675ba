/// What a generation run wrote, for the summary a user checks an import against: after importing
/// every file, `transactions` holds ``transactions`` rows summing to ``sum`` (rows repeated by the
/// overlap are deduplicated away).
public struct GenerationTotals: Sendable, Hashable {
    /// Totals of one account.
    public struct Account: Sendable, Hashable {
        /// The account identifier (folder name, `accounts.name` after import).
        public var identifier: String
        /// The format of its files.
        public var format: StatementFormat
        /// Files written.
        public var files = 0
        /// Distinct transactions.
        public var transactions = 0
        /// Sum of the distinct transactions.
        public var sum = Amount(units: 0, scale: 2)
    }

    /// Files written.
    public var files = 0
    /// Rows written, repeated (overlapping) rows included.
    public var rowsWritten = 0
    /// Distinct transactions: what an import of every file inserts.
    public var transactions = 0
    /// Sum of the distinct transactions.
    public var sum = Amount(units: 0, scale: 2)
    /// Per account, in order.
    public var accounts: [Account] = []
    /// The earliest booking date written.
    public var firstDate: LocalDate?
    /// The latest booking date written.
    public var lastDate: LocalDate?

    /// Empty totals.
    public init() {}

    /// Rows written twice because files overlap.
    public var repeatedRows: Int { rowsWritten - transactions }

    /// Counts one statement file.
    public mutating func add(_ statement: GeneratedStatement) {
        files += 1
        rowsWritten += statement.transactions.count
        transactions += statement.newCount
        let newSum = statement.newSum
        sum = sum + newSum
        if let first = statement.transactions.first?.date, firstDate.map({ first < $0 }) ?? true { firstDate = first }
        if let last = statement.transactions.last?.date, lastDate.map({ last > $0 }) ?? true { lastDate = last }
        let identifier = statement.account.identifier
        // Statements come account by account: the last entry is almost always the one.
        let index: Int
        if let last = accounts.indices.last, accounts[last].identifier == identifier {
            index = last
        } else if let found = accounts.firstIndex(where: { $0.identifier == identifier }) {
            index = found
        } else {
            accounts.append(Account(identifier: identifier, format: statement.account.format))
            index = accounts.count - 1
        }
        accounts[index].files += 1
        accounts[index].transactions += statement.newCount
        accounts[index].sum = accounts[index].sum + newSum
    }
}
