/// Reads OFX statements: OFX 1.x (SGML, unclosed leaf tags) and 2.x (XML), and Quicken's QFX.
///
/// Yields, per bank (`STMTRS`) or credit-card (`CCSTMTRS`) statement: `.account` (identifier
/// `ACCTID` as written, currency `CURDEF`, institution `FI/ORG`), then one `.transaction` per
/// `STMTTRN`, then `.balance(.closing)` for `LEDGERBAL`. A file may hold several statements.
///
/// - Booking date: the date `DTPOSTED` writes, never shifted through its zone.
/// - Amount: `TRNAMT` exactly, strictly `[+-]digits[.digits]` (no currency symbol, no comma).
/// - Payee: `NAME` (or `PAYEE/NAME`); description: `MEMO`; bank id: `FITID`; value date: `DTAVAIL`.
///
/// The header (`OFXHEADER:100 ...` or `<?OFX ...?>`) is not required and its `CHARSET` is not
/// trusted: each field is UTF-8 when its bytes are valid UTF-8, else Windows-1252. Memory holds one
/// `STMTTRN` at a time. Investment statements (`INVSTMTRS`) are refused, not skipped. Several
/// OFX documents one after the other in one file are read in turn.
public struct OFXReader<Source: ByteSource>: StatementReader {
    private struct Field {
        var value: String
        var line: Int
    }

    private struct Statement {
        var line: Int
        var currency: String?
        var accountID: String?
        var accountLine: Int?
        var accountEmitted = false
    }

    private struct Transaction {
        var line: Int
        var fields: [String: Field] = [:]
        var payeeAggregateName: String?
        var currencySymbol: String?
    }

    private struct Ledger {
        var line: Int
        var amount: Field?
        var date: Field?
    }

    private var tokenizer: MarkupTokenizer<Source>
    private var queue = PendingEvents()
    private var done = false
    private var insideRoot = false

    private var stack: [(name: String, line: Int)] = []
    private var openTag: (name: String, line: Int)?
    private var closableLeaf: String?
    private var seenRoot = false
    private var lastLine = 1

    private var institution: String?
    private var statement: Statement?
    private var transaction: Transaction?
    private var ledger: Ledger?

    /// A reader over the bytes of one OFX or QFX file.
    public init(_ source: Source) {
        self.tokenizer = MarkupTokenizer(source)
    }

    /// The next event, or nil at the end of the file.
    /// - Throws: `StatementError` for a bad amount or date, a truncated file, or a file that is
    ///   not OFX, naming the line and the field (`TRNAMT`, `DTPOSTED`, ...).
    public mutating func next() throws(StatementError) -> StatementEvent? {
        while true {
            if let event = queue.popFirst() { return event }
            if done { return nil }
            guard let token = try tokenizer.next() else {
                try finish()
                done = true
                return nil
            }
            try handle(token)
        }
    }

    // MARK: - Tokens

    private mutating func handle(_ token: MarkupToken) throws(StatementError) {
        switch token {
        case .start(let rawName, _, let selfClosing, let line):
            lastLine = line
            let name = rawName.uppercased()
            guard insideRoot else {
                // Before the first <OFX> (or between concatenated OFX documents) only <OFX> may start.
                guard name == "OFX" else {
                    throw StatementError(
                        line: line, field: rawName,
                        message: seenRoot
                            ? "unexpected <\(rawName)> after </OFX>"
                            : "expected <OFX> as the first element: this is not an OFX file")
                }
                seenRoot = true
                insideRoot = true
                openTag = (name, line)
                return
            }
            if let open = openTag { try startAggregate(open.name, line: open.line) }
            closableLeaf = nil
            if selfClosing {
                openTag = nil
                try leaf(name, value: "", line: line)
            } else {
                openTag = (name, line)
            }
        case .text(let text, let line):
            lastLine = line
            guard let open = openTag else { return }
            openTag = nil
            closableLeaf = open.name
            try leaf(open.name, value: TextDecoding.trimmed(text), line: open.line)
        case .end(let rawName, let line):
            lastLine = line
            let name = rawName.uppercased()
            if let open = openTag {
                openTag = nil
                try leaf(open.name, value: "", line: open.line)
                if open.name == name {
                    if name == "OFX" { insideRoot = false }  // an empty <OFX></OFX>
                    return
                }
            }
            if closableLeaf == name {
                closableLeaf = nil
                return
            }
            closableLeaf = nil
            // An end tag closes its aggregate and every SGML element left open inside it; a stray
            // end tag (no such open aggregate) carries no data and is ignored.
            guard let index = stack.lastIndex(where: { $0.name == name }) else { return }
            while stack.count > index {
                let closed = stack.removeLast()
                try endAggregate(closed.name)
            }
        }
    }

