/// Everything the configuration file can say; every key is optional.
///
/// Decoded from TOML (`config/bankdrop.toml` is the commented example, docs/configuration.md the
/// reference) with snake_case keys; a missing table or key takes the default that the
/// corresponding accessor documents. Precedence: command-line flags, then environment
/// (`ConfigurationOverrides`), then this file, then the defaults.
///
/// `description` and `debugDescription` hide any password in `database.url`.
public struct BankdropConfiguration: Sendable, Hashable, Codable {
    /// `[database]`.
    public var database: Database
    /// `[inbox]`.
    public var inbox: Inbox
    /// `state_dir`: where bankdrop keeps its state (the embedded database, the agent's status).
    public var stateDir: String?
    /// `[refresh]`.
    public var refresh: Refresh
    /// `[qif]`.
    public var qif: QIF
    /// `[accounts]`.
    public var accounts: Accounts
    /// `[categories]`.
    public var categories: Categories
    /// `[log]`.
    public var log: Log
    /// `[csv]`.
    public var csv: CSV

    /// Creates a configuration; everything left out takes its default.
    public init(
        database: Database = Database(), inbox: Inbox = Inbox(), stateDir: String? = nil, refresh: Refresh = Refresh(),
        qif: QIF = QIF(), accounts: Accounts = Accounts(), categories: Categories = Categories(), log: Log = Log(),
        csv: CSV = CSV()
    ) {
        self.database = database
        self.inbox = inbox
        self.stateDir = stateDir
        self.refresh = refresh
        self.qif = qif
        self.accounts = accounts
        self.categories = categories
        self.log = log
        self.csv = csv
    }

    /// The top-level keys.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case database, inbox
        case stateDir = "state_dir"
        case refresh, qif, accounts, categories, log, csv
    }

    /// Decodes a configuration; a missing table is an empty one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        database = try container.decodeIfPresent(Database.self, forKey: .database) ?? Database()
        inbox = try container.decodeIfPresent(Inbox.self, forKey: .inbox) ?? Inbox()
        stateDir = try container.decodeIfPresent(String.self, forKey: .stateDir)
        refresh = try container.decodeIfPresent(Refresh.self, forKey: .refresh) ?? Refresh()
        qif = try container.decodeIfPresent(QIF.self, forKey: .qif) ?? QIF()
        accounts = try container.decodeIfPresent(Accounts.self, forKey: .accounts) ?? Accounts()
        categories = try container.decodeIfPresent(Categories.self, forKey: .categories) ?? Categories()
        log = try container.decodeIfPresent(Log.self, forKey: .log) ?? Log()
        csv = try container.decodeIfPresent(CSV.self, forKey: .csv) ?? CSV()
    }
}

extension BankdropConfiguration {
    /// `[database]`: which PostgreSQL to use.
    public struct Database: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        /// `url`: a libpq connection URL (`postgres://user@host/db`) or conninfo string
        /// (`host=... dbname=...`). Default: none, which means the embedded cluster under the state
        /// directory. libpq's `PG*` variables, service files and `.pgpass` apply as usual.
        public var url: String?

        /// Creates the table.
        public init(url: String? = nil) {
            self.url = url
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case url
        }

