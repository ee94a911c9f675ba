import BankdropCore

/// `bankdrop import --dry-run`: exactly what a file would import, in the shape of the samples'
/// `expected.json` plus merchant, category, rule and row identity.
public struct StatementPreview: Sendable, Hashable, Encodable {
    public var path: String
    public var format: String?
    public var malformed: Bool
    public var error: PreviewError?
    public var accounts: [Account]
    public var transactions: [Transaction]

    public struct PreviewError: Sendable, Hashable, Encodable {
        public var line: Int?
        public var field: String?
        public var value: String?
        public var message: String
    }

    public struct Account: Sendable, Hashable, Encodable {
        public var id: String
        public var currency: String?
        public var transactions: Int
        public var sum: String
        public var firstDate: String?
        public var lastDate: String?
        public var openingBalance: String?
        public var closingBalance: String?
        /// opening + sum == closing, when the file states both.
        public var balanceCheck: Bool?

        enum CodingKeys: String, CodingKey {
            case id, currency, transactions, sum
            case firstDate = "first_date", lastDate = "last_date"
            case openingBalance = "opening_balance", closingBalance = "closing_balance", balanceCheck = "balance_check"
        }
    }

    public struct Transaction: Sendable, Hashable, Encodable {
        public var account: String
        public var date: String
        public var valueDate: String?
        public var amount: String
        public var currency: String?
        public var payee: String?
        public var description: String?
        public var bankID: String?
        public var merchant: String?
        public var category: String?
        public var rule: String
        public var rowKey: String
        public var line: Int

        enum CodingKeys: String, CodingKey {
            case account, date, amount, currency, payee, description, merchant, category, rule, line
            case valueDate = "value_date", bankID = "bank_id", rowKey = "row_key"
        }
    }

    /// Warnings for a person: balance checks that fail.
    public var warnings: [String] {
        accounts.compactMap { account in
            account.balanceCheck == false
                ? "account \(account.id): opening \(account.openingBalance ?? "?") + sum \(account.sum) ≠ closing \(account.closingBalance ?? "?")"
                : nil
        }
    }
}
