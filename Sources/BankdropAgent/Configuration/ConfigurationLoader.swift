import BankdropCore
import Foundation
import TOMLKit

/// A configuration as loaded: the values in force and the file they came from.
public struct LoadedConfiguration: Sendable, Hashable {
    /// The configuration: file, then environment overrides, over the defaults.
    public var configuration: BankdropConfiguration
    /// The file that was read, or nil when none was given or found (defaults and environment only).
    public var file: String?

    /// Creates a loaded configuration.
    public init(configuration: BankdropConfiguration, file: String?) {
        self.configuration = configuration
        self.file = file
    }
}

/// Reads the TOML configuration file and applies the environment's overrides.
///
/// Precedence: flags (applied by the command line afterwards, with
/// `BankdropConfiguration.applying(_:)`) > environment (`BANKDROP_*`) > file > defaults.
/// Everything is checked at load: an unknown key (a typo), a value of the wrong type, an invalid
/// glob or category rule, each reported with the file, the key and what is wrong. Relative paths
/// in the file (`state_dir`, `inbox.path`) are taken relative to the file's folder.
public struct ConfigurationLoader: Sendable {
    /// The environment variable that names the configuration file when `--config` is not given.
    public static let fileVariable = "BANKDROP_CONFIG"

    /// The environment (`BANKDROP_*`, `HOME`, `XDG_CONFIG_HOME`), passed in for testability.
    public var environment: [String: String]

    /// Creates a loader over `environment` (the process's own by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The files tried, in order, when no file is given: `$BANKDROP_CONFIG`,
    /// `$XDG_CONFIG_HOME/bankdrop/bankdrop.toml` (or `~/.config/bankdrop/bankdrop.toml`),
    /// `/etc/bankdrop/bankdrop.toml`. The first that exists is read; `$BANKDROP_CONFIG` must exist.
    public var searchedFiles: [String] {
        var files: [String] = []
        if let named = environment[Self.fileVariable], !named.isEmpty { files.append(named) }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            files.append(xdg + "/bankdrop/bankdrop.toml")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            files.append(home + "/.config/bankdrop/bankdrop.toml")
        }
        files.append("/etc/bankdrop/bankdrop.toml")
        return files
    }

    /// Loads `file` (which must exist), or the first of `searchedFiles` that exists, or nothing;
    /// then applies the environment's overrides.
    ///
    /// - Throws: `ConfigurationError` naming the file, the key and what is wrong.
    public func load(file: String?) throws(ConfigurationError) -> LoadedConfiguration {
        var path = file
        if path == nil, let named = environment[Self.fileVariable], !named.isEmpty {
            path = named
        }
        if path == nil {
            path = searchedFiles.first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let path else {
            let configuration = BankdropConfiguration().applying(try ConfigurationOverrides(environment: environment))
            return LoadedConfiguration(configuration: configuration, file: nil)
        }
        let expanded = BankdropConfiguration.expandingHome(path, environment: environment)
        let contents = try Self.read(expanded)
        return LoadedConfiguration(configuration: try load(contents: contents, file: expanded), file: expanded)
    }

    /// Decodes `contents` as the configuration file `file` (used in messages and to resolve
    /// relative paths), then applies the environment's overrides.
    public func load(contents: String, file: String) throws(ConfigurationError) -> BankdropConfiguration {
        try decode(contents: contents, file: file).applying(try ConfigurationOverrides(environment: environment))
    }

    /// Decodes and checks `contents` as the configuration file `file`, without the environment.
    public func decode(contents: String, file: String) throws(ConfigurationError) -> BankdropConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: contents)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                source: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "not valid TOML: \(Self.withoutQuotedText(error.description))")
        } catch {
            throw ConfigurationError(source: file, message: "not valid TOML: \(error)")
        }
        try ConfigurationSchema.root.check(table, path: [], file: file)

        var configuration: BankdropConfiguration
        do {
            configuration = try TOMLDecoder().decode(BankdropConfiguration.self, from: table)
        } catch let error as DecodingError {
            throw ConfigurationSchema.configurationError(error, file: file)
        } catch {
            throw ConfigurationError(source: file, message: "cannot be decoded: \(error)")
        }
        try Self.check(configuration, file: file)

        let folder = (file as NSString).deletingLastPathComponent
        configuration.stateDir = configuration.stateDir.map { Self.resolve($0, against: folder) }
        configuration.inbox.path = configuration.inbox.path.map { Self.resolve($0, against: folder) }
        return configuration
    }

    /// Checks what decoding cannot: globs and category rules.
    private static func check(_ configuration: BankdropConfiguration, file: String) throws(ConfigurationError) {
        for (index, rule) in configuration.accounts.rules.enumerated() {
            let key = "accounts.rules[#\(index + 1)]"
            do {
                _ = try FileNameGlob(rule.glob)
            } catch {
                throw ConfigurationError(source: file, key: key + ".glob", message: "the pattern \(error)")
            }
            if rule.account.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ConfigurationError(source: file, key: key + ".account", message: "is empty; name the account")
            }
        }
        do {
            // Compiled here to report a bad rule at load; the import pipeline compiles its own.
            _ = try CategoryRules(configuration.categories.rules)
        } catch {
            var key = "categories.rules[#\(error.ruleIndex + 1)]"
            if let ruleKey = error.key { key += "." + ruleKey }
            let name = error.ruleName.map { "rule \"\($0)\": " } ?? ""
            throw ConfigurationError(source: file, key: key, message: name + error.message)
        }
    }

    /// The parser's message without the text it quotes from the file, which could be part of a
    /// password (`saw 'x'`).
    static func withoutQuotedText(_ message: String) -> String {
        var result = ""
        var quote: Character?
        for character in message {
            if let open = quote {
                if character == open {
                    quote = nil
                    result += "(text omitted)"
                }
            } else if character == "'" || character == "\"" {
                quote = character
            } else {
                result.append(character)
            }
        }
        return quote == nil ? result : result + "(text omitted)"
    }

    /// `path` relative to `folder` unless it is absolute or starts at the home directory.
    private static func resolve(_ path: String, against folder: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~"), !folder.isEmpty else { return path }
        return (folder as NSString).appendingPathComponent(path)
    }

    /// The file's text.
    private static func read(_ path: String) throws(ConfigurationError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigurationError(source: path, message: "no such file; check --config or \(fileVariable)")
        }
        guard !isDirectory.boolValue else {
            throw ConfigurationError(source: path, message: "is a folder; give the path of the .toml file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(source: path, message: "cannot be read; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(source: path, message: "is not UTF-8 text, which TOML requires")
        }
        return text
    }
}
