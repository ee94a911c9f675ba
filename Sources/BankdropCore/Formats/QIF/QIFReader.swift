/// Reads a Quicken Interchange Format file (`!Type:Bank`, `!Type:CCard`, `!Type:Cash`,
/// `!Type:Oth A`, `!Type:Oth L`) as statement events, one record at a time.
///
/// Fields: `D` date, `T` amount (`U` when there is no `T`), `P` payee, `M` memo (several `M`
/// lines are joined), `L` category, `N` check number (a numeric one is added to the description;
/// `ATM`, `DEP` and the like are dropped), `^` end of record. Split lines (`S`, `E`, `$`, `%`),
/// addresses and flags are skipped; so are category, class and memorized-transaction lists. An
/// `!Account` block names the account of the transaction lists that follow it.
///
/// Dates: with `QIFOptions.dateOrder` unset, the reader looks ahead (at most `dateOrderLookahead`
/// records, held in memory) for a date whose first or second number is above 12; failing that the
/// first date's separators decide (`/` or `'` month first, `.` or `-` day first).
/// Amounts: with `QIFOptions.decimalSeparator` unset, the last of `.`/`,` in an amount is the
/// decimal separator when both occur; a lone `,` is one unless exactly three digits follow it.
public struct QIFReader: StatementReader {
    /// The most records read ahead to infer the date order.
    public static let dateOrderLookahead = 10_000

    private struct Field {
        var value: String
        var line: Int
    }

    private struct Record {
        var line = 0
        var date: Field?
        var amount: Field?
        var alternativeAmount: Field?
        var payee: String?
        var memo: [String] = []
        var category: String?
        var number: String?
        var isEmpty: Bool { line == 0 }
    }

    private enum Item {
        case account(StatementAccount)
        case record(Record)
    }

    private enum Section {
        case none
        case transactions
        case account
        case ignored
    }

    private var lines: LineReader
    private let options: QIFOptions
    private var dateOrder: QIFDateOrder?
    private var dateOrderWasInferred = false
    private var section = Section.none
    private var record = Record()
    private var accountName: String?
    private var pendingAccount: String?
    private var emittedAccount: String??
    private var lookahead: [Item] = []
    private var lookaheadIndex = 0
    private var failure: StatementError?

    /// - Parameters:
    ///   - source: the file's bytes.
    ///   - options: the date order and decimal separator, where the user set them.
    ///   - encoding: the encoding to use instead of detecting one.
    public init(source: some ByteSource, options: QIFOptions = QIFOptions(), encoding: TextEncoding? = nil) {
        self.lines = LineReader(source: source, encoding: encoding)
        self.options = options
        self.dateOrder = options.dateOrder
    }

    /// The date order in use: configured, or inferred once the first record was read.
    public var effectiveDateOrder: QIFDateOrder? { dateOrder }

    /// The next event, or nil at the end of the file.
    /// - Throws: `StatementError` with the line, the field letter and the value. After an error
    ///   every call throws it again.
    public mutating func next() throws(StatementError) -> StatementEvent? {
        if let failure { throw failure }
        do {
            if dateOrder == nil { try inferDateOrder() }
            let item: Item
            if lookaheadIndex < lookahead.count {
                item = lookahead[lookaheadIndex]
                lookaheadIndex += 1
                if lookaheadIndex == lookahead.count {
                    lookahead = []
                    lookaheadIndex = 0
                }
            } else if let next = try nextItem() {
                item = next
            } else {
                return nil
            }
            switch item {
            case .account(let account): return .account(account)
            case .record(let record): return .transaction(try transaction(from: record))
            }
        } catch {
            failure = error
            throw error
        }
    }

    // MARK: Date order

    private mutating func inferDateOrder() throws(StatementError) {
        var conventional: QIFDateOrder?
        while lookahead.count < Self.dateOrderLookahead, let item = try nextItem() {
            lookahead.append(item)
            guard case .record(let record) = item, let field = record.date, let date = QIFDateText(field.value) else {
                continue
            }
            if let evidence = date.evidence {
                dateOrder = evidence
                dateOrderWasInferred = true
                return
            }
            if conventional == nil, !date.isYearFirst { conventional = date.conventionalOrder }
        }
        dateOrder = conventional ?? .dayMonthYear
        dateOrderWasInferred = true
    }

    // MARK: Structure

    private mutating func nextItem() throws(StatementError) -> Item? {
        while let line = try lines.next() {
            let bytes = line.bytes.trimmingBlanks()
            guard let code = bytes.first else { continue }
            if bytes.contains(0) {
                let shown = String(decoding: bytes.dropFirst(), as: UTF8.self).unicodeScalars
                    .map { $0 == "\0" ? "\\0" : String($0) }.joined()
                throw StatementError(
                    line: line.number, field: String(decoding: [code], as: UTF8.self), value: shown,
                    message:
                        "the line contains a NUL byte: is this a UTF-16 file without a byte order mark, or not text?")
            }
            if code == UInt8(ascii: "!") {
                if let account = try enterSection(String(decoding: bytes, as: UTF8.self), line: line.number) {
                    return .account(account)
                }
                continue
            }
            guard section != .none else {
                throw StatementError(
                    line: line.number, value: String(decoding: bytes.prefix(40), as: UTF8.self),
                    message: "not a QIF file: it must start with a header such as !Type:Bank")
            }
            let value = String(decoding: bytes.dropFirst().trimmingBlanks(), as: UTF8.self)
            if code == UInt8(ascii: "^") {
                switch section {
                case .transactions where !record.isEmpty:
                    defer { record = Record() }
                    return .record(record)
                case .account:
                    pendingAccount = accountName
                    accountName = nil
                default:
                    break
                }
                record = Record()
                continue
            }
            switch section {
            case .transactions: try add(code: code, value: value, line: line.number)
            case .account where code == UInt8(ascii: "N"): accountName = value.isEmpty ? nil : value
            default: break
            }
        }
        if section == .transactions, !record.isEmpty {
            defer { record = Record() }
            return .record(record)
        }
        return nil
    }

