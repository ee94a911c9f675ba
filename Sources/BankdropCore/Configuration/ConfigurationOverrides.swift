/// Values that replace the configuration file's: from the environment, or from command-line flags.
///
/// Precedence is flags > environment > file > defaults: the loader applies the environment's
/// overrides to the file, and the command line applies its own on top.
public struct ConfigurationOverrides: Sendable, Hashable, CustomStringConvertible {
    /// Replaces `database.url`.
    public var databaseURL: String?
    /// Replaces `state_dir`.
    public var stateDir: String?
    /// Replaces `inbox.path`.
    public var inbox: String?
    /// Replaces `log.level`.
    public var logLevel: BankdropConfiguration.LogLevel?

    /// Creates overrides; nil leaves a value as it is.
    public init(
        databaseURL: String? = nil, stateDir: String? = nil, inbox: String? = nil,
        logLevel: BankdropConfiguration.LogLevel? = nil
    ) {
        self.databaseURL = databaseURL
        self.stateDir = stateDir
        self.inbox = inbox
        self.logLevel = logLevel
    }

    /// The environment variables read by `init(environment:)`.
    public enum Variable: String, Sendable, CaseIterable {
        /// `database.url`.
        case databaseURL = "BANKDROP_DATABASE_URL"
        /// `state_dir`.
        case stateDir = "BANKDROP_STATE_DIR"
        /// `inbox.path`.
        case inbox = "BANKDROP_INBOX"
        /// `log.level`.
        case logLevel = "BANKDROP_LOG_LEVEL"
    }

    /// Reads the `BANKDROP_*` variables; an empty variable counts as unset.
    ///
    /// - Throws: `ConfigurationError` when `BANKDROP_LOG_LEVEL` is not a level name.
    public init(environment: [String: String]) throws(ConfigurationError) {
        func value(_ variable: Variable) -> String? {
            guard let text = environment[variable.rawValue], !text.isEmpty else { return nil }
            return text
        }
        self.init(databaseURL: value(.databaseURL), stateDir: value(.stateDir), inbox: value(.inbox))
        if let level = value(.logLevel) {
            guard let parsed = BankdropConfiguration.LogLevel(rawValue: level.lowercased()) else {
                throw ConfigurationError(
                    source: "environment variable \(Variable.logLevel.rawValue)", key: "log.level",
                    message: "\"\(level)\" is not a log level; use one of \(BankdropConfiguration.LogLevel.names)")
            }
            logLevel = parsed
        }
    }

    /// Whether nothing is overridden.
    public var isEmpty: Bool { self == ConfigurationOverrides() }

    /// The overridden keys, the database URL without its password.
    public var description: String {
        var parts: [String] = []
        if let databaseURL { parts.append("database.url = \(ConnectionString.redacted(databaseURL))") }
        if let stateDir { parts.append("state_dir = \(stateDir)") }
        if let inbox { parts.append("inbox.path = \(inbox)") }
        if let logLevel { parts.append("log.level = \(logLevel.rawValue)") }
        return parts.isEmpty ? "(none)" : parts.joined(separator: ", ")
    }
}

extension BankdropConfiguration {
    /// This configuration with `overrides` applied.
    public func applying(_ overrides: ConfigurationOverrides) -> BankdropConfiguration {
        var result = self
        if let databaseURL = overrides.databaseURL { result.database.url = databaseURL }
        if let stateDir = overrides.stateDir { result.stateDir = stateDir }
        if let inbox = overrides.inbox { result.inbox.path = inbox }
        if let logLevel = overrides.logLevel { result.log.level = logLevel }
        return result
    }
}
