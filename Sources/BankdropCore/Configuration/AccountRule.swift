/// One `[[accounts.rules]]` entry: files whose name matches `glob` belong to `account`.
public struct AccountRule: Sendable, Hashable, Codable {
    /// A file-name pattern (`FileNameGlob`): `*`, `?`, `[...]`; matched against the name only.
    public var glob: String
    /// The account those files belong to.
    public var account: String

    /// Creates a rule.
    public init(glob: String, account: String) {
        self.glob = glob
        self.account = account
    }

    /// The keys of the table.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case glob, account
    }
}
