import BankdropAgent
import BankdropCore
import Foundation
import TOMLKit
import Testing

/// `<repo>/config/bankdrop.toml`.
private let examplePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Configuration
    .deletingLastPathComponent()  // BankdropAgentTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // repo
    .appendingPathComponent("config/bankdrop.toml").path

/// Decodes `toml` as the file `/etc/bankdrop/test.toml` and returns the error it must cause.
private func error(_ toml: String, environment: [String: String] = [:]) throws -> ConfigurationError {
    try #require(throws: ConfigurationError.self) {
        try ConfigurationLoader(environment: environment).load(contents: toml, file: "/etc/bankdrop/test.toml")
    }
}

private func amount(_ text: String) throws -> Amount { try #require(Amount(text)) }

@Suite("Configuration loader")
struct ConfigurationLoaderTests {
    @Test("the example file sets every key, and loads")
    func exampleFile() throws {
        let loaded = try ConfigurationLoader(environment: [:]).load(file: examplePath)
        let c = loaded.configuration
        #expect(loaded.file == examplePath)
        #expect(c.stateDir == "/var/lib/bankdrop")
        #expect(c.database.url == "postgres://bankdrop@localhost:5432/money")
        #expect(c.inbox == .init(path: "/srv/bankdrop/inbox", doneDir: "done", failedDir: "failed", settleSeconds: 5))
        #expect(c.refresh == .init(quietSeconds: 3, maxDelaySeconds: 60))
        #expect(c.qif.dateOrder == .dmy)
        #expect(
            c.accounts.rules == [
                AccountRule(glob: "Umsaetze_DE89*.csv", account: "Girokonto"),
                AccountRule(glob: "paypal-[0-9][0-9][0-9][0-9]-??.csv", account: "PayPal"),
            ])
        #expect(
            c.categories.rules == [
                CategoryRule(
                    name: "Groceries", payeeRegex: #"(?i)^(rewe|edeka|aldi|lidl|kaufland)\b"#, category: "Groceries"),
                CategoryRule(
                    name: "Big Amazon orders", payeeContains: "amzn", descriptionContains: "marketplace",
                    amountMin: try amount("-5000.00"), amountMax: try amount("-100"), account: "Girokonto",
                    category: "Shopping", merchant: "Amazon"),
                CategoryRule(name: "Salary", descriptionRegex: "(?i)gehalt|lohn", category: "Income"),
            ])
        #expect(c.log.level == .info)
        #expect(c.accounts.account(forFileName: "paypal-2025-11.csv") == "PayPal")

        // Every key of the schema appears in the example: encoding the loaded values gives back
        // a file with no key missing that the example lacks.
        let fullKeys = Set(
            try TOMLEncoder().encode(c).split(separator: "\n").compactMap { line in
                line.split(separator: "=").first.map { $0.trimmingCharacters(in: .whitespaces) }
            })
        #expect(fullKeys.count >= 20)
        let exampleText = try String(contentsOfFile: examplePath, encoding: .utf8)
        for key in fullKeys where !key.hasPrefix("[") && !key.isEmpty {
            #expect(exampleText.contains("\n\(key) = "), "the example lacks \(key)")
        }
    }

    @Test("an empty file gives the defaults")
    func emptyFile() throws {
        #expect(
            try ConfigurationLoader(environment: [:]).load(contents: "# nothing\n", file: "/x.toml")
                == BankdropConfiguration())
    }

    @Test("environment overrides the file")
    func environmentOverridesFile() throws {
        let toml = """
            state_dir = "/file/state"
            [database]
            url = "postgres://file/db"
            [inbox]
            path = "/file/inbox"
            [log]
            level = "warning"
            """
        let environment = [
            "BANKDROP_DATABASE_URL": "host=env dbname=money", "BANKDROP_STATE_DIR": "/env/state",
            "BANKDROP_INBOX": "/env/inbox", "BANKDROP_LOG_LEVEL": "trace",
        ]
        let c = try ConfigurationLoader(environment: environment).load(contents: toml, file: "/x.toml")
        #expect(c.database.url == "host=env dbname=money")
        #expect(c.stateDir == "/env/state")
        #expect(c.inbox.path == "/env/inbox")
        #expect(c.log.level == .trace)
        let fileOnly = try ConfigurationLoader(environment: [:]).load(contents: toml, file: "/x.toml")
        #expect(fileOnly.log.level == .warning)
        #expect(fileOnly.inbox.path == "/file/inbox")
    }

    @Test("whole numbers are accepted for amounts and seconds")
    func wholeNumbers() throws {
        let toml =
            "[inbox]\nsettle_seconds = 0.5\n[refresh]\nquiet_seconds = 1\n[[categories.rules]]\n"
            + "amount_min = -50\ncategory = \"Small\"\n"
        let c = try ConfigurationLoader(environment: [:]).load(contents: toml, file: "/x.toml")
        #expect(c.inbox.settleSeconds == 0.5)
        #expect(c.refresh.quietSeconds == 1)
        #expect(c.categories.rules.first?.amountMin == (try amount("-50.00")))
    }

    @Test("relative paths in the file are relative to the file's folder")
    func relativePaths() throws {
        let toml = "state_dir = \"state\"\n[inbox]\npath = \"../inbox\"\ndone_dir = \"done\"\n"
        let c = try ConfigurationLoader(environment: [:]).load(contents: toml, file: "/etc/bankdrop/bankdrop.toml")
        #expect(c.stateDir == "/etc/bankdrop/state")
        #expect(c.inbox.path == "/etc/bankdrop/../inbox")
        #expect(c.inbox.doneDir == "done")
        let home = try ConfigurationLoader(environment: [:]).load(
            contents: "state_dir = \"~/bd\"\n", file: "/etc/x.toml")
        #expect(home.stateDir == "~/bd")
    }

    @Test(
        "an unknown key is an error naming it, with a suggestion",
        arguments: [
            ("[inbox]\nsetle_seconds = 2\n", "inbox.setle_seconds", "did you mean \"settle_seconds\"?"),
            ("statedir = \"/x\"\n", "statedir", "did you mean \"state_dir\"?"),
            ("[databse]\nurl = \"x\"\n", "databse", "did you mean \"database\"?"),
            (
                "[[categories.rules]]\ncategory = \"X\"\npayee_contain = \"a\"\n", "categories.rules[#1].payee_contain",
                "did you mean \"payee_contains\"?"
            ),
            (
                "[[accounts.rules]]\nglob = \"*\"\naccount = \"A\"\n[[accounts.rules]]\nglob = \"*\"\nacount = \"B\"\n",
                "accounts.rules[#2].acount", "did you mean \"account\"?"
            ),
            ("[ofx]\ncharset = \"x\"\n", "ofx", "known keys: accounts, categories, csv, database"),
        ])
    func unknownKey(_ toml: String, _ key: String, _ hint: String) throws {
        let e = try error(toml)
        #expect(e.source == "/etc/bankdrop/test.toml")
        #expect(e.key == key)
        #expect(e.message.contains("unknown key"))
        #expect(e.message.contains(hint), "\(e.message)")
    }

    @Test(
        "a value of the wrong type is an error naming the key and the type expected",
        arguments: [
            ("[inbox]\nsettle_seconds = \"2\"\n", "inbox.settle_seconds", "expected a number of seconds"),
            ("state_dir = 5\n", "state_dir", "expected a string, found an integer"),
            ("inbox = \"/x\"\n", "inbox", "expected a table"),
            ("[accounts]\nrules = \"*.csv\"\n", "accounts.rules", "expected an array of tables"),
            (
                "[[categories.rules]]\ncategory = \"X\"\namount_min = -1.5\n", "categories.rules[#1].amount_min",
                "expected a decimal amount as a string"
            ),
            ("[refresh]\nquiet_seconds = true\n", "refresh.quiet_seconds", "found a bool"),
        ])
    func wrongType(_ toml: String, _ key: String, _ expected: String) throws {
        let e = try error(toml)
        #expect(e.key == key)
        #expect(e.message.contains(expected), "\(e.message)")
        #expect(e.description.hasPrefix("/etc/bankdrop/test.toml: key \(key): "))
    }

    @Test(
        "a bad value is an error naming the key and what is allowed",
        arguments: [
            ("[qif]\ndate_order = \"ymd\"\n", "qif.date_order", "use \"dmy\" or \"mdy\""),
            ("[log]\nlevel = \"verbose\"\n", "log.level", "use one of trace, debug, info"),
            ("[inbox]\nsettle_seconds = -1\n", "inbox.settle_seconds", "zero or more"),
            (
                "[[categories.rules]]\ncategory = \"X\"\namount_max = \"12,50\"\n", "categories.rules[#1].amount_max",
                "write it like \"-12.50\""
            ),
            ("[[categories.rules]]\npayee_contains = \"x\"\n", "categories.rules[#1].category", "is missing"),
            ("[[accounts.rules]]\naccount = \"A\"\n", "accounts.rules[#1].glob", "is missing"),
            (
                "[[accounts.rules]]\nglob = \"[abc\"\naccount = \"A\"\n", "accounts.rules[#1].glob",
                "without its closing ]"
            ),
            ("[[accounts.rules]]\nglob = \"*.csv\"\naccount = \" \"\n", "accounts.rules[#1].account", "is empty"),
            (
                "[[categories.rules]]\ncategory = \"A\"\npayee_contains = \"a\"\n"
                    + "[[categories.rules]]\nname = \"Fuel\"\npayee_regex = \"(ARAL\"\ncategory = \"B\"\n",
                "categories.rules[#2].payee_regex",
                "rule \"Fuel\": \"(ARAL\" is not a valid regular expression"
            ),
            ("[[categories.rules]]\ncategory = \"A\"\n", "categories.rules[#1]", "has no matcher"),
        ])
    func badValue(_ toml: String, _ key: String, _ expected: String) throws {
        let e = try error(toml)
        #expect(e.key == key)
        #expect(e.message.contains(expected), "\(e.message)")
    }

    @Test("a TOML syntax error names the line and column, and never shows the text")
    func syntaxError() throws {
        for toml in [
            "[database]\nurl = postgres://bob:s3cret@db/money\n",
            "[database]\nurl = 'postgres://bob:s3cret@db/money' s3cret\n",
            "[database]\nurl = \"postgres://bob:s3cret@db/money\n",
        ] {
            let e = try error(toml)
            #expect(e.line == 2)
            #expect(e.column != nil)
            #expect(e.description.hasPrefix("/etc/bankdrop/test.toml:2:"))
            #expect(e.message.hasPrefix("not valid TOML"))
            #expect(!e.description.contains("s3"), "\(e)")
        }
    }

    @Test("an error about the database URL never shows the URL")
    func urlNeverShown() throws {
        let e = try error("[database]\nurl = [\"postgres://bob:s3cret@db/money\"]\n")
        #expect(e.key == "database.url")
        #expect(!e.description.contains("s3cret"))
    }

    @Test("a given file must exist; without one the defaults and environment apply")
    func files() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bankdrop-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("xdg").path]

        let missing = folder.appendingPathComponent("missing.toml").path
        let e = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: environment).load(file: missing)
        }
        #expect(e.source == missing)
        #expect(e.message.contains("no such file"))
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader(environment: environment).load(file: folder.path)
        }

        let named = folder.appendingPathComponent("named.toml")
        try Data("state_dir = \"named-state\"\n".utf8).write(to: named)
        var withVariable = environment
        withVariable["BANKDROP_CONFIG"] = named.path
        let loaded = try ConfigurationLoader(environment: withVariable).load(file: nil)
        #expect(loaded.file == named.path)
        #expect(loaded.configuration.stateDir == folder.appendingPathComponent("named-state").path)

        let xdgFile = folder.appendingPathComponent("xdg/bankdrop/bankdrop.toml")
        let loader = ConfigurationLoader(environment: environment.merging(["BANKDROP_LOG_LEVEL": "error"]) { $1 })
        #expect(loader.searchedFiles.first == xdgFile.path)
        if !FileManager.default.fileExists(atPath: "/etc/bankdrop/bankdrop.toml") {
            let none = try loader.load(file: nil)
            #expect(none.file == nil)
            #expect(none.configuration == BankdropConfiguration(log: .init(level: .error)))
        }
        try FileManager.default.createDirectory(
            at: xdgFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("[refresh]\nquiet_seconds = 1\n".utf8).write(to: xdgFile)
        #expect(try loader.load(file: nil).configuration.refresh.quietSeconds == 1)
    }

    @Test("every field survives TOML encoding and loading (the schema knows every key)")
    func roundTrip() throws {
        let full = BankdropConfiguration(
            database: .init(url: "host=db dbname=money"),
            inbox: .init(path: "/in", doneDir: "d", failedDir: "f", settleSeconds: 1.5), stateDir: "/state",
            refresh: .init(quietSeconds: 2.5, maxDelaySeconds: 45), qif: .init(dateOrder: .mdy),
            accounts: .init(rules: [AccountRule(glob: "*.qif", account: "Cash")]),
            categories: .init(rules: [
                CategoryRule(
                    name: "n", payeeContains: "a", payeeRegex: "b", descriptionContains: "c", descriptionRegex: "d",
                    amountMin: try amount("-10.50"), amountMax: try amount("0"), account: "Cash", category: "X",
                    merchant: "M")
            ]),
            log: .init(level: .notice))
        let toml = try TOMLEncoder().encode(full)
        #expect(try ConfigurationLoader(environment: [:]).load(contents: toml, file: "/x.toml") == full)
    }
}
