/// One attribute of a start tag, its value with entities decoded.
struct MarkupAttribute: Hashable, Sendable {
    var name: String
    var value: String
}

/// One piece of XML or SGML markup: a start tag, an end tag, or the text between tags.
enum MarkupToken: Hashable, Sendable {
    /// `<name a="v">` (or `<name/>` with `selfClosing`); the name as written, prefix included.
    case start(name: String, attributes: [MarkupAttribute], selfClosing: Bool, line: Int)
    /// `</name>`.
    case end(name: String, line: Int)
    /// Text between two tags, entities and character references decoded, CDATA included as is.
    /// Whitespace-only runs between tags are not reported.
    case text(String, line: Int)
}

/// A streaming pull tokenizer for XML and SGML (OFX 1.x) markup over bytes.
///
/// It knows nothing about any schema and builds no tree: it hands out one token at a time, so a
/// reader keeps at most what it chooses to keep (one OFX `STMTTRN`, one CAMT `Ntry`). Comments,
/// processing instructions (`<?xml ...?>`, `<?OFX ...?>`) and declarations (`<!DOCTYPE ...>`) are
/// skipped. SGML's unclosed leaf tags need no special case here: they are a start tag followed by
/// text, and the OFX reader decides what closes them.
///
/// Text is decoded per run with ``TextDecoding`` (UTF-8 when valid, else Windows-1252), so a
/// declared encoding that lies does not matter. A single text run or tag longer than the limits
/// is refused rather than buffered.
struct MarkupTokenizer<Source: ByteSource> {
    private var input: ByteInput<Source>
    private var tagPending = false
    private var tagPendingLine = 1
    private var tagBytes: [UInt8] = []
    private var nameBytes: [UInt8] = []
    private var tagLine = 1
    /// Longest text run accepted, in bytes.
    let maximumTextLength: Int
    /// Longest tag accepted, in bytes.
    let maximumTagLength: Int

    init(_ source: Source, maximumTextLength: Int = 1 << 20, maximumTagLength: Int = 1 << 16) {
        self.input = ByteInput(source)
        self.maximumTextLength = maximumTextLength
        self.maximumTagLength = maximumTagLength
    }

    /// The 1-based line of the next byte.
    var line: Int { input.line }

    /// The next token, or nil at the end of the input.
    mutating func next() throws(StatementError) -> MarkupToken? {
        if tagPending {
            tagPending = false
            return try readTag(line: tagPendingLine)
        }
        var raw: [UInt8] = []
        var text = ""
        var meaningful = false
        var textLine = input.line
        while let byte = try input.peek() {
            if byte != UInt8(ascii: "<") {
                let byteLine = input.line
                _ = try input.next()
                if !meaningful, !TextDecoding.isWhitespace(byte) {
                    meaningful = true
                    textLine = byteLine
                }
                raw.append(byte)
                if raw.count + text.utf8.count > maximumTextLength {
                    throw StatementError(
                        line: textLine, value: TextDecoding.string(raw.prefix(40)),
                        message: "text longer than \(maximumTextLength) bytes between two tags")
                }
                continue
            }
            let markupLine = input.line
            _ = try input.next()
            switch try input.peek() {
            case UInt8(ascii: "!"):
                _ = try input.next()
                if try input.peek() == UInt8(ascii: "[") {
                    try expect("[CDATA[", line: markupLine)
                    let content = try read(until: Array("]]>".utf8), line: markupLine, what: "CDATA section")
                    text += Self.decodeEntities(TextDecoding.string(raw))
                    raw.removeAll(keepingCapacity: true)
                    text += TextDecoding.string(content)
                    if !meaningful {
                        meaningful = true
                        textLine = markupLine
                    }
                } else if try input.peek() == UInt8(ascii: "-") {
                    try expect("--", line: markupLine)
                    _ = try read(until: Array("-->".utf8), line: markupLine, what: "comment", keep: false)
                } else {
                    try skipDeclaration(line: markupLine)
                }
            case UInt8(ascii: "?"):
                _ = try read(until: Array("?>".utf8), line: markupLine, what: "processing instruction", keep: false)
            case nil:
                throw unterminated("<", line: markupLine, what: "tag")
            default:
                if meaningful {
                    tagPending = true
                    tagPendingLine = markupLine
                    text += Self.decodeEntities(TextDecoding.string(raw))
                    return .text(text, line: textLine)
                }
                return try readTag(line: markupLine)
            }
        }
        guard meaningful else { return nil }
        text += Self.decodeEntities(TextDecoding.string(raw))
        return .text(text, line: textLine)
    }

