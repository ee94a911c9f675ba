/// Reads a bank's CSV export as statement events, one record at a time.
///
/// The encoding is detected (see `TextDecoder`). Lines before the header are a preamble: the
/// first line that a profile recognises (header names, delimiter sniffed among `;`, `,`, tab and
/// `|`, most frequent first) is the header; an Excel `sep=;` first line fixes the delimiter. The
/// profiles are tried in the order given: pass the user's own first, then `CSVProfile.builtIn`.
/// Blank lines and rows whose fields are all empty are skipped.
///
/// Events: `.account` before the first transaction (again whenever an account column changes
/// value), one `.transaction` per row, and at the end a `.balance` when the preamble states one.
public struct CSVReader: StatementReader {
    /// How many lines may come before the header.
    public static let maximumHeaderSearchLines = 100
    /// The largest record (one row, quoted line breaks included) in bytes.
    public static let maximumRecordSize = 1024 * 1024

    private enum Phase {
        case header
        case rows
        case trailer
        case finished
    }

    private static let extraDatePatterns: [LocalDatePattern] = ["dd.MM.yyyy", "yyyy-MM-dd"].compactMap {
        try? LocalDatePattern($0)
    }

    private var lines: LineReader
    private let profiles: [CSVProfile]
    private var phase = Phase.header
    private var layout: CSVLayout?
    private var tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ";"))
    private var columnMap: [Int?]?
    private var preambleAccount: String?
    private var closingBalance: StatementBalance?
    private var accountEmitted = false
    private var currentAccount: String?
    private var queued: StatementEvent?
    private var failure: StatementError?

    /// - Parameters:
    ///   - source: the file's bytes.
    ///   - profiles: the layouts to recognise, tried in order (user profiles first, then built-ins).
    ///   - encoding: the encoding to use instead of detecting one.
    public init(source: some ByteSource, profiles: [CSVProfile] = CSVProfile.builtIn, encoding: TextEncoding? = nil) {
        self.lines = LineReader(source: source, encoding: encoding, maximumLineLength: Self.maximumRecordSize)
        self.profiles = profiles
    }

    /// The profile that matched the header, once the header was read.
    public var profile: CSVProfile? { layout?.profile }

    /// The file's encoding, once known.
    public var encoding: TextEncoding? { lines.encoding }

    /// The next event, or nil at the end of the file.
    /// - Throws: `StatementError` with the line where the offending record starts, the column and
    ///   the value. After an error every call throws it again.
    public mutating func next() throws(StatementError) -> StatementEvent? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(StatementError) -> StatementEvent? {
        while true {
            if let event = queued {
                queued = nil
                return event
            }
            switch phase {
            case .header:
                try readHeader()
                phase = .rows
            case .rows:
                if let event = try nextRow() { return event }
                phase = .trailer
            case .trailer:
                phase = .finished
                if !accountEmitted, let layout {
                    accountEmitted = true
                    queued = closingBalance.map(StatementEvent.balance)
                    return .account(
                        StatementAccount(
                            identifier: preambleAccount, currency: layout.profile.currency,
                            institution: layout.profile.institution))
                }
                if let closingBalance { return .balance(closingBalance) }
            case .finished:
                return nil
            }
        }
    }

    // MARK: Header

    private mutating func readHeader() throws(StatementError) {
        for profile in profiles {
            do {
                try profile.validate()
            } catch {
                throw StatementError(line: nil, value: profile.name, message: error.message)
            }
        }
        var preamble: [(number: Int, bytes: [UInt8])] = []
        var candidate: (line: Int, fields: [String])?
        var forcedDelimiter: UInt8?
        var sawText = false
        while let line = try lines.next(), line.number <= Self.maximumHeaderSearchLines {
            if line.isBlank { continue }
            if !sawText, let delimiter = Self.excelSeparatorHint(line.bytes) {
                forcedDelimiter = delimiter
                sawText = true
                continue
            }
            sawText = true
            let delimiters = forcedDelimiter.map { [$0] } ?? Self.candidateDelimiters(in: line.bytes)
            if let (layout, delimiter) = match(line.bytes, delimiters: delimiters) {
                var headerTokenizer = CSVTokenizer(delimiter: delimiter)
                _ = headerTokenizer.add(line.bytes)
                tokenizer = CSVTokenizer(delimiter: delimiter)
                tokenizer.repairsStrayClosingQuote = headerTokenizer.sawQuotedField
                self.layout = layout
                try readPreamble(preamble, layout: layout, delimiter: delimiter)
                return
            }
            preamble.append((line.number, Array(line.bytes.prefix(4096))))
            if let delimiter = delimiters.first {
                let fields = CSVTokenizer.split(line.bytes, delimiter: delimiter)
                if fields.count > candidate?.fields.count ?? 0 { candidate = (line.number, fields) }
            }
        }
        guard let candidate else {
            throw StatementError(
                line: nil, message: "the file has no CSV header (it is empty or holds a single column)")
        }
        let names = candidate.fields.map { $0.trimmingBlanks() }
        throw StatementError(
            line: candidate.line, value: names.joined(separator: ", "),
            message:
                "no CSV profile matches the header [\(names.joined(separator: " | "))]; add a [[csv.profiles]] "
                + "entry for this layout to the configuration (see docs/formats.md, section CSV)"
        )
    }

    /// Finds the first profile, in order, that recognises the line split at one of `delimiters`.
    private func match(_ line: ArraySlice<UInt8>, delimiters: [UInt8]) -> (CSVLayout, UInt8)? {
        var splits: [UInt8: [String]] = [:]
        for profile in profiles {
            for delimiter in delimiters where profile.delimiterByte == nil || profile.delimiterByte == delimiter {
                let header = splits[delimiter] ?? CSVTokenizer.split(line, delimiter: delimiter)
                splits[delimiter] = header
                if let layout = CSVLayout(profile: profile, header: header) { return (layout, delimiter) }
            }
        }
        return nil
    }

    /// The sniffed delimiters present in a line, most frequent first (ties in `sniffedDelimiters` order).
    private static func candidateDelimiters(in line: ArraySlice<UInt8>) -> [UInt8] {
        CSVProfile.sniffedDelimiters.compactMap { $0.utf8.first }
            .map { ($0, CSVTokenizer.count(of: $0, in: line)) }
            .filter { $0.1 > 0 }
            .enumerated()
            .sorted { $0.element.1 != $1.element.1 ? $0.element.1 > $1.element.1 : $0.offset < $1.offset }
            .map { $0.element.0 }
    }

    /// The delimiter of an Excel `sep=;` line.
    private static func excelSeparatorHint(_ line: ArraySlice<UInt8>) -> UInt8? {
        let bytes = Array(line)
        guard bytes.count == 5, String(decoding: bytes.prefix(4), as: UTF8.self).lowercased() == "sep=",
            bytes[4] < 0x80, bytes[4] != UInt8(ascii: "\"")
        else { return nil }
        return bytes[4]
    }

    /// Takes the account and the closing balance from the lines before the header, as the profile says.
    private mutating func readPreamble(
        _ preamble: [(number: Int, bytes: [UInt8])], layout: CSVLayout, delimiter: UInt8
    ) throws(StatementError) {
        let profile = layout.profile
        for line in preamble {
            let fields = CSVTokenizer.split(line.bytes[...], delimiter: delimiter).map { $0.trimmingBlanks() }
            if profile.accountFromPreamble, preambleAccount == nil {
                preambleAccount = fields.lazy.map { $0.filter { $0 != " " } }.first(where: Self.looksLikeIBAN)
            }
            if let label = profile.closingBalanceLabel, closingBalance == nil, fields.count >= 2,
                fields[0].lowercased().hasPrefix(label.trimmingBlanks().lowercased())
            {
                let amount: Amount
                do {
                    amount = try layout.amountFormat.parse(fields[1])
                } catch {
                    throw StatementError(line: line.number, field: fields[0], value: fields[1], message: error.message)
                }
                let rest = fields[0].dropFirst(label.trimmingBlanks().count)
                    .trimmingPrefix(while: { $0 == " " || $0 == ":" })
                let dateText = String(rest.reversed().drop(while: { $0 == " " || $0 == ":" }).reversed())
                let date = ([layout.datePattern] + Self.extraDatePatterns).lazy.compactMap {
                    try? $0.parse(dateText)
                }.first
                closingBalance = StatementBalance(
                    kind: .closing, amount: amount.padded(toScale: 2), date: date, currency: profile.currency)
            }
        }
    }

    /// Whether a string has the shape of an IBAN (country, check digits, 11 to 30 letters or digits).
    static func looksLikeIBAN(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (15...34).contains(bytes.count) else { return false }
        func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return isLetter(bytes[0]) && isLetter(bytes[1]) && isDigit(bytes[2]) && isDigit(bytes[3])
            && bytes[4...].allSatisfy { isLetter($0) || isDigit($0) }
    }

    // MARK: Rows

    private mutating func nextRow() throws(StatementError) -> StatementEvent? {
        guard let layout else { return nil }
        while true {
            tokenizer.reset()
            guard let first = try lines.next() else { return nil }
            let start = first.number
            var complete = tokenizer.add(first.bytes)
            while !complete {
                if tokenizer.storage.count > Self.maximumRecordSize {
                    throw StatementError(
                        line: start, field: layout.name(ofColumn: tokenizer.fields.count),
                        message: "the record is longer than \(Self.maximumRecordSize) bytes: is a quote not closed?")
                }
                guard let more = try lines.next() else {
                    throw StatementError(
                        line: start, field: layout.name(ofColumn: tokenizer.fields.count),
                        message: "a quoted field that starts in this record is never closed")
                }
                complete = tokenizer.add(more.bytes)
            }
            if tokenizer.isBlankRecord { continue }
            return try event(forRowAt: start, layout: layout)
        }
    }

    private mutating func event(forRowAt line: Int, layout: CSVLayout) throws(StatementError) -> StatementEvent {
        if let nul = tokenizer.nulFieldIndex {
            let shown = String(decoding: tokenizer.field(nul), as: UTF8.self).unicodeScalars
                .map { $0 == "\0" ? "\\0" : String($0) }.joined()
            throw StatementError(
                line: line, field: layout.name(ofColumn: nul), value: shown,
                message: "the field contains a NUL byte: is this a UTF-16 file without a byte order mark, or not text?")
        }
        try mapColumns(line: line, layout: layout)
        let profile = layout.profile

        let dateBytes = try required(layout.date, line: line, layout: layout, what: "booking date")
        let bookingDate: LocalDate
        do {
            bookingDate = try layout.datePattern.parse(dateBytes)
        } catch {
            throw StatementError(
                line: line, field: layout.name(ofColumn: layout.date), value: Self.text(dateBytes),
                message: error.message)
        }
        var valueDate: LocalDate?
        if let column = layout.valueDate, let bytes = value(column), !bytes.trimmingBlanks().isEmpty {
            do {
                valueDate = try layout.datePattern.parse(bytes)
            } catch {
                throw StatementError(
                    line: line, field: layout.name(ofColumn: column), value: Self.text(bytes), message: error.message)
            }
        }
        var amount = try readAmount(line: line, layout: layout)
        if profile.negateAmounts { amount = -amount }
        amount = amount.padded(toScale: 2)

        let currency =
            layout.currency.flatMap { value($0) }.flatMap(Self.text).map(Self.normalizedCurrency) ?? profile.currency
        let counterparty = layout.payer != nil && amount > .zero ? layout.payer : layout.payee
        let description: String?
        if layout.descriptions.count == 1 {
            // The usual layout: no arrays per row for one column.
            description = value(layout.descriptions[0]).flatMap(Self.text)
        } else {
            let parts = layout.descriptions.compactMap { value($0) }.compactMap(Self.text)
            description = parts.count > 1 ? parts.joined(separator: profile.descriptionSeparator) : parts.first
        }
        let transaction = StatementTransaction(
            bookingDate: bookingDate, valueDate: valueDate, amount: amount, currency: currency,
            payee: counterparty.flatMap { value($0) }.flatMap(Self.text),
            description: description,
            bankID: layout.bankID.flatMap { value($0) }.flatMap(Self.text),
            category: layout.category.flatMap { value($0) }.flatMap(Self.text),
            line: line)

        let account = layout.account != nil ? layout.account.flatMap { value($0) }.flatMap(Self.text) : preambleAccount
        if !accountEmitted || (layout.account != nil && account != currentAccount) {
            accountEmitted = true
            currentAccount = account
            queued = .transaction(transaction)
            return .account(StatementAccount(identifier: account, currency: currency, institution: profile.institution))
        }
        return .transaction(transaction)
    }

    /// Checks the field count against the header; for a short row the profile allows, maps header
    /// columns to fields around the omitted ones.
    private mutating func mapColumns(line: Int, layout: CSVLayout) throws(StatementError) {
        columnMap = nil
        let fieldCount = tokenizer.fields.count
        let headerCount = layout.header.count
        if fieldCount < headerCount {
            let missing = headerCount - fieldCount
            guard missing <= layout.shortRowOmits.count else {
                throw StatementError(
                    line: line, field: layout.name(ofColumn: fieldCount),
                    message:
                        "the row has \(fieldCount) fields but the header has \(headerCount): "
                        + "\(layout.name(ofColumn: fieldCount)) and later columns are missing"
                )
            }
            let omitted = Set(layout.shortRowOmits.prefix(missing))
            var map = [Int?](repeating: nil, count: headerCount)
            var next = 0
            for column in 0..<headerCount where !omitted.contains(column) {
                map[column] = next
                next += 1
            }
            columnMap = map
        } else if fieldCount > headerCount {
            for extra in headerCount..<fieldCount where !tokenizer.field(extra).trimmingBlanks().isEmpty {
                throw StatementError(
                    line: line, field: layout.name(ofColumn: extra), value: Self.text(tokenizer.field(extra)),
                    message:
                        "the row has \(fieldCount) fields but the header has \(headerCount): "
                        + "is a delimiter inside an unquoted field?"
                )
            }
        }
    }

    private func value(_ column: Int) -> ArraySlice<UInt8>? {
        if let columnMap {
            return columnMap[column].map { tokenizer.field($0) }
        }
        return column < tokenizer.fields.count ? tokenizer.field(column) : nil
    }

    private func required(_ column: Int, line: Int, layout: CSVLayout, what: String) throws(StatementError)
        -> ArraySlice<UInt8>
    {
        guard let bytes = value(column), !bytes.trimmingBlanks().isEmpty else {
            throw StatementError(
                line: line, field: layout.name(ofColumn: column), value: "", message: "the \(what) is empty")
        }
        return bytes
    }

    private func readAmount(line: Int, layout: CSVLayout) throws(StatementError) -> Amount {
        func parse(_ column: Int) throws(StatementError) -> Amount? {
            guard let bytes = value(column), !bytes.trimmingBlanks().isEmpty else { return nil }
            do {
                return try layout.amountFormat.parse(bytes)
            } catch {
                throw StatementError(
                    line: line, field: layout.name(ofColumn: column), value: Self.text(bytes), message: error.message)
            }
        }
        if let column = layout.amount {
            guard let amount = try parse(column) else {
                throw StatementError(
                    line: line, field: layout.name(ofColumn: column), value: "", message: "the amount is empty")
            }
            return amount
        }
        let debit = try layout.debit.flatMap { column throws(StatementError) in try parse(column) }
        let credit = try layout.credit.flatMap { column throws(StatementError) in try parse(column) }
        switch (debit, credit) {
        case (let debit?, let credit?) where debit != .zero && credit != .zero:
            throw StatementError(
                line: line, field: layout.name(ofColumn: layout.debit ?? 0),
                value: Self.text(value(layout.debit ?? 0) ?? []),
                message: "both the debit and the credit column hold an amount")
        case (let debit?, _) where debit != .zero || credit == nil:
            return debit.isNegative ? debit : -debit
        case (_, let credit?):
            return credit.isNegative ? -credit : credit
        default:
            let column = layout.debit ?? layout.credit ?? 0
            throw StatementError(
                line: line, field: layout.name(ofColumn: column), value: "",
                message: "neither the debit nor the credit column holds an amount")
        }
    }

    /// The field without surrounding blanks, or nil when nothing is left.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        let core = bytes.trimmingBlanks()
        return core.isEmpty ? nil : String(decoding: core, as: UTF8.self)
    }

    /// `eur` and `€` read as `EUR`, `£` as `GBP`; anything else is kept as written.
    static func normalizedCurrency(_ text: String) -> String {
        switch text {
        case "€": return "EUR"
        case "£": return "GBP"
        default:
            let utf8 = text.utf8
            guard utf8.count == 3, utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return text }
            // Most files write `EUR` already: no new String per row.
            return utf8.allSatisfy({ $0 <= 0x5A }) ? text : text.uppercased()
        }
    }
}