        /// The URL with any password replaced by `***`, or `(embedded)`.
        public var description: String { url.map(ConnectionString.redacted) ?? "(embedded)" }
        /// Same as `description`: never the password.
        public var debugDescription: String { "Database(url: \(description))" }
        /// Shows the redacted URL to `dump` and debuggers.
        public var customMirror: Mirror { Mirror(self, children: ["url": description]) }
    }

    /// `[inbox]`: the watched folder and where files go afterwards.
    public struct Inbox: Sendable, Hashable, Codable {
        /// `path`: the folder bank exports are dropped into. Default: `<state_dir>/inbox`.
        public var path: String?
        /// `done_dir`: where imported files go (as `done/YYYY/MM/<name>`); relative to the inbox.
        /// Default: `done`.
        public var doneDir: String?
        /// `failed_dir`: where files that cannot be imported go, with a `.error.txt` beside them;
        /// relative to the inbox. Default: `failed`.
        public var failedDir: String?
        /// `settle_seconds`: how long a file must stay unchanged before it is read. Default: 2.
        public var settleSeconds: Double?

        /// Creates the table.
        public init(path: String? = nil, doneDir: String? = nil, failedDir: String? = nil, settleSeconds: Double? = nil)
        {
            self.path = path
            self.doneDir = doneDir
            self.failedDir = failedDir
            self.settleSeconds = settleSeconds
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case path
            case doneDir = "done_dir"
            case failedDir = "failed_dir"
            case settleSeconds = "settle_seconds"
        }

        /// Decodes the table; seconds may be written as integers or decimals.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decodeIfPresent(String.self, forKey: .path)
            doneDir = try container.decodeIfPresent(String.self, forKey: .doneDir)
            failedDir = try container.decodeIfPresent(String.self, forKey: .failedDir)
            settleSeconds = try container.decodeSeconds(forKey: .settleSeconds)
        }

        /// The default of `settle_seconds`.
        public static let defaultSettleSeconds: Double = 2
        /// The default of `done_dir`.
        public static let defaultDoneDir = "done"
        /// The default of `failed_dir`.
        public static let defaultFailedDir = "failed"

        /// `settle_seconds` or its default.
        public var settle: Duration { .seconds(settleSeconds ?? Self.defaultSettleSeconds) }
    }

    /// `[refresh]`: when the summary views are refreshed after imports.
    public struct Refresh: Sendable, Hashable, Codable {
        /// `quiet_seconds`: refresh once no import has come for this long. Default: 2.
        public var quietSeconds: Double?
        /// `max_delay_seconds`: but never later than this after the first import that made the
        /// views stale. Default: 30.
        public var maxDelaySeconds: Double?

        /// Creates the table.
        public init(quietSeconds: Double? = nil, maxDelaySeconds: Double? = nil) {
            self.quietSeconds = quietSeconds
            self.maxDelaySeconds = maxDelaySeconds
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case quietSeconds = "quiet_seconds"
            case maxDelaySeconds = "max_delay_seconds"
        }

        /// Decodes the table; seconds may be written as integers or decimals.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            quietSeconds = try container.decodeSeconds(forKey: .quietSeconds)
            maxDelaySeconds = try container.decodeSeconds(forKey: .maxDelaySeconds)
        }

        /// The default of `quiet_seconds`.
        public static let defaultQuietSeconds: Double = 2
        /// The default of `max_delay_seconds`.
        public static let defaultMaxDelaySeconds: Double = 30

        /// `quiet_seconds` or its default.
        public var quiet: Duration { .seconds(quietSeconds ?? Self.defaultQuietSeconds) }
        /// `max_delay_seconds` or its default.
        public var maxDelay: Duration { .seconds(maxDelaySeconds ?? Self.defaultMaxDelaySeconds) }
    }

    /// The order of day and month in QIF dates, which the format does not state.
    public enum QIFDateOrder: String, Sendable, Hashable, Codable, CaseIterable {
        /// Day first: `31.12.2025`, `31/12/25` (European banks).
        case dmy
        /// Month first: `12/31'25`, `12/31/2025` (Quicken's US default).
        case mdy

        /// Decodes `"dmy"` or `"mdy"`; anything else is an error listing both.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let order = Self(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\"\(text)\" is not a date order; use \"dmy\" or \"mdy\"")
            }
            self = order
        }

        /// The QIF reader's name for this order.
        public var readerOrder: BankdropCore.QIFDateOrder {
            switch self {
            case .dmy: .dayMonthYear
            case .mdy: .monthDayYear
            }
        }
    }

    /// `[qif]`: reading QIF files.
    public struct QIF: Sendable, Hashable, Codable {
        /// `date_order`: `"dmy"` or `"mdy"`. Default: not set, which leaves the order to the QIF
        /// reader; set it when a bank's dates are ambiguous (`03/04/2025`).
        public var dateOrder: QIFDateOrder?

        /// Creates the table.
        public init(dateOrder: QIFDateOrder? = nil) {
            self.dateOrder = dateOrder
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case dateOrder = "date_order"
        }
    }

    /// `[accounts]`: which account a file belongs to when the file does not say.
    public struct Accounts: Sendable, Hashable, Codable {
        /// `[[accounts.rules]]`: file-name globs, checked in order; the first match names the
        /// account. Default: none.
        public var rules: [AccountRule]

        /// Creates the table.
        public init(rules: [AccountRule] = []) {
            self.rules = rules
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case rules
        }

        /// Decodes the table; missing rules are none.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rules = try container.decodeIfPresent([AccountRule].self, forKey: .rules) ?? []
        }

        /// The account of the first rule whose glob matches `fileName` (a name, not a path), or nil.
        ///
        /// A rule whose glob is malformed never matches; `ConfigurationLoader` rejects such files.
        public func account(forFileName fileName: String) -> String? {
            for rule in rules {
                if let glob = try? FileNameGlob(rule.glob), glob.matches(fileName) { return rule.account }
            }
            return nil
        }
    }

    /// `[categories]`: category and merchant rules.
    public struct Categories: Sendable, Hashable, Codable {
        /// `[[categories.rules]]`, checked in order; the first match wins. Default: none.
        public var rules: [CategoryRule]

        /// Creates the table.
        public init(rules: [CategoryRule] = []) {
            self.rules = rules
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case rules
        }

        /// Decodes the table; missing rules are none.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            rules = try container.decodeIfPresent([CategoryRule].self, forKey: .rules) ?? []
        }
    }

    /// Log levels, from the most to the least verbose (swift-log's levels).
    public enum LogLevel: String, Sendable, Hashable, Codable, CaseIterable {
        /// Everything.
        case trace
        /// inotify and COPY detail.
        case debug
        /// One line per file outcome.
        case info
        /// Notable events.
        case notice
        /// Rescans and retries.
        case warning
        /// Files that go to failed/.
        case error
        /// The agent cannot go on.
        case critical

        /// Decodes a level name; anything else is an error listing the levels.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let level = Self(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\"\(text)\" is not a log level; use one of \(Self.names)")
            }
            self = level
        }

        /// The level names, for messages: `trace, debug, ...`.
        public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
    }

    /// `[csv]`: CSV layouts of banks bankdrop does not know yet.
    public struct CSV: Sendable, Hashable, Codable {
        /// `[[csv.profiles]]`: user profiles, tried before the built-in ones (docs/formats.md).
        public var profiles: [CSVProfile]

        /// Creates the table.
        public init(profiles: [CSVProfile] = []) {
            self.profiles = profiles
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case profiles
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            profiles = try container.decodeIfPresent([CSVProfile].self, forKey: .profiles) ?? []
        }
    }

    /// `[log]`.
    public struct Log: Sendable, Hashable, Codable {
        /// `level`. Default: `info`.
        public var level: LogLevel?

        /// Creates the table.
        public init(level: LogLevel? = nil) {
            self.level = level
        }

        /// The keys of the table.
        public enum CodingKeys: String, CodingKey, CaseIterable {
            case level
        }

        /// The default of `level`.
        public static let defaultLevel = LogLevel.info
    }
}

