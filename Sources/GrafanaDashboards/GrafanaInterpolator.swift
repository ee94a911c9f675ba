import Foundation

/// What Grafana does to a PostgreSQL panel query before the database sees it: the dashboard
/// variables and `$__interval` (the front end), then the data source's macros, as in Grafana's
/// `pkg/tsdb/grafana-postgresql-datasource/macros.go`.
///
/// ```swift
/// let now = Date()
/// let interpolator = GrafanaInterpolator(
///     from: now.addingTimeInterval(-90 * 86400), to: now,
///     interval: GrafanaInterpolator.automaticInterval(for: 90 * 86400),
///     variables: ["account": .raw("SELECT id FROM accounts")])
/// let sql = try interpolator.interpolate("SELECT ... WHERE $__timeFilter(date) AND account_id IN ($account)")
/// ```
public struct GrafanaInterpolator: Sendable {
    /// A dashboard variable's current value.
    public enum Value: Sendable, Hashable {
        /// Selected values of a multi-value variable: each single-quoted (quotes doubled), comma-joined.
        case values([String])
        /// Inserted as written: the custom "All" value of a variable with `allValue`.
        case raw(String)
    }

    /// A macro Grafana would reject (unknown, or missing arguments), or an unreadable interval.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong, in Grafana's words where it has them.
        public var description: String

