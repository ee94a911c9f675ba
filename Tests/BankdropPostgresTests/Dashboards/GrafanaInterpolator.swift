import Foundation

/// What Grafana does to a PostgreSQL panel query before the database sees it (tests only): the
/// dashboard variables and `$__interval` (the front end), then the data source's macros, as in
/// Grafana's `pkg/tsdb/grafana-postgresql-datasource/macros.go`.
struct GrafanaInterpolator {
    /// A dashboard variable's current value.
    enum Value {
        /// Selected values of a multi-value variable: each single-quoted (quotes doubled), comma-joined.
        case values([String])
        /// Inserted as written: the custom "All" value of a variable with `allValue`.
        case raw(String)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The dashboard's time range.
    var from: Date
    var to: Date
    /// `$__interval`, e.g. `2h`.
    var interval: String
    /// Dashboard variables by name.
    var variables: [String: Value] = [:]

    func interpolate(_ sql: String) throws -> String {
        try expandMacros(replaceVariables(sql))
    }

    // MARK: Front end: template variables

    func replaceVariables(_ sql: String) -> String {
        var out = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            if character == "$" {
                let next = sql.index(after: index)
                if next < sql.endIndex, sql[next] == "{", let close = sql[next...].firstIndex(of: "}") {
                    let name = String(sql[sql.index(after: next)..<close]).split(separator: ":").first.map(String.init) ?? ""
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
        case .values(let values)?: return values.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
        case .raw(let text)?: return text
        case nil: return nil
        }
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character == "_" || character.isLetter || character.isNumber
    }

    // MARK: Back end: macros, `\$([_a-zA-Z0-9]+)\(([^\)]*)\)`

    func expandMacros(_ sql: String) throws -> String {
        var out = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            guard sql[index] == "$" else {
                out.append(sql[index])
                index = sql.index(after: index)
                continue
            }
            let nameStart = sql.index(after: index)
            let nameEnd = sql[nameStart...].firstIndex { !($0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber))) } ?? sql.endIndex
            guard nameEnd > nameStart, nameEnd < sql.endIndex, sql[nameEnd] == "(",
                let close = sql[nameEnd...].firstIndex(of: ")")
            else {
                out.append(sql[index])
                index = sql.index(after: index)
                continue
            }
            var name = String(sql[nameStart..<nameEnd])
            let arguments = sql[sql.index(after: nameEnd)..<close].split(separator: ",", omittingEmptySubsequences: false)
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
            guard let first = arguments.first, !first.isEmpty else { throw Failure(description: "missing time column argument for macro \(name)") }
            return first
        }
        switch name {
        case "__time": return "\(try column()) AS \"time\""
        case "__timeEpoch": return "extract(epoch from \(try column())) as \"time\""
        case "__timeFilter": return "\(try column()) BETWEEN '\(Self.rfc3339(from))' AND '\(Self.rfc3339(to))'"
        case "__timeFrom": return "'\(Self.rfc3339(from))'"
        case "__timeTo": return "'\(Self.rfc3339(to))'"
        case "__timeGroup", "__timeGroupAlias":
            guard arguments.count >= 2 else { throw Failure(description: "macro \(name) needs time column and interval") }
            let seconds = Self.number(try Self.seconds(arguments[1].trimmingCharacters(in: CharacterSet(charactersIn: "'"))))
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
    static func seconds(_ interval: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800), ("y", 31_536_000)]
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
    static func rfc3339(_ date: Date) -> String {
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
    static func automaticInterval(for range: TimeInterval) -> String {
        let steps: [(TimeInterval, String)] = [
            (1, "1s"), (10, "10s"), (60, "1m"), (300, "5m"), (600, "10m"), (1800, "30m"), (3600, "1h"), (7200, "2h"),
            (21_600, "6h"), (43_200, "12h"), (86_400, "1d"), (604_800, "1w"),
        ]
        let raw = range / 1000
        return steps.last { $0.0 <= raw }?.1 ?? "1s"
    }
}
