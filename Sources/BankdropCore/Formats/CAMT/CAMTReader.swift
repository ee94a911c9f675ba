/// Reads ISO 20022 camt.053 bank-to-customer statements (`camt.053.001.02` to `.08` and later).
///
/// Yields, per `Stmt`: `.account` (identifier `Acct/Id/IBAN` or `Acct/Id/Othr/Id`, currency
/// `Acct/Ccy`, institution the servicer's BIC), `.balance(.opening)` for `OPBD` (or `PRCD` when the
/// statement has no `OPBD`), `.balance(.closing)` for `CLBD`, and one `.transaction` per booked
/// `Ntry`. A file may hold several statements, for one account or several.
///
/// - Booking date: `BookgDt/Dt`, or the date part of `BookgDt/DtTm` as written (no zone shift).
/// - Amount: `Ntry/Amt` with its decimals (3 stay 3), negative when `CdtDbtInd` is `DBIT`; the
///   currency is the entry's `Amt Ccy`. An entry with several `TxDtls` (a batch) is one
///   transaction with the entry amount.
/// - Payee: the counterparty of the entry: `Dbtr` of a credit, `Cdtr` of a debit, taken from
///   `TxDtls/RltdPties` (nil when several transaction details name different parties).
/// - Bank id: `AcctSvcrRef`, else `NtryRef`. Description: `RmtInf/Ustrd`, else `AddtlTxInf`,
///   else `AddtlNtryInf`, else the structured creditor reference.
/// - Entries whose status is not `BOOK` (pending, information) are skipped: they are not booked.
///
/// A pull tokenizer reads the bytes; no tree is built, and at most one `Ntry` is held.
public struct CAMTReader<Source: ByteSource>: StatementReader {
    private struct Statement {
        var iban: String?
        var otherID: String?
        var currency: String?
        var institution: String?
        var institutionName: String?
        var accountEmitted = false
        var openingEmitted = false
    }

    private struct Balance {
        var line: Int
        var code: String?
        var amount: String?
        var amountLine: Int?
        var currency: String?
        var creditDebit: String?
        var date: String?
        var dateLine: Int?
    }

    private struct Entry {
        var line: Int
        var amount: String?
        var amountLine: Int?
        var currency: String?
        var creditDebit: String?
        var creditDebitLine: Int?
        var status: String?
        var bookingDate: String?
        var bookingDateLine: Int?
        var valueDate: String?
        var valueDateLine: Int?
        var servicerReference: String?
        var entryReference: String?
        var entryInformation: String?
        var unstructured: String = ""
        var transactionInformation: String?
        var structuredReference: String?
        var counterparty: String?
        var counterpartyConflict = false
    }

    private struct Parties {
        var debtor: String?
        var creditor: String?
    }

    private var tokenizer: MarkupTokenizer<Source>
    private var queue = PendingEvents()
    private var done = false

    private var stack: [String] = []
    private var text: String?
    private var attributeCurrency: String?
    private var seenRoot = false
    private var lastLine = 1

    private var statement: Statement?
    private var balance: Balance?
    private var entry: Entry?
    private var parties: Parties?

    /// Longest description kept for one entry, in characters (a batch entry can carry thousands
    /// of remittance lines; memory must stay flat).
    static var maximumDescriptionLength: Int { 2000 }

    /// A reader over the bytes of one camt.053 XML file.
    public init(_ source: Source) {
        self.tokenizer = MarkupTokenizer(source)
    }

    /// The next event, or nil after `</Document>`.
    /// - Throws: `StatementError` for a bad amount, date or credit/debit indicator, malformed or
    ///   truncated XML, or a document that is not camt.053, naming the line and the element.
    public mutating func next() throws(StatementError) -> StatementEvent? {
        while true {
            if let event = queue.popFirst() { return event }
            if done { return nil }
            guard let token = try tokenizer.next() else {
                guard seenRoot else {
                    throw StatementError(
                        line: nil, field: "Document", message: "no XML element: this is not a camt.053 file")
                }
                let open = stack.last ?? "Document"
                throw StatementError(
                    line: lastLine, field: open,
                    message: "the file ends inside <\(open)> without </Document>: it is truncated")
            }
            try handle(token)
        }
    }

    // MARK: - Tokens

