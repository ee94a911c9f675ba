/// Helpers for PostgreSQL connection strings, which may hold a password.
public enum ConnectionString {
    /// The connection string with every password replaced by `***`, safe for logs, errors and
    /// `--status`.
    ///
    /// - URLs (`postgres://` or `postgresql://`): the password of the user-info part
    ///   (`postgres://user:***@host/db`) and any `password=` or `sslpassword=` query parameter.
    /// - conninfo strings (`host=db password='x y' dbname=money`): the value of `password` and
    ///   `sslpassword` (`password=***`), quoted or not. A string that does not parse is redacted
    ///   from the first place it stops making sense: better too much hidden than a leak.
    public static func redacted(_ connection: String) -> String {
        let lowercased = connection.lowercased()
        if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
            return redactedURL(connection)
        }
        return redactedConninfo(connection)
    }

    /// Keywords whose values are secrets.
    static let secretKeywords: Set<String> = ["password", "sslpassword"]

    private static func redactedURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.upperBound]
        let rest = url[schemeEnd.upperBound...]
        let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
        var beforeQuery = String(rest[..<queryStart])
        // The user info ends at the last `@` before the query: a password with an unencoded `@`
        // or `/` must still be hidden whole.
        if let at = beforeQuery.lastIndex(of: "@") {
            let userInfo = beforeQuery[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                beforeQuery = String(userInfo[..<colon]) + ":***" + String(beforeQuery[at...])
            }
        }
        guard queryStart < rest.endIndex else { return scheme + beforeQuery }
        let query = rest[rest.index(after: queryStart)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let key = parameter[..<equals].lowercased()
            return secretKeywords.contains(key) ? parameter[..<equals] + "=***" : String(parameter)
        }
        return scheme + beforeQuery + "?" + parameters.joined(separator: "&")
    }

    private static func redactedConninfo(_ conninfo: String) -> String {
        var output = ""
        var rest = conninfo[...]
        func skipSpaces() {
            while let c = rest.first, c.isWhitespace {
                output.append(c)
                rest.removeFirst()
            }
        }
        while true {
            skipSpaces()
            guard !rest.isEmpty else { return output }
            let keyword = rest.prefix { !$0.isWhitespace && $0 != "=" }
            guard !keyword.isEmpty else { return output + "***" }
            rest = rest.dropFirst(keyword.count)
            output += keyword
            skipSpaces()
            guard rest.first == "=" else { return output + (rest.isEmpty ? "" : " ***") }
            rest.removeFirst()
            output += "="
            skipSpaces()
            // The value: single-quoted with backslash escapes, or up to the next whitespace.
            var value = ""
            if rest.first == "'" {
                value.append(rest.removeFirst())
                var closed = false
                while let c = rest.popFirst() {
                    value.append(c)
                    if c == "\\", let escaped = rest.popFirst() {
                        value.append(escaped)
                    } else if c == "'" {
                        closed = true
                        break
                    }
                }
                guard closed else { return output + "***" }
            } else {
                while let c = rest.first, !c.isWhitespace {
                    value.append(rest.removeFirst())
                    if c == "\\", let escaped = rest.popFirst() { value.append(escaped) }
                }
            }
            output += secretKeywords.contains(keyword.lowercased()) ? "***" : value
        }
    }
}
