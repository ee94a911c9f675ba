import BankdropCore
import BankdropPostgres
import Foundation
import Logging

/// Everything a command needs to know about where things are: the loaded configuration with
/// environment and flag overrides applied, the resolved folders, and which database to use.
public struct AgentContext: Sendable {
    /// The configuration after flags > environment > file > defaults.
    public var configuration: BankdropConfiguration
    /// The configuration file that was read, if any.
    public var configurationFile: String?
    /// The process environment (passed in so tests can set it).
    public var environment: [String: String]
    public var logger: Logger
    /// Whether we run as root (the embedded server then runs as an unprivileged user).
    public var runningAsRoot: Bool

    /// Loads the configuration file (`--config`, `$BANKDROP_CONFIG`, or the default places) and
    /// applies environment variables, then `flags`.
    public static func load(
        configFile: String?, flags: ConfigurationOverrides, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) throws -> AgentContext {
        let loaded = try ConfigurationLoader(environment: environment).load(file: configFile)
        return AgentContext(
            configuration: loaded.configuration.applying(flags), configurationFile: loaded.file, environment: environment,
            logger: logger, runningAsRoot: geteuid() == 0)
    }

    public init(
        configuration: BankdropConfiguration, configurationFile: String? = nil, environment: [String: String], logger: Logger,
        runningAsRoot: Bool = geteuid() == 0
    ) {
        self.configuration = configuration
        self.configurationFile = configurationFile
        self.environment = environment
        self.logger = logger
        self.runningAsRoot = runningAsRoot
    }

    /// The state directory (embedded database, agent status).
    public var stateDirectory: URL {
        URL(fileURLWithPath: configuration.stateDirectory(environment: environment, runningAsRoot: runningAsRoot))
    }

    /// The inbox folder.
    public var inboxDirectory: URL {
        URL(fileURLWithPath: configuration.inboxDirectory(environment: environment, runningAsRoot: runningAsRoot))
    }

    /// Where imported files go.
    public var doneDirectory: URL {
        URL(fileURLWithPath: configuration.doneDirectory(environment: environment, runningAsRoot: runningAsRoot))
    }

    /// Where refused files go.
    public var failedDirectory: URL {
        URL(fileURLWithPath: configuration.failedDirectory(environment: environment, runningAsRoot: runningAsRoot))
    }

    /// The embedded cluster under the state directory (used when no database is configured).
    public var embeddedCluster: EmbeddedCluster { EmbeddedCluster(stateDirectory: stateDirectory) }

    /// Whether a database is configured (`--database`, `BANKDROP_DATABASE_URL`, `database.url`).
    public var usesEmbeddedDatabase: Bool { (configuration.database.url ?? "").isEmpty }

    /// The libpq connection string to use: the configured one, else the embedded cluster's,
    /// starting the cluster first if it is not running.
    public func connectionString(startingEmbedded: Bool = true) throws -> String {
        if let url = configuration.database.url, !url.isEmpty { return url }
        if startingEmbedded { try embeddedCluster.start(logger: logger) }
        return embeddedCluster.connectionString()
    }

    /// The database as a user may see it: the configured URL with its password hidden, or
    /// "embedded (socket folder)".
    public var databaseDescription: String {
        if let url = configuration.database.url, !url.isEmpty { return ConnectionString.redacted(url) }
        return "embedded (\(embeddedCluster.socketDirectory.path))"
    }

    /// Connects to the database (starting the embedded cluster if needed).
    public func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(try connectionString(), logger: logger)
    }

    /// The migrations folder, or an error saying how to point at it.
    public func migrationsDirectory() throws -> URL {
        guard let directory = Migration.defaultDirectory(environment: environment) else {
            throw MigrationError(
                "cannot find the migrations folder: set BANKDROP_MIGRATIONS_DIR, or install it to /usr/local/share/bankdrop/migrations")
        }
        return directory
    }

    /// A migrator over the migrations folder.
    public func migrator() throws -> Migrator {
        Migrator(migrations: try Migration.load(from: migrationsDirectory()), logger: logger)
    }
}

extension AgentContext {
    /// The import pipeline's settings from the configuration.
    /// - Parameter account: `--account`, for files that name no account.
    public func importerSettings(account: String? = nil) -> Importer.Settings {
        Importer.Settings(
            account: account,
            readerOptions: ReaderOptions(
                csvProfiles: configuration.csv.profiles, qif: QIFOptions(dateOrder: configuration.qif.dateOrder?.readerOrder)),
            categoryRules: configuration.categories.rules,
            accountRules: configuration.accounts)
    }
}
