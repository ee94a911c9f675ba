/// One `[[categories.rules]]` entry: matchers and what to set when they all match.
///
/// Every matcher is optional, but a rule needs at least one; all given matchers must match.
/// Matchers see the text with whitespace runs collapsed and trimmed. `*_contains` compares
/// ignoring case; `*_regex` is a Swift `Regex` as written (use `(?i)` to ignore case) that must
/// match somewhere in the text. Amount bounds are inclusive, on the signed amount (money out is
/// negative: `amount_max = "-100"` matches spending of 100 or more). Coded with snake_case keys;
/// amounts are decimal strings (`"-12.50"`), whole numbers are accepted too.
public struct CategoryRule: Sendable, Hashable, Codable {
    /// A name for status output and error messages.
    public var name: String?
    /// Matches when the payee contains this text, ignoring case.
    public var payeeContains: String?
    /// Matches when this regular expression matches somewhere in the payee.
    public var payeeRegex: String?
    /// Matches when the description contains this text, ignoring case.
    public var descriptionContains: String?
    /// Matches when this regular expression matches somewhere in the description.
    public var descriptionRegex: String?
    /// Matches when the signed amount is at least this.
    public var amountMin: Amount?
    /// Matches when the signed amount is at most this.
    public var amountMax: Amount?
    /// Matches when the row's account is exactly this.
    public var account: String?
    /// The category to set.
    public var category: String
    /// A merchant name to set instead of the normalised payee.
    public var merchant: String?

    /// Creates a rule.
    public init(
        name: String? = nil, payeeContains: String? = nil, payeeRegex: String? = nil,
        descriptionContains: String? = nil, descriptionRegex: String? = nil, amountMin: Amount? = nil,
        amountMax: Amount? = nil, account: String? = nil, category: String, merchant: String? = nil
    ) {
        self.name = name
        self.payeeContains = payeeContains
        self.payeeRegex = payeeRegex
        self.descriptionContains = descriptionContains
        self.descriptionRegex = descriptionRegex
        self.amountMin = amountMin
        self.amountMax = amountMax
        self.account = account
        self.category = category
        self.merchant = merchant
    }

    /// The configuration keys, snake_case.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case payeeContains = "payee_contains"
        case payeeRegex = "payee_regex"
        case descriptionContains = "description_contains"
        case descriptionRegex = "description_regex"
        case amountMin = "amount_min"
        case amountMax = "amount_max"
        case account
        case category
        case merchant
    }

    /// Decodes a rule; amounts from decimal strings (or whole numbers).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        payeeContains = try container.decodeIfPresent(String.self, forKey: .payeeContains)
        payeeRegex = try container.decodeIfPresent(String.self, forKey: .payeeRegex)
        descriptionContains = try container.decodeIfPresent(String.self, forKey: .descriptionContains)
        descriptionRegex = try container.decodeIfPresent(String.self, forKey: .descriptionRegex)
        amountMin = try Self.decodeAmount(container, .amountMin)
        amountMax = try Self.decodeAmount(container, .amountMax)
        account = try container.decodeIfPresent(String.self, forKey: .account)
        category = try container.decode(String.self, forKey: .category)
        merchant = try container.decodeIfPresent(String.self, forKey: .merchant)
    }

    /// Encodes a rule; amounts as decimal strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(payeeContains, forKey: .payeeContains)
        try container.encodeIfPresent(payeeRegex, forKey: .payeeRegex)
        try container.encodeIfPresent(descriptionContains, forKey: .descriptionContains)
        try container.encodeIfPresent(descriptionRegex, forKey: .descriptionRegex)
        try container.encodeIfPresent(amountMin?.description, forKey: .amountMin)
        try container.encodeIfPresent(amountMax?.description, forKey: .amountMax)
        try container.encodeIfPresent(account, forKey: .account)
        try container.encode(category, forKey: .category)
        try container.encodeIfPresent(merchant, forKey: .merchant)
    }

    private static func decodeAmount(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Amount? {
        guard container.contains(key) else { return nil }
        if let text = try? container.decode(String.self, forKey: key) {
            guard let amount = Amount(TextNormalization.collapsingWhitespace(text)) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription: "\"\(text)\" is not a decimal amount; write it like \"-12.50\"")
            }
            return amount
        }
        if let whole = try? container.decode(Int64.self, forKey: key) {
            return Amount(units: whole, scale: 0)
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: container,
            debugDescription: "expected a decimal amount as a string, like \"-12.50\" (a float would lose digits)")
    }
}
