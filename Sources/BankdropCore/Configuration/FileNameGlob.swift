/// A shell-style pattern for file names: `*` any run of characters (none too), `?` one character,
/// `[abc]`, `[a-z]`, `[!a-z]` or `[^a-z]` one character of (or not of) a set, `\x` a literal `x`.
///
/// Matching is case-sensitive, like the shell, and on whole names: `*.csv` matches `giro.csv`
/// but not `giro.csv.part`. A `]` right after `[` (or `[!`) is a member of the set.
public struct FileNameGlob: Sendable, Hashable, CustomStringConvertible {
    /// Why a pattern cannot be used.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// The pattern.
        public var pattern: String
        /// What is wrong.
        public var message: String

        /// `"[abc": ...`.
        public var description: String { "\"\(pattern)\": \(message)" }
    }

    private enum Token: Sendable, Hashable {
        case literal(Character)
        case anyOne
        case anyRun
        case set(negated: Bool, members: [ClosedRange<Character>])
    }

    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    /// Parses a pattern.
    /// - Throws: `FileNameGlob.Error` for an unclosed `[`, a trailing `\` or an empty pattern.
    public init(_ pattern: String) throws(Error) {
        guard !pattern.isEmpty else { throw Error(pattern: pattern, message: "is empty") }
        var tokens: [Token] = []
        var characters = pattern[...]
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyOne)
            case "\\":
                guard let escaped = characters.popFirst() else {
                    throw Error(pattern: pattern, message: "ends with a lone \\; write \\\\ for a backslash")
                }
                tokens.append(.literal(escaped))
            case "[":
                tokens.append(try Self.parseSet(&characters, pattern: pattern))
            default:
                tokens.append(.literal(character))
            }
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    private static func parseSet(_ characters: inout Substring, pattern: String) throws(Error) -> Token {
        var negated = false
        if let first = characters.first, first == "!" || first == "^" {
            negated = true
            characters.removeFirst()
        }
        var members: [ClosedRange<Character>] = []
        var isFirst = true
        while true {
            guard var low = characters.popFirst() else {
                throw Error(pattern: pattern, message: "has a [ without its closing ]")
            }
            if low == "]", !isFirst { break }
            isFirst = false
            if low == "\\" {
                guard let escaped = characters.popFirst() else {
                    throw Error(pattern: pattern, message: "has a [ without its closing ]")
                }
                low = escaped
            }
            var high = low
            // `a-z` is a range; a `-` before `]` is a member.
            if characters.first == "-", characters.dropFirst().first.map({ $0 != "]" }) == true {
                characters.removeFirst()
                if let end = characters.popFirst() { high = end }
                guard low <= high else {
                    throw Error(pattern: pattern, message: "has the range \(low)-\(high), which is backwards")
                }
            }
            members.append(low...high)
        }
        return .set(negated: negated, members: members)
    }

    /// Whether the whole of `fileName` matches.
    public func matches(_ fileName: String) -> Bool {
        let name = Array(fileName)
        var t = 0
        var n = 0
        // Where to resume after the last `*`: the token after it and the name position it covers up to.
        var resume: (token: Int, name: Int)?
        while n < name.count {
            if t < tokens.count {
                switch tokens[t] {
                case .anyRun:
                    resume = (t + 1, n)
                    t += 1
                    continue
                case .anyOne:
                    t += 1
                    n += 1
                    continue
                case .literal(let character) where character == name[n]:
                    t += 1
                    n += 1
                    continue
                case .set(let negated, let members) where members.contains { $0.contains(name[n]) } != negated:
                    t += 1
                    n += 1
                    continue
                default:
                    break
                }
            }
            // Mismatch: let the last `*` swallow one more character, or fail.
            guard let last = resume else { return false }
            resume = (last.token, last.name + 1)
            t = last.token
            n = last.name + 1
        }
        while t < tokens.count, tokens[t] == .anyRun { t += 1 }
        return t == tokens.count
    }

    /// The pattern as written.
    public var description: String { pattern }
}