    // MARK: - Tags

    /// Reads a start or end tag whose `<` is already consumed.
    ///
    /// The tag's bytes collect in `tagBytes` (kept for error messages and the length limit) and
    /// names in `nameBytes`; both buffers are reused from tag to tag.
    private mutating func readTag(line: Int) throws(StatementError) -> MarkupToken {
        tagBytes.removeAll(keepingCapacity: true)
        tagBytes.append(UInt8(ascii: "<"))
        tagLine = line
        if try input.peek() == UInt8(ascii: "/") {
            try take()
            let name = try readName(line: line)
            try skipWhitespace()
            guard let close = try input.next() else { throw unterminated(tagBytes, line: line, what: "tag") }
            guard close == UInt8(ascii: ">") else { throw malformed(tagBytes + [close], line: line) }
            return .end(name: name, line: line)
        }
        let name = try readName(line: line)
        var attributes: [MarkupAttribute] = []
        while true {
            try skipWhitespace()
            guard let byte = try input.peek() else { throw unterminated(tagBytes, line: line, what: "tag") }
            try take()
            if byte == UInt8(ascii: ">") {
                return .start(name: name, attributes: attributes, selfClosing: false, line: line)
            }
            if byte == UInt8(ascii: "/") {
                guard let close = try input.next() else { throw unterminated(tagBytes, line: line, what: "tag") }
                guard close == UInt8(ascii: ">") else { throw malformed(tagBytes + [close], line: line) }
                return .start(name: name, attributes: attributes, selfClosing: true, line: line)
            }
            var attributeName = [byte]
            while let next = try input.peek(), !TextDecoding.isWhitespace(next),
                next != UInt8(ascii: "="), next != UInt8(ascii: ">"), next != UInt8(ascii: "/")
            {
                try take()
                attributeName.append(next)
            }
            try skipWhitespace()
            var value = ""
            if try input.peek() == UInt8(ascii: "=") {
                try take()
                try skipWhitespace()
                var valueBytes: [UInt8] = []
                if let quote = try input.peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    try take()
                    while true {
                        guard let next = try input.peek() else {
                            throw unterminated(tagBytes, line: line, what: "tag")
                        }
                        try take()
                        if next == quote { break }
                        valueBytes.append(next)
                    }
                } else {
                    // SGML allows unquoted attribute values.
                    while let next = try input.peek(), !TextDecoding.isWhitespace(next), next != UInt8(ascii: ">") {
                        try take()
                        valueBytes.append(next)
                    }
                }
                value = Self.decodeEntities(TextDecoding.string(valueBytes))
            }
            attributes.append(MarkupAttribute(name: TextDecoding.string(attributeName), value: value))
        }
    }

    private mutating func readName(line: Int) throws(StatementError) -> String {
        nameBytes.removeAll(keepingCapacity: true)
        while let byte = try input.peek(), !TextDecoding.isWhitespace(byte), byte != UInt8(ascii: ">"),
            byte != UInt8(ascii: "/"), byte != UInt8(ascii: "<")
        {
            try take()
            nameBytes.append(byte)
        }
        guard let first = nameBytes.first else {
            if try input.peek() == nil { throw unterminated(tagBytes, line: line, what: "tag") }
            throw malformed(tagBytes, line: line)
        }
        let isNameStart =
            (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z"))
            || (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z"))
            || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || first >= 0x80
        guard isNameStart else { throw malformed(tagBytes, line: line) }
        return TextDecoding.string(nameBytes)
    }

    private mutating func skipWhitespace() throws(StatementError) {
        while let byte = try input.peek(), TextDecoding.isWhitespace(byte) {
            try take()
        }
    }

    /// Consumes the next byte (known to exist) into `tagBytes`, enforcing the tag length limit.
    private mutating func take() throws(StatementError) {
        guard let byte = try input.next() else { return }
        tagBytes.append(byte)
        guard tagBytes.count > maximumTagLength else { return }
        throw StatementError(
            line: tagLine, value: TextDecoding.string(tagBytes.prefix(40)),
            message: "tag longer than \(maximumTagLength) bytes")
    }

    // MARK: - Comments, CDATA, declarations

    /// Consumes the exact ASCII `literal` or throws.
    private mutating func expect(_ literal: String, line: Int) throws(StatementError) {
        for expected in literal.utf8 {
            guard let byte = try input.next() else { throw unterminated(literal, line: line, what: "markup") }
            guard byte == expected else {
                throw StatementError(
                    line: line, value: "<!" + literal,
                    message: "malformed markup: expected \"\(literal)\" after \"<!\"")
            }
        }
    }

    /// Consumes up to and including `terminator`; returns what came before it when `keep` is set.
    private mutating func read(
        until terminator: [UInt8], line: Int, what: String, keep: Bool = true
    ) throws(StatementError) -> [UInt8] {
        var content: [UInt8] = []
        var window: [UInt8] = []
        var length = 0
        while let byte = try input.next() {
            length += 1
            if keep { content.append(byte) }
            window.append(byte)
            if window.count > terminator.count { window.removeFirst() }
            if window == terminator {
                if keep { content.removeLast(terminator.count) }
                return content
            }
            if length > maximumTextLength {
                throw StatementError(line: line, message: "\(what) longer than \(maximumTextLength) bytes")
            }
        }
        throw StatementError(
            line: line, message: "the file ends inside a \(what): it is truncated or not markup")
    }

    /// Skips `<!DOCTYPE ...>` and similar, including an internal subset in brackets.
    private mutating func skipDeclaration(line: Int) throws(StatementError) {
        var depth = 0
        var quote: UInt8?
        var length = 0
        while let byte = try input.next() {
            length += 1
            if length > maximumTextLength {
                throw StatementError(line: line, message: "declaration longer than \(maximumTextLength) bytes")
            }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0: return
            default: break
            }
        }
        throw unterminated("<!", line: line, what: "declaration")
    }

    // MARK: - Errors

    private func unterminated(_ seen: [UInt8], line: Int, what: String) -> StatementError {
        unterminated(TextDecoding.string(seen), line: line, what: what)
    }

    private func unterminated(_ seen: String, line: Int, what: String) -> StatementError {
        StatementError(
            line: line, value: seen, message: "the file ends inside a \(what): it is truncated or not markup")
    }

    private func malformed(_ seen: [UInt8], line: Int) -> StatementError {
        StatementError(
            line: line, value: TextDecoding.string(seen),
            message: "malformed tag (a literal \"<\" in text must be written &lt;)")
    }

    // MARK: - Entities

    /// Replaces `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and `&#NN;`/`&#xHH;` references.
    ///
    /// An `&` that starts no known reference stays as written: SGML OFX files often carry a bare
    /// `AT&T`, and keeping it loses nothing.
    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            if let semicolon = rest[afterAmp...].prefix(12).firstIndex(of: ";"),
                let decoded = entity(rest[afterAmp..<semicolon])
            {
                result.unicodeScalars.append(decoded)
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest[afterAmp...]
            }
        }
        result += rest
        return result
    }

    private static func entity(_ name: Substring) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{00A0}"
        default: break
        }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.first == "x" || digits.first == "X" {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        guard let value, value != 0 else { return nil }
        return Unicode.Scalar(value)
    }
}
