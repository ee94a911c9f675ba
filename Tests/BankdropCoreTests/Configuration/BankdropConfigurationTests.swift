import Foundation
import Testing

@testable import BankdropCore

@Suite("Configuration values")
struct BankdropConfigurationTests {
    @Test("defaults")
    func defaults() {
        let configuration = BankdropConfiguration()
        #expect(configuration.inbox.settle == .seconds(2))
        #expect(configuration.refresh.quiet == .seconds(2))
        #expect(configuration.refresh.maxDelay == .seconds(30))
        #expect(configuration.database.url == nil)
        #expect(configuration.qif.dateOrder == nil)
        #expect(configuration.log.level == nil)
        #expect(BankdropConfiguration.Log.defaultLevel == .info)
    }

    @Test(
        "the state directory follows state_dir, then systemd, then XDG, then HOME",
        arguments: [
            (nil, ["STATE_DIRECTORY": "/var/lib/bankdrop:/var/lib/other", "HOME": "/root"], "/var/lib/bankdrop"),
            (nil, ["XDG_STATE_HOME": "/home/ann/.state", "HOME": "/home/ann"], "/home/ann/.state/bankdrop"),
            (nil, ["XDG_STATE_HOME": "relative", "HOME": "/home/ann/"], "/home/ann/.local/state/bankdrop"),
            (nil, [:], "/var/lib/bankdrop"),
            ("~/money", ["HOME": "/home/ann", "STATE_DIRECTORY": "/x"], "/home/ann/money"),
            ("/srv/bankdrop", ["HOME": "/home/ann"], "/srv/bankdrop"),
        ] as [(String?, [String: String], String)])
    func stateDirectory(_ stateDir: String?, _ environment: [String: String], _ expected: String) {
        #expect(BankdropConfiguration(stateDir: stateDir).stateDirectory(environment: environment) == expected)
    }

    @Test("inbox, done and failed folders")
    func folders() {
        let environment = ["HOME": "/home/ann"]
        let defaults = BankdropConfiguration(stateDir: "/srv/bd/")
        #expect(defaults.inboxDirectory(environment: environment) == "/srv/bd/inbox")
        #expect(defaults.doneDirectory(environment: environment) == "/srv/bd/inbox/done")
        #expect(defaults.failedDirectory(environment: environment) == "/srv/bd/inbox/failed")

        let custom = BankdropConfiguration(
            inbox: .init(path: "~/Downloads/bank", doneDir: "archive/done", failedDir: "/var/bankdrop/failed"))
        #expect(custom.inboxDirectory(environment: environment) == "/home/ann/Downloads/bank")
        #expect(custom.doneDirectory(environment: environment) == "/home/ann/Downloads/bank/archive/done")
        #expect(custom.failedDirectory(environment: environment) == "/var/bankdrop/failed")
    }

    @Test("environment overrides; an empty variable is unset")
    func environmentOverrides() throws {
        let overrides = try ConfigurationOverrides(environment: [
            "BANKDROP_DATABASE_URL": "postgres://db/money", "BANKDROP_STATE_DIR": "/srv/state", "BANKDROP_INBOX": "",
            "BANKDROP_LOG_LEVEL": "DEBUG", "PGHOST": "ignored",
        ])
        #expect(
            overrides
                == ConfigurationOverrides(databaseURL: "postgres://db/money", stateDir: "/srv/state", logLevel: .debug))
        let file = BankdropConfiguration(
            database: .init(url: "postgres://file/db"), inbox: .init(path: "/file/inbox"), stateDir: "/file/state",
            log: .init(level: .warning))
        let result = file.applying(overrides)
        #expect(result.database.url == "postgres://db/money")
        #expect(result.stateDir == "/srv/state")
        #expect(result.inbox.path == "/file/inbox")
        #expect(result.log.level == .debug)
        #expect(try ConfigurationOverrides(environment: [:]).isEmpty)
    }

    @Test("an unknown log level in the environment is an error naming the variable")
    func badLogLevel() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationOverrides(environment: ["BANKDROP_LOG_LEVEL": "verbose"])
        }
        #expect(error.description.contains("BANKDROP_LOG_LEVEL"))
        #expect(error.description.contains("\"verbose\" is not a log level"))
    }

    @Test("decodes from JSON too (any Codable format), with defaults for missing tables")
    func codable() throws {
        let json = #"{"state_dir": "/s", "inbox": {"settle_seconds": 1.5}, "log": {"level": "debug"}}"#
        let configuration = try JSONDecoder().decode(BankdropConfiguration.self, from: Data(json.utf8))
        #expect(configuration.stateDir == "/s")
        #expect(configuration.inbox.settleSeconds == 1.5)
        #expect(configuration.log.level == .debug)
        #expect(configuration.refresh == .init())
        let again = try JSONDecoder().decode(
            BankdropConfiguration.self, from: try JSONEncoder().encode(configuration))
        #expect(again == configuration)
    }
}
