/// One synthetic booked transaction, as every format writes it.
public struct GeneratedTransaction: Sendable, Hashable {
    /// What kind of booking it is.
    public enum Kind: Sendable, Hashable {
        /// A card payment or direct debit to a merchant (money out).
        case purchase
        /// Money back from a merchant (money in).
        case refund
        /// The monthly salary (money in).
        case salary
        /// The monthly rent (money out).
        case rent
    }

    /// The booking date.
    public var date: LocalDate
    /// Signed amount with two decimals: money out negative.
    public var amount: Amount
    /// The counterparty as the bank writes it (card-terminal noise included).
    public var payee: String
    /// The booking text.
    public var description: String
    /// The category (written by CSV and QIF only).
    public var category: String
    /// What kind of booking it is.
    public var kind: Kind
    /// The account's running number of this transaction (from 1), behind ``reference``.
    public var sequence: Int
    /// The account's reference prefix (`BD07`).
    var referencePrefix: String

    /// The bank's own id (OFX `FITID`, CAMT `AcctSvcrRef`, MT940 bank reference): the account's
    /// prefix and a 10-digit running number, 14 characters (MT940 allows 16). Stable, so a row
    /// repeated by an overlapping export carries the same id.
    public var reference: String {
        let digits = String(sequence)
        return referencePrefix + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