    private mutating func handle(_ token: MarkupToken) throws(StatementError) {
        switch token {
        case .start(let rawName, let attributes, let selfClosing, let line):
            lastLine = line
            let name = Self.localName(rawName)
            if !seenRoot {
                try checkRoot(name: rawName, attributes: attributes, line: line)
                seenRoot = true
            }
            stack.append(name)
            text = nil
            try start(name, attributes: attributes, line: line)
            if selfClosing { try end(name, line: line) }
        case .text(let value, let line):
            lastLine = line
            text = (text ?? "") + value
        case .end(let rawName, let line):
            lastLine = line
            let name = Self.localName(rawName)
            guard stack.last == name else {
                throw StatementError(
                    line: line, field: rawName,
                    message: stack.last.map { "</\(rawName)> does not close <\($0)>: the XML is malformed" }
                        ?? "</\(rawName)> closes nothing: the XML is malformed")
            }
            try end(name, line: line)
        }
    }

    private func checkRoot(name: String, attributes: [MarkupAttribute], line: Int) throws(StatementError) {
        let namespaces = attributes.filter { $0.name == "xmlns" || $0.name.hasPrefix("xmlns:") }.map(\.value)
        let prefix = "urn:iso:std:iso:20022:tech:xsd:"
        guard Self.localName(name) == "Document" else {
            throw StatementError(
                line: line, field: name, message: "expected <Document> as the root element of a camt.053 file")
        }
        if namespaces.contains(where: { $0.hasPrefix(prefix + "camt.053.") }) { return }
        let found = namespaces.first { $0.hasPrefix(prefix) } ?? namespaces.first
        throw StatementError(
            line: line, field: "Document", value: found,
            message: found == nil
                ? "no ISO 20022 namespace: expected urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx"
                : "not a camt.053 statement (camt.052 reports and camt.054 notifications are not read)")
    }

    // MARK: - Elements

    private mutating func start(_ name: String, attributes: [MarkupAttribute], line: Int) throws(StatementError) {
        switch name {
        case "Stmt" where parent == "BkToCstmrStmt":
            statement = Statement()
        case "Bal" where parent == "Stmt":
            balance = Balance(line: line)
        case "Ntry" where parent == "Stmt":
            try emitAccountIfNeeded(fallbackCurrency: nil, line: line)
            entry = Entry(line: line)
        case "TxDtls" where entry != nil:
            parties = Parties()
        case "Amt":
            attributeCurrency = attributes.first { $0.name == "Ccy" }?.value
        default:
            break
        }
    }

    private mutating func end(_ name: String, line: Int) throws(StatementError) {
        let value = text.map { TextDecoding.trimmed($0) }
        text = nil
        defer { stack.removeLast() }
        if let value { try leaf(name, value: value, line: line) }
        switch name {
        case "Bal" where parent == "Stmt":
            if let draft = balance {
                balance = nil
                try emit(draft)
            }
        case "TxDtls" where entry != nil:
            if let found = parties {
                parties = nil
                merge(found)
            }
        case "Ntry" where parent == "Stmt":
            if let draft = entry {
                entry = nil
                try emit(draft)
            }
        case "Stmt" where parent == "BkToCstmrStmt":
            try emitAccountIfNeeded(fallbackCurrency: nil, line: line)
            statement = nil
        case "Document" where stack.count == 1:
            done = true
        default:
            break
        }
    }

    /// The name of the element that contains the current one.
    private var parent: String? {
        stack.count >= 2 ? stack[stack.count - 2] : nil
    }

    /// Whether the open elements end with `suffix` (the current element last).
    private func at(_ suffix: String...) -> Bool {
        guard stack.count >= suffix.count else { return false }
        return stack[(stack.count - suffix.count)...].elementsEqual(suffix)
    }

    private mutating func leaf(_ name: String, value: String, line: Int) throws(StatementError) {
        guard camtLeafNames.contains(name) else { return }
        if balance != nil {
            if at("Bal", "Tp", "CdOrPrtry", "Cd") {
                balance?.code = value
            } else if at("Bal", "Amt") {
                balance?.amount = value
                balance?.amountLine = line
                balance?.currency = attributeCurrency
            } else if at("Bal", "CdtDbtInd") {
                balance?.creditDebit = value
            } else if at("Bal", "Dt", "Dt") || at("Bal", "Dt", "DtTm") {
                balance?.date = value
                balance?.dateLine = line
            }
            return
        }
        if entry != nil {
            try entryLeaf(name, value: value, line: line)
            return
        }
        guard statement != nil else { return }
        if at("Stmt", "Acct", "Id", "IBAN") {
            statement?.iban = value
        } else if at("Stmt", "Acct", "Id", "Othr", "Id") {
            statement?.otherID = value
        } else if at("Stmt", "Acct", "Ccy") {
            statement?.currency = value.uppercased()
        } else if at("Acct", "Svcr", "FinInstnId", "BIC") || at("Acct", "Svcr", "FinInstnId", "BICFI") {
            statement?.institution = value
        } else if at("Acct", "Svcr", "FinInstnId", "Nm") {
            statement?.institutionName = value
        }
    }