    private mutating func finish() throws(StatementError) {
        guard seenRoot else {
            throw StatementError(line: nil, field: "OFX", message: "no <OFX> element: this is not an OFX file")
        }
        guard insideRoot else { return }
        let open = stack.last?.name ?? openTag?.name ?? "OFX"
        throw StatementError(
            line: lastLine, field: open,
            message: "the file ends inside <\(open)> without </OFX>: it is truncated")
    }

    /// The innermost open aggregate that gives a leaf its meaning.
    private var context: String? {
        stack.last { ofxContextAggregates.contains($0.name) }?.name
    }

    // MARK: - Aggregates

    private mutating func startAggregate(_ name: String, line: Int) throws(StatementError) {
        stack.append((name, line))
        switch name {
        case "STMTRS", "CCSTMTRS":
            statement = Statement(line: line)
        case "STMTTRN" where statement != nil:
            transaction = Transaction(line: line)
        case "LEDGERBAL" where statement != nil:
            ledger = Ledger(line: line)
        case "INVSTMTRS":
            throw StatementError(
                line: line, field: name,
                message: "investment statements are not supported: export the bank or card account instead")
        default:
            break
        }
    }

    private mutating func endAggregate(_ name: String) throws(StatementError) {
        switch name {
        case "BANKACCTFROM", "CCACCTFROM":
            guard context == "STMTRS" || context == "CCSTMTRS" else { return }
            try emitAccount()
        case "STMTTRN":
            if let draft = transaction {
                transaction = nil
                try emit(draft)
            }
        case "LEDGERBAL":
            if let draft = ledger {
                ledger = nil
                try emit(draft)
            }
        case "STMTRS", "CCSTMTRS":
            if let statement, !statement.accountEmitted {
                throw StatementError(
                    line: statement.line, field: name == "STMTRS" ? "BANKACCTFROM" : "CCACCTFROM",
                    message: "the statement names no account")
            }
            statement = nil
        case "OFX":
            insideRoot = false
            openTag = nil
            closableLeaf = nil
        default:
            break
        }
    }

    private mutating func leaf(_ name: String, value: String, line: Int) throws(StatementError) {
        let field = Field(value: value, line: line)
        switch (context, name) {
        case ("FI", "ORG"):
            institution = value.isEmpty ? nil : value
        case ("STMTRS", "CURDEF"), ("CCSTMTRS", "CURDEF"):
            statement?.currency = value.isEmpty ? nil : value.uppercased()
        case ("BANKACCTFROM", "ACCTID"), ("CCACCTFROM", "ACCTID"):
            statement?.accountID = value
            statement?.accountLine = line
        case ("STMTTRN", _):
            transaction?.fields[name] = field
        case ("PAYEE", "NAME"):
            transaction?.payeeAggregateName = value
        case ("CURRENCY", "CURSYM"):
            transaction?.currencySymbol = value.isEmpty ? nil : value.uppercased()
        case ("LEDGERBAL", "BALAMT"):
            ledger?.amount = field
        case ("LEDGERBAL", "DTASOF"):
            ledger?.date = field
        default:
            break
        }
    }

    // MARK: - Events