        /// Creates a failure.
        public init(description: String) {
            self.description = description
        }
    }

    /// The start of the dashboard's time range.
    public var from: Date
    /// The end of the dashboard's time range.
    public var to: Date
    /// `$__interval`, e.g. `2h`.
    public var interval: String
    /// Dashboard variables by name.
    public var variables: [String: Value]

    /// Creates an interpolator for the range `from`...`to`.
    /// - Parameters:
    ///   - interval: `$__interval`, e.g. ``automaticInterval(for:)`` of the range.
    ///   - variables: the dashboard variables' current values, by name without `$`.
    public init(from: Date, to: Date, interval: String, variables: [String: Value] = [:]) {
        self.from = from
        self.to = to
        self.interval = interval
        self.variables = variables
    }

    /// The query as the database receives it: variables replaced, then macros expanded.
    /// - Throws: ``Failure`` for an unknown macro or one without its arguments.
    public func interpolate(_ sql: String) throws -> String {
        try expandMacros(replaceVariables(sql))
    }

    // MARK: Front end: template variables

    /// Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` of known variables and
    /// `$__interval`, `$__interval_ms`; unknown names stay as written.
    public func replaceVariables(_ sql: String) -> String {
        var out = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            if character == "$" {
                let next = sql.index(after: index)
                if next < sql.endIndex, sql[next] == "{", let close = sql[next...].firstIndex(of: "}") {
                    let name =
                        String(sql[sql.index(after: next)..<close]).split(separator: ":").first.map(String.init) ?? ""
                    if let value = value(of: name) {
                        out += value
                        index = sql.index(after: close)
                        continue
                    }
                } else {
                    let end = sql[next...].firstIndex { !Self.isWordCharacter($0) } ?? sql.endIndex
                    if let value = value(of: String(sql[next..<end])) {
                        out += value
                        index = end
                        continue
                    }
                }
            } else if character == "[", sql[index...].hasPrefix("[["), let close = sql[index...].range(of: "]]") {
                let name = String(sql[sql.index(index, offsetBy: 2)..<close.lowerBound])
                if let value = value(of: name) {
                    out += value
                    index = close.upperBound
                    continue
                }
            }
            out.append(character)
            index = sql.index(after: index)
        }
        return out
    }

    private func value(of name: String) -> String? {
        switch name {
        case "__interval": return interval
        case "__interval_ms": return (try? Self.seconds(interval)).map { String(Int($0 * 1000)) }
        default: break
        }
        switch variables[name] {
        case .values(let values)?:
            return values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
        case .raw(let text)?: return text
        case nil: return nil
        }
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character == "_" || character.isLetter || character.isNumber
    }

    // MARK: Back end: macros, `\$([_a-zA-Z0-9]+)\(([^\)]*)\)`

    /// Expands the data source's `$__name(arguments)` macros.
    /// - Throws: ``Failure`` for an unknown macro or one without its arguments.
    public func expandMacros(_ sql: String) throws -> String {
        var out = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            guard sql[index] == "$" else {
                out.append(sql[index])
                index = sql.index(after: index)
                continue
            }
            let nameStart = sql.index(after: index)
            let nameEnd =
                sql[nameStart...].firstIndex { !($0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber))) }
                ?? sql.endIndex
            guard nameEnd > nameStart, nameEnd < sql.endIndex, sql[nameEnd] == "(",
                let close = sql[nameEnd...].firstIndex(of: ")")
            else {
                out.append(sql[index])
                index = sql.index(after: index)
                continue
            }
            var name = String(sql[nameStart..<nameEnd])
            let arguments = sql[sql.index(after: nameEnd)..<close].split(
                separator: ",", omittingEmptySubsequences: false
            )
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ")) }
            let after = sql.index(after: close)
            // Before Grafana 5.3, `$__timeGroup(...)` followed by a comma added `AS "time"`; it still does.
            if name == "__timeGroup", after < sql.endIndex, sql[after] == "," { name = "__timeGroupAlias" }
            out += try evaluate(name, arguments.count == 1 && arguments[0].isEmpty ? [] : arguments)
            index = after
        }
        return out
    }

    private func evaluate(_ name: String, _ arguments: [String]) throws -> String {
        func column() throws -> String {
            guard let first = arguments.first, !first.isEmpty else {
                throw Failure(description: "missing time column argument for macro \(name)")
            }
            return first
        }
        switch name {
        case "__time": return "\(try column()) AS \"time\""
        case "__timeEpoch": return "extract(epoch from \(try column())) as \"time\""
        case "__timeFilter": return "\(try column()) BETWEEN '\(Self.rfc3339(from))' AND '\(Self.rfc3339(to))'"
        case "__timeFrom": return "'\(Self.rfc3339(from))'"
        case "__timeTo": return "'\(Self.rfc3339(to))'"
        case "__timeGroup", "__timeGroupAlias":
            guard arguments.count >= 2 else {
                throw Failure(description: "macro \(name) needs time column and interval")
            }
            let seconds = Self.number(
                try Self.seconds(arguments[1].trimmingCharacters(in: CharacterSet(charactersIn: "'"))))
            let group = "floor(extract(epoch from \(arguments[0]))/\(seconds))*\(seconds)"
            return name == "__timeGroupAlias" ? group + " AS \"time\"" : group
        case "__unixEpochFilter":
            let c = try column()
            return "\(c) >= \(Int(from.timeIntervalSince1970)) AND \(c) <= \(Int(to.timeIntervalSince1970))"
        case "__unixEpochFrom": return String(Int(from.timeIntervalSince1970))
        case "__unixEpochTo": return String(Int(to.timeIntervalSince1970))
        default: throw Failure(description: "unknown macro \"\(name)\"")
        }
    }

    /// Seconds in a Grafana interval: `30s`, `5m`, `2h`, `1d`, `1w`, `500ms`.
    /// - Throws: ``Failure`` when `interval` has no known unit or no number.
    public static func seconds(_ interval: String) throws -> Double {
        let units: [(String, Double)] = [
            ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800), ("y", 31_536_000),
        ]
        for (suffix, factor) in units where interval.hasSuffix(suffix) {
            if let value = Double(interval.dropLast(suffix.count)) { return value * factor }
        }
        throw Failure(description: "error parsing interval \(interval)")
    }

    /// Go's `%v` of a float64: `86400`, `0.5`.
    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Go's `time.RFC3339Nano` in UTC: fraction digits only when needed, trailing zeros dropped.
    public static func rfc3339(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded()) % 1000
        var text = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
        if millis > 0 {
            var fraction = String(format: "%03d", millis)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// Grafana's automatic `$__interval` for a range drawn over about 1,000 pixels, rounded to a
    /// step of its table (simplified).
    public static func automaticInterval(for range: TimeInterval) -> String {
        let steps: [(TimeInterval, String)] = [
            (1, "1s"), (10, "10s"), (60, "1m"), (300, "5m"), (600, "10m"), (1800, "30m"), (3600, "1h"), (7200, "2h"),
            (21_600, "6h"), (43_200, "12h"), (86_400, "1d"), (604_800, "1w"),
        ]
        let raw = range / 1000
        return steps.last { $0.0 <= raw }?.1 ?? "1s"
    }
}
