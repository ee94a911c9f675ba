import BankdropCore
import TOMLKit

/// The shape of the configuration file, checked before decoding so that a typo or a wrong type
/// is reported with its key path. Key names come from the `CodingKeys` of the configuration types,
/// so the schema cannot drift from what decoding reads.
indirect enum ConfigurationSchema {
    case string
    case strings
    case boolean
    case seconds
    case decimal
    case table([String: ConfigurationSchema])
    case arrayOfTables([String: ConfigurationSchema])

    /// The whole file.
    static let root: ConfigurationSchema = .table(
        keys(
            BankdropConfiguration.CodingKeys.self,
            [
                "database": .table(keys(BankdropConfiguration.Database.CodingKeys.self)),
                "inbox": .table(keys(BankdropConfiguration.Inbox.CodingKeys.self, ["settle_seconds": .seconds])),
                "refresh": .table(
                    keys(
                        BankdropConfiguration.Refresh.CodingKeys.self,
                        ["quiet_seconds": .seconds, "max_delay_seconds": .seconds])),
                "qif": .table(keys(BankdropConfiguration.QIF.CodingKeys.self)),
                "accounts": .table(
                    keys(
                        BankdropConfiguration.Accounts.CodingKeys.self,
                        ["rules": .arrayOfTables(keys(AccountRule.CodingKeys.self))])),
                "categories": .table(
                    keys(
                        BankdropConfiguration.Categories.CodingKeys.self,
                        [
                            "rules": .arrayOfTables(
                                keys(CategoryRule.CodingKeys.self, ["amount_min": .decimal, "amount_max": .decimal]))
                        ])),
                "log": .table(keys(BankdropConfiguration.Log.CodingKeys.self)),
                "csv": .table(
                    keys(
                        BankdropConfiguration.CSV.CodingKeys.self,
                        [
                            "profiles": .arrayOfTables(
                                keys(
                                    CSVProfile.CodingKeys.self,
                                    [
                                        "header_contains": .strings, "description_columns": .strings,
                                        "optional_columns": .strings, "short_row_omits": .strings,
                                        "account_from_preamble": .boolean, "negate_amounts": .boolean,
                                    ]))
                        ])),
            ]))

    /// Every key of `type`, a string unless `shapes` says otherwise.
    private static func keys<Key: CodingKey & CaseIterable>(
        _ type: Key.Type, _ shapes: [String: ConfigurationSchema] = [:]
    ) -> [String: ConfigurationSchema] {
        Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0.stringValue, shapes[$0.stringValue] ?? .string) })
    }

    /// What a value of this shape is, for messages.
    private var expectation: String {
        switch self {
        case .string: "a string"
        case .strings: "an array of strings"
        case .boolean: "true or false"
        case .seconds: "a number of seconds (like 2 or 0.5)"
        case .decimal: "a decimal amount as a string (like \"-12.50\")"
        case .table: "a table"
        case .arrayOfTables: "an array of tables ([[...]] entries)"
        }
    }

    private func accepts(_ type: TOMLType) -> Bool {
        switch self {
        case .string: type == .string
        case .strings: type == .array
        case .boolean: type == .bool
        case .seconds: type == .int || type == .double
        case .decimal: type == .string || type == .int
        case .table: type == .table
        case .arrayOfTables: type == .array
        }
    }

    /// Checks `value` against this shape.
    func check(_ value: any TOMLValueConvertible, path: [String], file: String) throws(ConfigurationError) {
        let type = value.tomlValue.type
        guard accepts(type) else {
            throw ConfigurationError(
                source: file, key: Self.render(path),
                message: "expected \(expectation), found \(Self.article(type.description)) \(type)")
        }
        switch self {
        case .table(let keys):
            guard let table = value.table else { return }
            for key in table.keys.sorted() {
                guard let shape = keys[key] else {
                    throw ConfigurationError(
                        source: file, key: Self.render(path + [key]),
                        message: Self.unknownKeyMessage(key, known: keys.keys.sorted(), in: path))
                }
                if let child = table[key] { try shape.check(child, path: path + [key], file: file) }
            }
        case .arrayOfTables(let keys):
            guard let array = value.array else { return }
            for index in array.indices {
                try ConfigurationSchema.table(keys).check(array[index], path: path + ["[#\(index + 1)]"], file: file)
            }
        case .string, .strings, .boolean, .seconds, .decimal:
            break
        }
    }

    /// `categories.rules[#2].payee_regex` from its components.
    static func render(_ path: [String]) -> String? {
        guard !path.isEmpty else { return nil }
        var text = ""
        for component in path {
            if component.hasPrefix("[") {
                text += component
            } else {
                text += text.isEmpty ? component : "." + component
            }
        }
        return text
    }

    private static func article(_ word: String) -> String {
        word.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    private static func unknownKeyMessage(_ key: String, known: [String], in path: [String]) -> String {
        let place = render(path).map { "in [\($0)]" } ?? "at the top level"
        var message = "unknown key \"\(key)\" \(place)"
        let closest = known.map { ($0, editDistance($0, key)) }.min { $0.1 < $1.1 }
        if let (candidate, distance) = closest, distance <= max(2, key.count / 3) {
            message += "; did you mean \"\(candidate)\"?"
        } else {
            message += "; known keys: \(known.joined(separator: ", "))"
        }
        return message
    }

    /// Levenshtein distance, for "did you mean".
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    /// A decoding error as a configuration error naming the key. The value is never repeated
    /// (it could be a connection string): the messages come from the schema and the types.
    static func configurationError(_ error: DecodingError, file: String) -> ConfigurationError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String? {
            var components = codingPath.map { $0.intValue.map { "[#\($0 + 1)]" } ?? $0.stringValue }
            if let last, components.last != last.stringValue { components.append(last.stringValue) }
            return render(components)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ConfigurationError(
                source: file, key: path(context.codingPath, key), message: "is missing; this entry needs it")
        case .typeMismatch(let type, let context):
            return ConfigurationError(source: file, key: path(context.codingPath), message: "expected \(type)")
        case .valueNotFound(let type, let context):
            return ConfigurationError(source: file, key: path(context.codingPath), message: "expected \(type)")
        case .dataCorrupted(let context):
            return ConfigurationError(source: file, key: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return ConfigurationError(source: file, message: "cannot be decoded")
        }
    }
}
