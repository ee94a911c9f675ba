/// What the rules decided for one transaction: its merchant, its category, and why.
public struct Classification: Sendable, Hashable {
    /// Where the category came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A category rule matched: its position (counting from 0) and name.
        case rule(index: Int, name: String?)
        /// No rule matched; the file's own category was used.
        case file
        /// No rule matched and the file has no category.
        case none

        /// `rule #3 (Groceries)`, `file` or `none`; rules count from 1 here.
        public var description: String {
            switch self {
            case .rule(let index, let name?): "rule #\(index + 1) (\(name))"
            case .rule(let index, nil): "rule #\(index + 1)"
            case .file: "file"
            case .none: "none"
            }
        }
    }

    /// The merchant: the matching rule's `merchant`, else the normalised payee or description.
    public var merchant: String?
    /// The category, or nil when neither a rule nor the file gave one.
    public var category: String?
    /// Where the category came from.
    public var source: Source

    /// Creates a classification.
    public init(merchant: String?, category: String?, source: Source) {
        self.merchant = merchant
        self.category = category
        self.source = source
    }
}
