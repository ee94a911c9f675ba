/// Reads SWIFT MT940 customer statements, German DFÜ/DK variants and bank exports included.
///
/// Yields, per statement (`:20:` to `-` or the next `:20:`): `.account` (identifier `:25:` as
/// written, currency from `:60F:`), `.balance(.opening)` for `:60F:`/`:60M:`, one `.transaction`
/// per `:61:` (with its `:86:`), `.balance(.closing)` for `:62F:`/`:62M:`. A file may hold many
/// statements for one account or several.
///
/// - Booking date: the `:61:` entry date (MMDD) in the year nearest its value date, else the
///   value date. Amount: signed by the mark (`D` and `RC` money out), decimal comma.
/// - Payee: `?32`+`?33` of a structured `:86:` only; description: its purpose subfields, or the
///   free text. Bank id: the reference after `//` in `:61:`.
/// - Tolerated: SOH/ETX bytes, `{1:..}{2:..}{4:` blocks and `-}` trailers, bank header lines
///   before `:20:`, blank lines, `:64:`/`:65:`/`:NS:` and other unknown tags, CRLF.
///
/// Lines are read one at a time with the shared ``LineReader`` (which decides between UTF-8,
/// UTF-16 with a BOM and Windows-1252 for the file); at most one `:61:`/`:86:` pair is held.
public struct MT940Reader<Source: ByteSource>: StatementReader {
    private struct Pending {
        var statementLine: MT940StatementLine
        var line: Int
        var supplementary: String?
        var information: MT940Information?
    }

    private var lines: LineReader
    private var queue = PendingEvents()
    private var finished = false

    private var fieldTag: String?
    private var fieldLine = 0
    private var fieldLines: [[UInt8]] = []
    private var fieldSize = 0

    private var seenStatement = false
    private var inStatement = false
    private var account: String?
    private var accountEmitted = false
    private var currency: String?
    private var closed = false
    private var lastContentLine = 0
    private var pending: Pending?

    /// Longest field accepted (a `:86:` is at most 6 × 65 characters by the standard).
    static var maximumFieldLength: Int { 1 << 16 }

    /// A reader over the bytes of one MT940 file (`.sta`, `.mta`, `.940`, `.txt`).
    public init(_ source: Source) {
        self.lines = LineReader(source: source, maximumLineLength: 1 << 20)
    }

    /// The next event, or nil at the end of the file.
    /// - Throws: `StatementError` for an impossible date, a bad amount or mark, a `:61:` before any
    ///   `:25:`, a file with no statement, or one that ends inside a statement, naming the line
    ///   and the tag.
    public mutating func next() throws(StatementError) -> StatementEvent? {
        while true {
            if let event = queue.popFirst() { return event }
            if finished { return nil }
            if let line = try lines.next() {
                try process(line)
            } else {
                finished = true
                try finishField()
                try finishInput()
            }
        }
    }

    // MARK: - Lines

    private mutating func process(_ line: TextLine) throws(StatementError) {
        var bytes = Array(line.bytes)
        guard !bytes.contains(0) else {
            throw StatementError(
                line: line.number, value: "\\0",
                message: "NUL byte: this is binary or damaged data, not an MT940 statement")
        }
        // SWIFT envelope: SOH (0x01) before and ETX (0x03) after a message.
        if bytes.contains(where: { $0 == 0x01 || $0 == 0x03 }) {
            bytes.removeAll { $0 == 0x01 || $0 == 0x03 }
        }
        Self.stripBlockHeaders(&bytes)
        guard bytes.contains(where: { !TextDecoding.isWhitespace($0) }) else { return }
        lastContentLine = line.number
        if bytes.first == UInt8(ascii: "-") {
            let rest = bytes.dropFirst()
            if rest.first == UInt8(ascii: "}") || rest.allSatisfy(TextDecoding.isWhitespace) {
                try finishField()
                try endStatement()
                return
            }
        }
        if let (tag, contentStart) = Self.tag(of: bytes) {
            try finishField()
            fieldTag = tag
            fieldLine = line.number
            fieldLines = [Array(bytes[contentStart...])]
            fieldSize = fieldLines[0].count
            return
        }
        guard fieldTag != nil else { return }  // bank header lines before :20: ("ABNANL2A", "940")
        fieldSize += bytes.count
        guard fieldSize <= Self.maximumFieldLength else {
            throw StatementError(
                line: line.number, field: ":\(fieldTag ?? ""):",
                message: "field longer than \(Self.maximumFieldLength) bytes: this is not an MT940 field")
        }
        fieldLines.append(bytes)
    }