    private mutating func entryLeaf(_ name: String, value: String, line: Int) throws(StatementError) {
        if at("Ntry", "Amt") {
            entry?.amount = value
            entry?.amountLine = line
            entry?.currency = attributeCurrency?.uppercased()
        } else if at("Ntry", "CdtDbtInd") {
            entry?.creditDebit = value
            entry?.creditDebitLine = line
        } else if at("Ntry", "Sts") || at("Ntry", "Sts", "Cd") {
            entry?.status = value
        } else if at("Ntry", "BookgDt", "Dt") || at("Ntry", "BookgDt", "DtTm") {
            entry?.bookingDate = value
            entry?.bookingDateLine = line
        } else if at("Ntry", "ValDt", "Dt") || at("Ntry", "ValDt", "DtTm") {
            entry?.valueDate = value
            entry?.valueDateLine = line
        } else if at("Ntry", "AcctSvcrRef") {
            entry?.servicerReference = value
        } else if at("Ntry", "NtryRef") {
            entry?.entryReference = value
        } else if at("Ntry", "AddtlNtryInf") {
            entry?.entryInformation = value
        } else if at("TxDtls", "RltdPties", "Dbtr", "Nm") || at("TxDtls", "RltdPties", "Dbtr", "Pty", "Nm") {
            parties?.debtor = value
        } else if at("TxDtls", "RltdPties", "Cdtr", "Nm") || at("TxDtls", "RltdPties", "Cdtr", "Pty", "Nm") {
            parties?.creditor = value
        } else if at("TxDtls", "RmtInf", "Ustrd") {
            appendRemittance(value)
        } else if at("TxDtls", "AddtlTxInf") {
            if entry?.transactionInformation == nil { entry?.transactionInformation = value }
        } else if at("TxDtls", "RmtInf", "Strd", "CdtrRefInf", "Ref") {
            if entry?.structuredReference == nil { entry?.structuredReference = value }
        }
    }

    private mutating func appendRemittance(_ value: String) {
        guard var current = entry, !value.isEmpty else { return }
        let limit = Self.maximumDescriptionLength
        guard current.unstructured.count < limit else { return }
        if !current.unstructured.isEmpty { current.unstructured += " " }
        current.unstructured += value
        if current.unstructured.count > limit { current.unstructured = String(current.unstructured.prefix(limit)) }
        entry = current
    }

    /// Folds one `TxDtls`' parties into the entry's counterparty: kept while all agree.
    private mutating func merge(_ found: Parties) {
        guard var current = entry else { return }
        let name: String?
        switch current.creditDebit {
        case "CRDT": name = found.debtor
        case "DBIT": name = found.creditor
        default: name = nil
        }
        guard let name, !name.isEmpty else { return }
        if current.counterparty == nil, !current.counterpartyConflict {
            current.counterparty = name
        } else if current.counterparty != name {
            current.counterparty = nil
            current.counterpartyConflict = true
        }
        entry = current
    }

    // MARK: - Events

    private mutating func emitAccountIfNeeded(fallbackCurrency: String?, line: Int) throws(StatementError) {
        guard var current = statement, !current.accountEmitted else { return }
        guard let id = current.iban ?? current.otherID, !id.isEmpty else {
            throw StatementError(
                line: line, field: "Acct/Id",
                message: "the statement names no account (Acct/Id/IBAN or Acct/Id/Othr/Id)")
        }
        current.accountEmitted = true
        statement = current
        queue.append(
            .account(
                StatementAccount(
                    identifier: id, currency: current.currency ?? fallbackCurrency,
                    institution: current.institution ?? current.institutionName)))
    }

