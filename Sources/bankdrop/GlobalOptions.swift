import ArgumentParser
import BankdropAgent
import BankdropCore
import Foundation
import Logging

/// Options every command takes: where the configuration, the state and the database are.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (TOML). Default: $BANKDROP_CONFIG, ~/.config/bankdrop/bankdrop.toml, /etc/bankdrop/bankdrop.toml.")
    var config: String?

    @Option(name: .long, help: "State directory (embedded database, agent status). Env: BANKDROP_STATE_DIR.")
    var stateDir: String?

    @Option(name: .long, help: "PostgreSQL connection string or URL; default: the embedded database. Env: BANKDROP_DATABASE_URL. Keep passwords in ~/.pgpass, not here.")
    var database: String?

    @Option(name: .long, help: "The inbox folder (default: inbox.path from the configuration, else <state dir>/inbox). Env: BANKDROP_INBOX.")
    var inbox: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// Loads the configuration, bootstraps logging once, and returns the context.
    func context(label: String = "bankdrop", inbox: String? = nil) throws -> AgentContext {
        var flags = ConfigurationOverrides()
        flags.inbox = (inbox ?? self.inbox).map { URL(fileURLWithPath: $0).path }
        flags.databaseURL = database
        flags.stateDir = stateDir.map { URL(fileURLWithPath: $0).path }
        if let logLevel {
            guard let level = BankdropConfiguration.LogLevel(rawValue: logLevel) else {
                throw ValidationError("unknown log level \(logLevel)")
            }
            flags.logLevel = level
        }
        let bootstrapLogger = Logger(label: label)
        var context = try AgentContext.load(configFile: config, flags: flags, logger: bootstrapLogger)
        let level = context.configuration.log.level ?? BankdropConfiguration.Log.defaultLevel
        LoggingBootstrap.once(level: Logger.Level(rawValue: level.rawValue) ?? .info)
        context.logger = Logger(label: label)
        return context
    }
}

/// Bootstraps swift-log exactly once per process, to standard error.
enum LoggingBootstrap {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var done = false

    static func once(level: Logger.Level) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