    /// Drops `{1:...}{2:...}` blocks and the `{4:` opener at the start of a line.
    private static func stripBlockHeaders(_ bytes: inout [UInt8]) {
        while bytes.first == UInt8(ascii: "{") {
            if bytes.starts(with: Array("{4:".utf8)) {
                bytes.removeFirst(3)
                continue
            }
            var depth = 0
            var end: Int?
            for (index, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "{") { depth += 1 }
                if byte == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        end = index
                        break
                    }
                }
            }
            guard let end else {
                bytes.removeAll()
                return
            }
            bytes.removeFirst(end + 1)
        }
    }

    /// `:20:`, `:60F:`, `:NS:` at the start of a line: the tag without colons and where its
    /// content starts.
    private static func tag(of bytes: [UInt8]) -> (String, Int)? {
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: ":") else { return nil }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        if bytes[1] == UInt8(ascii: "N"), bytes[2] == UInt8(ascii: "S"), bytes[3] == UInt8(ascii: ":") {
            return ("NS", 4)
        }
        guard isDigit(bytes[1]), isDigit(bytes[2]) else { return nil }
        if bytes[3] == UInt8(ascii: ":") { return (String(decoding: bytes[1..<3], as: UTF8.self), 4) }
        if isUpper(bytes[3]), bytes.count >= 5, bytes[4] == UInt8(ascii: ":") {
            return (String(decoding: bytes[1..<4], as: UTF8.self), 5)
        }
        return nil
    }

    // MARK: - Fields

    private mutating func finishField() throws(StatementError) {
        guard let tag = fieldTag else { return }
        let content = fieldLines
        let line = fieldLine
        fieldTag = nil
        fieldLines = []
        fieldSize = 0
        let firstLine = TextDecoding.string(content.first ?? [])
        switch tag {
        case "20":
            try flushPending()
            beginStatement()
        case "25":
            try flushPending()
            if !inStatement { beginStatement() }
            let id = TextDecoding.trimmed(firstLine)
            guard !id.isEmpty else {
                throw StatementError(line: line, field: ":25:", message: "the account identification is empty")
            }
            account = id
            accountEmitted = false
        case "60F", "60M":
            try requireAccount(tag: tag, line: line, value: firstLine)
            let balance = try Self.balance(firstLine, kind: .opening, tag: tag, line: line)
            currency = balance.currency
            emitAccountIfNeeded()
            queue.append(.balance(balance))
        case "61":
            try requireAccount(tag: tag, line: line, value: firstLine)
            try flushPending()
            emitAccountIfNeeded()
            let parsed = try MT940StatementLine(firstLine, line: line)
            let supplementary = TextDecoding.trimmed(
                TextDecoding.string(Array(content.dropFirst().joined(separator: [UInt8(ascii: " ")]))))
            pending = Pending(
                statementLine: parsed, line: line, supplementary: supplementary.isEmpty ? nil : supplementary)
        case "86":
            if pending != nil, pending?.information == nil {
                pending?.information = MT940Information(lines: content)
            }
        case "62F", "62M":
            try flushPending()
            try requireAccount(tag: tag, line: line, value: firstLine)
            let balance = try Self.balance(firstLine, kind: .closing, tag: tag, line: line)
            if currency == nil { currency = balance.currency }
            emitAccountIfNeeded()
            queue.append(.balance(balance))
            closed = true
        case "64", "65":
            try flushPending()
        default:
            break  // :21:, :28:, :28C:, :13D:, :NS:, and whatever a bank adds
        }
    }

    private mutating func beginStatement() {
        seenStatement = true
        inStatement = true
        account = nil
        accountEmitted = false
        currency = nil
        closed = false
    }

    private mutating func endStatement() throws(StatementError) {
        try flushPending()
        inStatement = false
    }

    private mutating func finishInput() throws(StatementError) {
        try flushPending()
        guard seenStatement else {
            throw StatementError(
                line: nil, field: ":20:",
                message: "no MT940 statement (no :20: or :25: field): this is not an MT940 file")
        }
        if inStatement, !closed {
            throw StatementError(
                line: lastContentLine, field: ":62F:",
                message: "the file ends inside a statement, before its closing balance: it is truncated")
        }
    }

    private func requireAccount(tag: String, line: Int, value: String) throws(StatementError) {
        guard account == nil else { return }
        throw StatementError(
            line: line, field: ":\(tag):", value: value,
            message: ":\(tag): before any :25: account identification")
    }

    private mutating func emitAccountIfNeeded() {
        guard !accountEmitted, let account else { return }
        accountEmitted = true
        queue.append(.account(StatementAccount(identifier: account, currency: currency)))
    }

    private mutating func flushPending() throws(StatementError) {
        guard let entry = pending else { return }
        pending = nil
        let parsed = entry.statementLine
        queue.append(
            .transaction(
                StatementTransaction(
                    bookingDate: parsed.bookingDate, valueDate: parsed.valueDate,
                    amount: CurrencyMinorUnits.pad(parsed.amount, currency: currency), currency: currency,
                    payee: entry.information?.payee,
                    description: entry.information?.description ?? entry.supplementary,
                    bankID: parsed.bankReference, line: entry.line)))
    }

    /// `:60F:`/`:62F:` content: mark `C`/`D`, `YYMMDD`, currency, amount with decimal comma.
    private static func balance(
        _ text: String, kind: StatementBalance.Kind, tag: String, line: Int
    ) throws(StatementError) -> StatementBalance {
        let content = TextDecoding.trimmed(text)
        let field = ":\(tag):"
        guard let mark = content.first, mark == "C" || mark == "D" else {
            throw StatementError(
                line: line, field: field, value: content, message: "expected the mark C or D at the start")
        }
        let dateText = content.dropFirst().prefix(6)
        guard let date = MT940Values.date(yymmdd: dateText) else {
            throw StatementError(
                line: line, field: field, value: String(dateText), message: "the date (YYMMDD) does not exist")
        }
        let currency = content.dropFirst(7).prefix(3)
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw StatementError(
                line: line, field: field, value: content, message: "expected a three-letter currency after the date")
        }
        let amountText = content.dropFirst(10)
        guard let magnitude = MT940Values.amount(amountText) else {
            throw StatementError(
                line: line, field: field, value: String(amountText),
                message: "expected an amount with a decimal comma (e.g. 1234,56)")
        }
        let code = String(currency)
        return StatementBalance(
            kind: kind, amount: CurrencyMinorUnits.pad(mark == "D" ? -magnitude : magnitude, currency: code),
            date: date, currency: code)
    }
}