    private mutating func emit(_ draft: Balance) throws(StatementError) {
        guard statement != nil else { return }
        let currency = draft.currency?.uppercased()
        // A booked balance is in the account's currency: it stands in when Acct/Ccy is absent.
        try emitAccountIfNeeded(fallbackCurrency: currency, line: draft.line)
        let kind: StatementBalance.Kind
        switch draft.code {
        case "OPBD", "PRCD":
            guard statement?.openingEmitted == false else { return }
            statement?.openingEmitted = true
            kind = .opening
        case "CLBD":
            kind = .closing
        default:
            return
        }
        let magnitude = try Self.amount(draft.amount, line: draft.amountLine ?? draft.line, field: "Bal/Amt")
        let sign = try Self.sign(draft.creditDebit, line: draft.line, field: "Bal/CdtDbtInd")
        var date: LocalDate?
        if let raw = draft.date {
            date = try Self.date(raw, line: draft.dateLine ?? draft.line, field: "Bal/Dt")
        }
        queue.append(
            .balance(
                StatementBalance(
                    kind: kind, amount: CurrencyMinorUnits.pad(sign ? -magnitude : magnitude, currency: currency),
                    date: date, currency: currency)))
    }

    private mutating func emit(_ draft: Entry) throws(StatementError) {
        if let status = draft.status, status != "BOOK" { return }
        let magnitude = try Self.amount(draft.amount, line: draft.amountLine ?? draft.line, field: "Ntry/Amt")
        let negative = try Self.sign(
            draft.creditDebit, line: draft.creditDebitLine ?? draft.line, field: "Ntry/CdtDbtInd")
        var valueDate: LocalDate?
        if let raw = draft.valueDate {
            valueDate = try Self.date(raw, line: draft.valueDateLine ?? draft.line, field: "Ntry/ValDt")
        }
        let bookingDate: LocalDate
        if let raw = draft.bookingDate {
            bookingDate = try Self.date(raw, line: draft.bookingDateLine ?? draft.line, field: "Ntry/BookgDt")
        } else if let valueDate {
            bookingDate = valueDate
        } else {
            throw StatementError(
                line: draft.line, field: "Ntry/BookgDt", message: "the entry has neither a booking nor a value date")
        }
        let currency = draft.currency ?? statement?.currency
        let description = [
            draft.unstructured, draft.transactionInformation, draft.entryInformation, draft.structuredReference,
        ].lazy.compactMap { $0 }.first { !$0.isEmpty }
        let bankID = [draft.servicerReference, draft.entryReference].lazy.compactMap { $0 }.first { !$0.isEmpty }
        queue.append(
            .transaction(
                StatementTransaction(
                    bookingDate: bookingDate, valueDate: valueDate,
                    amount: CurrencyMinorUnits.pad(negative ? -magnitude : magnitude, currency: currency),
                    currency: currency, payee: draft.counterparty, description: description, bankID: bankID,
                    line: draft.line)))
    }

    // MARK: - Values

    /// `urn:...:Document` and `ns2:Document` both name `Document`.
    private static func localName(_ name: String) -> String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    /// An ISO 20022 amount: unsigned digits with an optional `.` and fraction (the sign is in
    /// `CdtDbtInd`).
    private static func amount(_ text: String?, line: Int, field: String) throws(StatementError) -> Amount {
        guard let text else {
            throw StatementError(line: line, field: field, message: "the amount is missing")
        }
        guard let first = text.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "+"),
            let amount = Amount(text)
        else {
            throw StatementError(
                line: line, field: field, value: text,
                message: "not an ISO 20022 amount: expected unsigned digits with an optional \".\" and decimals")
        }
        return amount
    }

    /// Whether the indicator says debit (money out); throws unless it is `CRDT` or `DBIT`.
    private static func sign(_ text: String?, line: Int, field: String) throws(StatementError) -> Bool {
        switch text {
        case "DBIT": return true
        case "CRDT": return false
        default:
            throw StatementError(
                line: line, field: field, value: text, message: "the credit/debit indicator must be CRDT or DBIT")
        }
    }

    /// `YYYY-MM-DD`, or the date part of `YYYY-MM-DDThh:mm:ss[zone]` as written.
    private static func date(_ text: String, line: Int, field: String) throws(StatementError) -> LocalDate {
        let datePart = text.prefix(10)
        let rest = text.dropFirst(10)
        guard rest.isEmpty || rest.first == "T", let date = LocalDate(iso: datePart) else {
            throw StatementError(
                line: line, field: field, value: text,
                message: "not an ISO date, or a day that does not exist: expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss")
        }
        return date
    }
}

/// The leaf elements the CAMT reader takes anything from (a quick filter before path matching).
private let camtLeafNames: Set<String> = [
    "Cd", "Amt", "CdtDbtInd", "Dt", "DtTm", "Sts", "AcctSvcrRef", "NtryRef", "AddtlNtryInf", "Nm", "Ustrd",
    "AddtlTxInf", "Ref", "IBAN", "Id", "Ccy", "BIC", "BICFI",
]
