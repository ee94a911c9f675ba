/// The file formats bankdrop reads.
public enum StatementFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case csv
    case ofx
    case qif
    case camt053
    case mt940
}

/// One account as a statement file states it.
public struct StatementAccount: Sendable, Hashable {
    /// The account identifier as the file writes it (IBAN, account number, card number), or nil
    /// when the file names none (most CSV and QIF exports): the pipeline then asks the user's
    /// configuration (inbox subfolder, `--account`, a file-name rule).
    public var identifier: String?
    /// ISO 4217 code, when the file states one.
    public var currency: String?
    /// The bank or institution, when the file states one (OFX `ORG`, MT940 BIC).
    public var institution: String?

    public init(identifier: String?, currency: String? = nil, institution: String? = nil) {
        self.identifier = identifier
        self.currency = currency
        self.institution = institution
    }
}

/// A stated balance: MT940 `:60F:`/`:62F:`, CAMT `OPBD`/`CLBD`, OFX `LEDGERBAL`.
public struct StatementBalance: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case opening
        case closing
    }

    public var kind: Kind
    public var amount: Amount
    public var date: LocalDate?
    public var currency: String?

    public init(kind: Kind, amount: Amount, date: LocalDate? = nil, currency: String? = nil) {
        self.kind = kind
        self.amount = amount
        self.date = date
        self.currency = currency
    }
}

/// One booked transaction, exactly as the file states it.
public struct StatementTransaction: Sendable, Hashable {
    /// Booking date as the bank wrote it (never shifted through UTC).
    public var bookingDate: LocalDate
    /// Value date, where the format states one separately.
    public var valueDate: LocalDate?
    /// Signed exact amount: money out is negative. Keeps the file's decimals (3 where it has 3).
    public var amount: Amount
    /// ISO 4217 code of this entry when stated, else nil (the account's currency applies).
    public var currency: String?
    /// The counterparty, only from a field defined to carry it (OFX NAME, QIF P, CAMT Cdtr/Dbtr, ...).
    public var payee: String?
    /// Free text: memo, purpose, remittance information.
    public var description: String?
    /// The bank's own id for the entry (OFX FITID, CAMT AcctSvcrRef/NtryRef, MT940 bank reference).
    public var bankID: String?
    /// A category, if the file carries one.
    public var category: String?
    /// 1-based line of the file where the entry starts (for error messages and dry runs).
    public var line: Int

    public init(
        bookingDate: LocalDate, valueDate: LocalDate? = nil, amount: Amount, currency: String? = nil,
        payee: String? = nil, description: String? = nil, bankID: String? = nil, category: String? = nil,
        line: Int
    ) {
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.currency = currency
        self.payee = payee
        self.description = description
        self.bankID = bankID
        self.category = category
        self.line = line
    }
}

/// What a reader yields, in file order.
///
/// `.account` starts (or resumes) an account: the transactions and balances that follow belong
/// to it until the next `.account`. A reader yields `.account` before the first transaction,
/// even for formats that name no account (with `identifier: nil`).
public enum StatementEvent: Sendable, Hashable {
    case account(StatementAccount)
    case transaction(StatementTransaction)
    case balance(StatementBalance)
}

/// Why a file cannot be read. Names the line, the field and the offending value.
///
/// The file name is not known here: the pipeline adds it when it reports the error.
public struct StatementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number, or nil when the problem is the file as a whole (unknown format).
    public var line: Int?
    /// The field or tag, e.g. `TRNAMT`, `:61:`, `Betrag (EUR)`.
    public var field: String?
    /// The offending value (shortened when long).
    public var value: String?
    /// What is wrong and, where useful, how to fix it.
    public var message: String

    public init(line: Int?, field: String? = nil, value: String? = nil, message: String) {
        self.line = line
        self.field = field
        self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append("field \(field)") }
        if let value { parts.append("value \"\(value)\"") }
        return parts.isEmpty ? message : parts.joined(separator: ", ") + ": " + message
    }
}

/// A source of bytes that readers pull from. The core does no I/O: adapters wrap files.
public protocol ByteSource {
    /// Returns the next chunk of bytes, or an empty array at the end of input.
    mutating func read() throws -> [UInt8]
}

/// A byte source over bytes already in memory (tests, small inputs).
public struct InMemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0

    /// - Parameter chunkSize: bytes handed out per `read()`; tests use small values to exercise
    ///   chunk boundaries.
    public init(_ bytes: [UInt8], chunkSize: Int = 64 * 1024) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }

    public init(_ text: String, chunkSize: Int = 64 * 1024) {
        self.init(Array(text.utf8), chunkSize: chunkSize)
    }

    public mutating func read() throws -> [UInt8] {
        let end = min(offset + chunkSize, bytes.count)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// A streaming statement reader: pulls bytes from its source and yields events in file order.
///
/// Memory stays flat: a reader holds at most one record (one CSV row, one OFX `STMTTRN`, one
/// MT940 `:61:`/`:86:` pair, one CAMT `Ntry`) besides its input buffer.
public protocol StatementReader {
    /// The next event, or nil at the end of the file.
    /// - Throws: `StatementError` naming the line, field and value that are wrong.
    mutating func next() throws(StatementError) -> StatementEvent?
}
