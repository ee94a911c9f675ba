/// A category rule that cannot be used: names the rule, the key and what is wrong.
public struct CategoryRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Position of the rule in the list, counting from 0.
    public var ruleIndex: Int
    /// The rule's `name`, if it has one.
    public var ruleName: String?
    /// The offending key, e.g. `payee_regex`, or nil when the rule as a whole is wrong.
    public var key: String?
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(ruleIndex: Int, ruleName: String?, key: String?, message: String) {
        self.ruleIndex = ruleIndex
        self.ruleName = ruleName
        self.key = key
        self.message = message
    }

    /// `categories.rules[#3] ("Groceries"), key payee_regex: ...`; rules count from 1 here, as a
    /// person counts the `[[categories.rules]]` entries of the file.
    public var description: String {
        var text = "categories.rules[#\(ruleIndex + 1)]"
        if let ruleName { text += " (\"\(ruleName)\")" }
        if let key { text += ", key \(key)" }
        return text + ": " + message
    }
}