extension BankdropConfiguration: CustomStringConvertible {
    /// The configuration as `key = value` lines, the database URL without its password.
    public var description: String {
        var lines = ["database.url = \(database.description)"]
        lines.append("inbox.path = \(inbox.path ?? "(default)")")
        lines.append("inbox.done_dir = \(inbox.doneDir ?? Inbox.defaultDoneDir)")
        lines.append("inbox.failed_dir = \(inbox.failedDir ?? Inbox.defaultFailedDir)")
        lines.append("inbox.settle_seconds = \(inbox.settleSeconds ?? Inbox.defaultSettleSeconds)")
        lines.append("state_dir = \(stateDir ?? "(default)")")
        lines.append("refresh.quiet_seconds = \(refresh.quietSeconds ?? Refresh.defaultQuietSeconds)")
        lines.append("refresh.max_delay_seconds = \(refresh.maxDelaySeconds ?? Refresh.defaultMaxDelaySeconds)")
        lines.append("qif.date_order = \(qif.dateOrder?.rawValue ?? "(from the file)")")
        lines.append("accounts.rules = \(accounts.rules.count) rule(s)")
        lines.append("categories.rules = \(categories.rules.count) rule(s)")
        lines.append("log.level = \((log.level ?? Log.defaultLevel).rawValue)")
        return lines.joined(separator: "\n")
    }
}

extension KeyedDecodingContainer {
    /// A number of seconds written as an integer or a decimal, at least zero.
    fileprivate func decodeSeconds(forKey key: Key) throws -> Double? {
        guard contains(key) else { return nil }
        let seconds: Double
        if let whole = try? decode(Int.self, forKey: key) {
            seconds = Double(whole)
        } else if let value = try? decode(Double.self, forKey: key) {
            seconds = value
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected a number of seconds, like 2 or 0.5")
        }
        guard seconds >= 0, seconds.isFinite else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(seconds) is not a number of seconds of zero or more")
        }
        return seconds
    }
}
