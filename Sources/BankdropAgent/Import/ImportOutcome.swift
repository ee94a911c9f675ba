import BankdropCore

/// What happened to one file.
public enum ImportOutcome: Sendable {
    /// Loaded: the rows are committed together with their import record.
    case imported(ImportSummary)
    /// The same bytes were imported before (import `original`); nothing was loaded.
    case duplicate(importID: Int64?, original: Int64)
    /// The file cannot be imported as it is (format, content, account): permanent.
    case refused(ImportRefusal, importID: Int64?)
    /// A passing problem (database down, disk full, connection lost): nothing was kept; try again later.
    case retryLater(reason: String)

    /// Whether the file is finished with (moved to done/ or failed/ in the agent's mode).
    public var isFinal: Bool {
        if case .retryLater = self { return false }
        return true
    }
}

/// Counts of one import.
public struct ImportSummary: Sendable, Hashable {
    public var importID: Int64
    public var format: StatementFormat
    public var rowsRead: Int
    public var rowsInserted: Int
    /// Rows copied straight into `transactions` because no stored row could be their twin; the
    /// others went through the staging table and `INSERT ... ON CONFLICT DO NOTHING`.
    public var rowsCopiedDirectly: Int = 0
    /// Rows that were already stored (overlapping exports, re-imports).
    public var rowsAlreadyPresent: Int { rowsRead - rowsInserted }
    /// Per account name: rows read and rows inserted.
    public var accounts: [AccountCount]
    public var sha256: String

    public struct AccountCount: Sendable, Hashable {
        public var name: String
        public var read: Int
        public var inserted: Int

        public init(name: String, read: Int, inserted: Int) {
            self.name = name
            self.read = read
            self.inserted = inserted
        }
    }
}
