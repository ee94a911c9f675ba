/// One transaction ready to load: its account, identity and classification settled.
public struct PreparedRow: Sendable, Hashable {
    /// The account's name in the database (`accounts.name`).
    public var account: String
    public var transaction: StatementTransaction
    /// The stable identity that deduplicates overlapping exports.
    public var key: RowKey
    /// Merchant, category and the rule that set them.
    public var classification: Classification
    /// The currency that applies: the entry's own, else the account's.
    public var currency: String?
}