    private mutating func emitAccount() throws(StatementError) {
        guard var current = statement else { return }
        guard let id = current.accountID, !id.isEmpty else {
            throw StatementError(
                line: current.accountLine ?? current.line, field: "ACCTID",
                message: "the account aggregate has no ACCTID")
        }
        current.accountEmitted = true
        statement = current
        queue.append(.account(StatementAccount(identifier: id, currency: current.currency, institution: institution)))
    }

    private mutating func emit(_ draft: Transaction) throws(StatementError) {
        // Fixed order: when one record has several bad fields, the amount is reported first.
        let amount = try Self.amount(draft.fields["TRNAMT"], field: "TRNAMT", recordLine: draft.line)
        let posted = try Self.date(draft.fields["DTPOSTED"], field: "DTPOSTED", recordLine: draft.line)
        var available: LocalDate?
        if let field = draft.fields["DTAVAIL"], !field.value.isEmpty {
            available = try Self.date(field, field: "DTAVAIL", recordLine: draft.line)
        }
        guard let statement, statement.accountEmitted else {
            throw StatementError(
                line: draft.line, field: "STMTTRN",
                message: "a transaction before its account (BANKACCTFROM or CCACCTFROM)")
        }
        let currency = draft.currencySymbol ?? statement.currency
        let name = draft.fields["NAME"]?.value ?? draft.payeeAggregateName
        queue.append(
            .transaction(
                StatementTransaction(
                    bookingDate: posted, valueDate: available,
                    amount: CurrencyMinorUnits.pad(amount, currency: currency), currency: currency,
                    payee: Self.nonEmpty(name), description: Self.nonEmpty(draft.fields["MEMO"]?.value),
                    bankID: Self.nonEmpty(draft.fields["FITID"]?.value), line: draft.line)))
    }

    private mutating func emit(_ draft: Ledger) throws(StatementError) {
        let amount = try Self.amount(draft.amount, field: "BALAMT", recordLine: draft.line)
        var date: LocalDate?
        if let field = draft.date, !field.value.isEmpty {
            date = try Self.date(field, field: "DTASOF", recordLine: draft.line)
        }
        guard let statement, statement.accountEmitted else {
            throw StatementError(
                line: draft.line, field: "LEDGERBAL",
                message: "a balance before its account (BANKACCTFROM or CCACCTFROM)")
        }
        queue.append(
            .balance(
                StatementBalance(
                    kind: .closing, amount: CurrencyMinorUnits.pad(amount, currency: statement.currency), date: date,
                    currency: statement.currency)))
    }

    // MARK: - Values

    private static func amount(_ field: Field?, field name: String, recordLine: Int) throws(StatementError) -> Amount {
        guard let field else {
            throw StatementError(line: recordLine, field: name, message: "\(name) is missing")
        }
        guard let amount = Amount(field.value) else {
            throw StatementError(
                line: field.line, field: name, value: field.value,
                message: "not an OFX amount: expected [+-]digits[.digits], without currency symbol, "
                    + "thousands separator or decimal comma")
        }
        return amount
    }

    private static func date(_ field: Field?, field name: String, recordLine: Int) throws(StatementError) -> LocalDate {
        guard let field else {
            throw StatementError(line: recordLine, field: name, message: "\(name) is missing")
        }
        guard let date = OFXDate.date(field.value) else {
            throw StatementError(
                line: field.line, field: name, value: field.value,
                message: "not an OFX date, or a day that does not exist: expected YYYYMMDD or "
                    + "YYYYMMDDHHMMSS[.XXX][[offset:TZ]]")
        }
        return date
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}

/// The OFX aggregates whose leaves the reader looks at: a leaf means what its innermost one says.
private let ofxContextAggregates: Set<String> = [
    "FI", "STMTRS", "CCSTMTRS", "BANKACCTFROM", "CCACCTFROM", "BANKACCTTO", "CCACCTTO", "STMTTRN",
    "PAYEE", "CURRENCY", "ORIGCURRENCY", "LEDGERBAL", "AVAILBAL", "BANKTRANLIST",
]
