/// One synthetic account: its stable identifier (an IBAN), the format of its files and its bank.
///
/// The identifier is what OFX (`ACCTID`), CAMT (`IBAN`) and MT940 (`:25:`) files state, and the
/// name of the account's folder, which names the account for CSV and QIF files: the same account
/// is the same account whatever the format.
public struct GeneratedAccount: Sendable, Hashable {
    /// Position among the generated accounts, from 0.
    public var index: Int
    /// A well-formed German IBAN (valid check digits), e.g. `DE75512108001245126199`.
    public var identifier: String
    /// The format of this account's files.
    public var format: StatementFormat
    /// ISO 4217 currency of the account.
    public var currency: String
    /// The bank's name.
    public var institution: String
    /// The bank's BIC.
    public var bic: String
    /// Distinct transactions planned for this account.
    public var transactionCount: Int

    /// The bank id prefix of this account's rows (`BD07` for account 7).
    var referencePrefix: String {
        "BD" + (index % 100 < 10 ? "0" : "") + String(index % 100)
    }

    /// The banks accounts are spread over: name, BIC, German bank code (BLZ).
    static let banks: [(name: String, bic: String, code: String)] = [
        ("Northwind Bank", "NWBKDEFFXXX", "50010060"),
        ("Contoso Sparkasse", "CSPKDE2HXXX", "20050550"),
        ("Fabrikam Direkt", "FBDKDEMMXXX", "70020270"),
    ]

    /// A German IBAN for `code` (8-digit BLZ) and `account` (10 digits), with ISO 7064 mod 97-10
    /// check digits.
    static func germanIBAN(bankCode code: String, accountNumber account: String) -> String {
        let bban = code + account
        // Move "DE00" to the end and read the letters as numbers (D = 13, E = 14).
        var remainder = 0
        for character in (bban + "131400").utf8 {
            remainder = (remainder * 10 + Int(character - UInt8(ascii: "0"))) % 97
        }
        let check = 98 - remainder
        return "DE" + (check < 10 ? "0" : "") + String(check) + bban
    }
}