    /// Handles a `!` line; returns the account to announce when a transaction list starts.
    private mutating func enterSection(_ header: String, line: Int) throws(StatementError) -> StatementAccount? {
        if !record.isEmpty {
            throw StatementError(
                line: line, field: "^", value: header,
                message: "the record that starts on line \(record.line) does not end with ^ before this header")
        }
        let key = header.lowercased().filter { $0 != " " && $0 != "\t" }
        switch key {
        case "!type:bank", "!type:ccard", "!type:cash", "!type:otha", "!type:othl":
            section = .transactions
            let identifier = pendingAccount
            if let emitted = emittedAccount, emitted == identifier { return nil }
            emittedAccount = .some(identifier)
            return StatementAccount(identifier: identifier)
        case "!type:invst":
            throw StatementError(
                line: line, value: header,
                message: "investment accounts (!Type:Invst) are not supported; export a bank account")
        case "!account":
            section = .account
            accountName = nil
        case _ where key.hasPrefix("!option:") || key.hasPrefix("!clear:"):
            break
        default:
            section = .ignored
        }
        return nil
    }

    private mutating func add(code: UInt8, value: String, line: Int) throws(StatementError) {
        if record.isEmpty { record.line = line }
        let letter = String(decoding: [code], as: UTF8.self)
        func once(_ field: Field?) throws(StatementError) -> Field {
            if let field {
                throw StatementError(
                    line: line, field: letter, value: value,
                    message:
                        "a second \(letter) field in the record that starts on line \(record.line) "
                        + "(first on line \(field.line)): is a ^ missing?"
                )
            }
            return Field(value: value, line: line)
        }
        switch code {
        case UInt8(ascii: "D"): record.date = try once(record.date)
        case UInt8(ascii: "T"): record.amount = try once(record.amount)
        case UInt8(ascii: "U"): record.alternativeAmount = try once(record.alternativeAmount)
        case UInt8(ascii: "P"): record.payee = record.payee ?? (value.isEmpty ? nil : value)
        case UInt8(ascii: "M"): if !value.isEmpty { record.memo.append(value) }
        case UInt8(ascii: "L"): record.category = record.category ?? (value.isEmpty ? nil : value)
        case UInt8(ascii: "N"): record.number = record.number ?? (value.isEmpty ? nil : value)
        default: break
        }
    }

    // MARK: Values

    private func transaction(from record: Record) throws(StatementError) -> StatementTransaction {
        guard let dateField = record.date else {
            throw StatementError(line: record.line, field: "D", message: "the record has no date (D line)")
        }
        guard let amountField = record.amount ?? record.alternativeAmount else {
            throw StatementError(line: record.line, field: "T", message: "the record has no amount (T line)")
        }
        let amountLetter = record.amount == nil ? "U" : "T"
        let order = dateOrder ?? .dayMonthYear
        guard let text = QIFDateText(dateField.value) else {
            throw StatementError(
                line: dateField.line, field: "D", value: dateField.value,
                message: "not a date (expected e.g. 03.11.25, 11/03'25 or 2025-11-03)")
        }
        guard let date = text.date(in: order) else {
            let orderName = order == .dayMonthYear ? "day-month-year" : "month-day-year"
            let hint =
                dateOrderWasInferred
                ? "; the order was inferred from the file, set qif.date_order if that is wrong" : ""
            throw StatementError(
                line: dateField.line, field: "D", value: dateField.value,
                message: "not a calendar date in \(orderName) order\(hint)")
        }
        let amountBytes = Array(amountField.value.utf8)
        let separator = options.decimalSeparator ?? Self.inferredDecimalSeparator(amountBytes)
        let amount: Amount
        do {
            amount = try AmountFormat(decimalSeparator: separator).parse(amountBytes[...])
        } catch {
            throw StatementError(
                line: amountField.line, field: amountLetter, value: amountField.value, message: error.message)
        }
        let memo = record.memo.isEmpty ? nil : record.memo.joined(separator: " ")
        var description = memo
        if let number = record.number, number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            description = memo.map { "\($0) (check \(number))" } ?? "check \(number)"
        }
        return StatementTransaction(
            bookingDate: date, amount: amount.padded(toScale: 2), payee: record.payee, description: description,
            category: record.category, line: record.line)
    }

    /// The decimal separator of one amount: the later of `.` and `,` when both occur; a single
    /// `,` unless exactly three digits follow it (then it groups thousands); else `.`.
    static func inferredDecimalSeparator(_ bytes: [UInt8]) -> DecimalSeparator {
        let comma = UInt8(ascii: ",")
        let point = UInt8(ascii: ".")
        let lastComma = bytes.lastIndex(of: comma)
        let lastPoint = bytes.lastIndex(of: point)
        switch (lastComma, lastPoint) {
        case (let comma?, let point?): return comma > point ? .comma : .point
        case (let index?, nil):
            let commas = bytes.filter { $0 == comma }.count
            let digitsAfter = bytes[(index + 1)...].prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            return commas == 1 && digitsAfter != 3 ? .comma : .point
        default: return .point
        }
    }
}
