/// A configuration that cannot be used: names the file (or variable), the key and what is wrong.
///
/// Never holds a database URL or password: messages about `database.url` name the key only.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file path, or `environment variable BANKDROP_...`.
    public var source: String
    /// The key path, e.g. `inbox.settle_seconds` or `categories.rules[#2].payee_regex` (entries of
    /// an array of tables count from 1), or nil when the file as a whole is wrong.
    public var key: String?
    /// The 1-based line (and column) for syntax errors, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(source: String, key: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source
        self.key = key
        self.line = line
        self.column = column
        self.message = message
    }

    /// `/etc/bankdrop/bankdrop.toml:12:5: key inbox.settle_seconds: expected a number of seconds`.
    public var description: String {
        var text = source
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let key { text += "key \(key): " }
        return text + message
    }
}
