/// An ordered list of category rules, checked and compiled once; the first matching rule wins.
///
/// Not `Sendable`, because Swift's `Regex` is not: build one where the rows are classified (once
/// per import pipeline) from the `Sendable` `[CategoryRule]` of the configuration. The
/// configuration loader builds one as well, so a bad rule is reported when the file is loaded.
public struct CategoryRules {
    /// A rule with its regular expressions compiled and its needles lower-cased.
    private struct Compiled {
        var rule: CategoryRule
        var payeeNeedle: String?
        var payeeRegex: Regex<AnyRegexOutput>?
        var descriptionNeedle: String?
        var descriptionRegex: Regex<AnyRegexOutput>?
        var needsPayee: Bool { payeeNeedle != nil || payeeRegex != nil }
        var needsDescription: Bool { descriptionNeedle != nil || descriptionRegex != nil }
    }

    /// The rules, in the order they are checked.
    public let rules: [CategoryRule]
    private let compiled: [Compiled]
    private let normalizer: MerchantNormalizer

    /// No rules: every row keeps the file's category and gets its normalised merchant.
    public init(normalizer: MerchantNormalizer = MerchantNormalizer()) {
        self.rules = []
        self.compiled = []
        self.normalizer = normalizer
    }

    /// Checks and compiles `rules`.
    ///
    /// - Throws: `CategoryRuleError` naming the first rule that has an invalid regular expression,
    ///   no matcher, an empty matcher or category, or `amount_min` above `amount_max`.
    public init(_ rules: [CategoryRule], normalizer: MerchantNormalizer = MerchantNormalizer())
        throws(CategoryRuleError)
    {
        var compiled: [Compiled] = []
        for (index, rule) in rules.enumerated() {
            compiled.append(try Self.compile(rule, index: index))
        }
        self.rules = rules
        self.compiled = compiled
        self.normalizer = normalizer
    }

    /// The merchant and category of `transaction`, which belongs to `account`.
    ///
    /// The first rule whose matchers all match sets the category (and the merchant, when it has
    /// one); without a match the file's own category is kept; the merchant is otherwise the
    /// normalised payee (or description).
    public func apply(to transaction: StatementTransaction, account: String) -> Classification {
        let payee = transaction.payee.map { TextNormalization.collapsingWhitespace($0) }
        let description = transaction.description.map { TextNormalization.collapsingWhitespace($0) }
        var payeeLowercased: String?
        var descriptionLowercased: String?

        for (index, candidate) in compiled.enumerated() {
            if let wanted = candidate.rule.account, wanted != account { continue }
            if let minimum = candidate.rule.amountMin, transaction.amount < minimum { continue }
            if let maximum = candidate.rule.amountMax, maximum < transaction.amount { continue }
            if candidate.needsPayee {
                guard let payee else { continue }
                if let needle = candidate.payeeNeedle {
                    if payeeLowercased == nil { payeeLowercased = payee.lowercased() }
                    guard payeeLowercased?.contains(needle) == true else { continue }
                }
                if let regex = candidate.payeeRegex, !Self.matches(regex, in: payee) { continue }
            }
            if candidate.needsDescription {
                guard let description else { continue }
                if let needle = candidate.descriptionNeedle {
                    if descriptionLowercased == nil { descriptionLowercased = description.lowercased() }
                    guard descriptionLowercased?.contains(needle) == true else { continue }
                }
                if let regex = candidate.descriptionRegex, !Self.matches(regex, in: description) { continue }
            }
            return Classification(
                merchant: candidate.rule.merchant ?? normalizer.merchant(payee: payee, description: description),
                category: candidate.rule.category,
                source: .rule(index: index, name: candidate.rule.name))
        }

        let merchant = normalizer.merchant(payee: payee, description: description)
        let fileCategory = transaction.category.map { TextNormalization.collapsingWhitespace($0) } ?? ""
        if !fileCategory.isEmpty {
            return Classification(merchant: merchant, category: fileCategory, source: .file)
        }
        return Classification(merchant: merchant, category: nil, source: .none)
    }

    private static func matches(_ regex: Regex<AnyRegexOutput>, in text: String) -> Bool {
        // Matching throws only for custom regex components, which a pattern string cannot hold.
        ((try? regex.firstMatch(in: text)) ?? nil) != nil
    }

    private static func compile(_ rule: CategoryRule, index: Int) throws(CategoryRuleError) -> Compiled {
        func fail(_ key: CategoryRule.CodingKeys?, _ message: String) -> CategoryRuleError {
            CategoryRuleError(ruleIndex: index, ruleName: rule.name, key: key?.rawValue, message: message)
        }
        func needle(_ text: String?, _ key: CategoryRule.CodingKeys) throws(CategoryRuleError) -> String? {
            guard let text else { return nil }
            let normalized = TextNormalization.collapsingWhitespace(text)
            guard !normalized.isEmpty else { throw fail(key, "is empty; remove the key or give it some text") }
            return normalized.lowercased()
        }
        func regex(_ pattern: String?, _ key: CategoryRule.CodingKeys) throws(CategoryRuleError)
            -> Regex<AnyRegexOutput>?
        {
            guard let pattern else { return nil }
            guard !pattern.isEmpty else { throw fail(key, "is empty; remove the key or give it a pattern") }
            do {
                return try Regex(pattern)
            } catch {
                throw fail(key, "\"\(pattern)\" is not a valid regular expression: \(error)")
            }
        }

        if TextNormalization.collapsingWhitespace(rule.category).isEmpty {
            throw fail(.category, "is empty; give the category to set")
        }
        if let minimum = rule.amountMin, let maximum = rule.amountMax, maximum < minimum {
            throw fail(.amountMin, "\(minimum) is above amount_max \(maximum); no amount could match")
        }
        let compiled = Compiled(
            rule: rule,
            payeeNeedle: try needle(rule.payeeContains, .payeeContains),
            payeeRegex: try regex(rule.payeeRegex, .payeeRegex),
            descriptionNeedle: try needle(rule.descriptionContains, .descriptionContains),
            descriptionRegex: try regex(rule.descriptionRegex, .descriptionRegex))
        if !compiled.needsPayee, !compiled.needsDescription, rule.amountMin == nil, rule.amountMax == nil,
            rule.account == nil
        {
            throw fail(
                nil,
                "has no matcher; give at least one of payee_contains, payee_regex, description_contains, "
                    + "description_regex, amount_min, amount_max, account")
        }
        return compiled
    }
}
