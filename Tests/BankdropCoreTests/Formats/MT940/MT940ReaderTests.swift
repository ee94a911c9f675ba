import Testing

@testable import BankdropCore

/// Look-alike MT940 fixtures, one quirk each.
@Suite("MT940 reader")
struct MT940ReaderTests {
    /// One statement; `entries` start on line 5 (after :20:, :25:, :28C:, :60F:).
    static func statement(_ entries: String, account: String = "10020030/1234567", currency: String = "EUR") -> String {
        ":20:STARTUMS\n:25:\(account)\n:28C:1/1\n:60F:C231229\(currency)100,00\n" + entries
            + ":62F:C240102\(currency)50,00\n-\n"
    }

    static func transactions(_ events: [StatementEvent]) -> [StatementTransaction] {
        events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }
    }

    // MARK: - Quirks

    struct Quirk: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var date: String
        var valueDate: String
        var amount: String
        var payee: String? = nil
        var description: String? = nil
        var bankID: String? = nil
        var testDescription: String { name }
    }

    static func quirk(
        _ name: String, _ text: String, date: String, valueDate: String, amount: String, payee: String? = nil,
        description: String? = nil, bankID: String? = nil
    ) -> Quirk {
        Quirk(
            name: name, bytes: Array(text.utf8), date: date, valueDate: valueDate, amount: amount, payee: payee,
            description: description, bankID: bankID)
    }

    static let quirks: [Quirk] = [
        quirk(
            "value date only", statement(":61:240102D12,50NTRFNONREF\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "-12.50"),
        quirk(
            "entry date is the booking date", statement(":61:2401050103CR1,NTRFNONREF//B-1\n"), date: "2024-01-03",
            valueDate: "2024-01-05", amount: "1.00", bankID: "B-1"),
        quirk(
            "year end: value 151231, entry 0101 books in the next year", statement(":61:1512310101DR5,NMSCNONREF\n"),
            date: "2016-01-01", valueDate: "2015-12-31", amount: "-5.00"),
        quirk(
            "year start: value 160101, entry 1231 books in the year before",
            statement(":61:1601011231DR5,NMSCNONREF\n"),
            date: "2015-12-31", valueDate: "2016-01-01", amount: "-5.00"),
        quirk(
            "reversal of credit is money out", statement(":61:240102RCR204,88NRTINONREF\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "-204.88"),
        quirk(
            "reversal of debit is money in", statement(":61:240102RD204,88NRTINONREF\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "204.88"),
        quirk(
            "funds code is optional", statement(":61:240102C7,5NTRFNONREF\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "7.50"),
        quirk(
            "three decimals are kept", statement(":61:240102D1,125NTRFNONREF\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "-1.125"),
        quirk(
            "JPY keeps zero decimals", statement(":61:240102D1500,NTRFNONREF\n", currency: "JPY"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "-1500"),
        quirk(
            "customer reference with spaces and bank reference",
            statement(":61:0709040904CR300,NTRFTFNr 40005 MSGID//0724710345313905\n"), date: "2007-09-04",
            valueDate: "2007-09-04", amount: "300.00", bankID: "0724710345313905"),
        quirk(
            "supplementary details line is the description when there is no :86:",
            statement(":61:240102CN0,01NTRFNONREF//MB1\n911-TRANSAKCJA IPH\n"), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "0.01", description: "911-TRANSAKCJA IPH", bankID: "MB1"),
        quirk(
            "German :86: cut anywhere, even inside ?NN",
            statement(
                ":61:240102DR17,90NDDTKREF+\n:86:105?00Basislastschrift?10931?20EREF+1?21SVWZ+Rechnung \n"
                    + "4711?2\n2 Danke?30PPLXLUL2?31LU89751000135104200E?32PayPal Europe S.a.r.l. et C\n?33ie S.C.A\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-17.90", payee: "PayPal Europe S.a.r.l. et Cie S.C.A",
            description: "EREF+1SVWZ+Rechnung 4711 Danke"),
        quirk(
            "?60-?63 continue the purpose; no ?32 means no payee",
            statement(":61:240102DR6,00NMSCNONREF\n:86:805?00Abschluss?20SVWZ+Abschluss?60 per 30.11.2025\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-6.00", description: "SVWZ+Abschluss per 30.11.2025"),
        quirk(
            "posting text when there is no purpose",
            statement(":61:240102DR6,00NMSCNONREF\n:86:079?00SAMMLER?109800\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-6.00", description: "SAMMLER"),
        quirk(
            "free-text :86: lines joined with a space, no payee",
            statement(":61:240102D9,N192NONREF\n:86:GIRO   428428 KPN\n5314606715  BETREFT\nINCL. 1,44 BTW\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-9.00",
            description: "GIRO   428428 KPN 5314606715  BETREFT INCL. 1,44 BTW"),
        quirk(
            "payee with apostrophe, backslash, tab and SQL-looking text",
            statement(
                ":61:240102D1,NTRFNONREF\n:86:166?00X?20Robert'); DROP TABLE transactions;--?32O'Brien \\.\tCafé\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-1.00", payee: "O'Brien \\.\tCafé",
            description: "Robert'); DROP TABLE transactions;--"),
        quirk(
            ":NS:, :64:, :65: and blank lines are tolerated",
            statement(":61:240102D2,NTRFNONREF\n:NS:15ERGO\n16lep\n\n:86:free text\n").replacing(
                ":62F:C240102EUR50,00\n", with: ":62F:C240102EUR50,00\n:64:C240102EUR50,00\n:65:C240103EUR50,00\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00", description: "free text"),
        Quirk(
            name: "ISO-8859-1 text in :86:",
            bytes: Array(statement(":61:240102D2,NTRFNONREF\n:86:166?32M\u{FC}ller\n").utf8).replacing(
                [0xC3, 0xBC], with: [0xFC]), date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00",
            payee: "Müller"),
        quirk(
            "SOH/ETX envelope and CRLF",
            "\u{1}\r\n"
                + statement(":61:240102D2,NTRFNONREF\r\n:86:x\r\n").replacing("\n", with: "\r\n")
                .replacing("-\r\n", with: "-\u{3}"), date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00",
            description: "x"),
        quirk(
            "SWIFT blocks {1:}{2:}{4: and -} trailer",
            "{1:F01TESTDEFFAXXX0000000000}{2:O9401200240102TESTDEFFAXXX00000000002401021200N}{4:\n"
                + statement(":61:240102D2,NTRFNONREF\n").replacing("-\n", with: "-}{5:{CHK:123456789ABC}}\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00"),
        Quirk(
            name: "UTF-8 BOM before :20:",
            bytes: [0xEF, 0xBB, 0xBF] + Array(statement(":61:240102D2,NTRFNONREF\n").utf8), date: "2024-01-02",
            valueDate: "2024-01-02", amount: "-2.00"),
        Quirk(
            name: "UTF-16LE with BOM",
            bytes: [0xFF, 0xFE]
                + statement(":61:240102D2,NTRFNONREF\n:86:166?32Gr\u{F6}\u{DF}e\n").utf16.flatMap {
                    [UInt8($0 & 0xFF), UInt8($0 >> 8)]
                }, date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00", payee: "Gr\u{F6}\u{DF}e"),
        quirk(
            "bank header lines before :20:", "ABNANL2A\n940\nABNANL2A\n" + statement(":61:240102D2,NTRFNONREF\n"),
            date: "2024-01-02", valueDate: "2024-01-02", amount: "-2.00"),
    ]

    @Test("reads the quirk", arguments: quirks)
    func quirk(_ quirk: Quirk) throws {
        let events = try readAll(MT940Reader(InMemoryByteSource(quirk.bytes)))
        let transactions = Self.transactions(events)
        #expect(transactions.count == 1)
        let transaction = try #require(transactions.first)
        #expect(transaction.bookingDate == LocalDate(iso: quirk.date))
        #expect(transaction.valueDate == LocalDate(iso: quirk.valueDate))
        #expect(transaction.amount.description == quirk.amount)
        #expect(transaction.payee == quirk.payee)
        #expect(transaction.description == quirk.description)
        #expect(transaction.bankID == quirk.bankID)
        for chunkSize in [1, 7] {
            #expect(try readAll(MT940Reader(InMemoryByteSource(quirk.bytes, chunkSize: chunkSize))) == events)
        }
    }

    @Test("events of several statements, each with its account and balances")
    func severalStatements() throws {
        let text =
            Self.statement(":61:240102D12,50NTRFNONREF//R1\n:86:166?32A\n")
            + Self.statement(":61:240103C1,NTRFNONREF\n", account: "DE02100100109307118603", currency: "USD")
            .replacing(":60F:", with: ":60M:").replacing(":62F:", with: ":62M:")
        let events = try readAll(MT940Reader(InMemoryByteSource(text)))
        let december29 = LocalDate(year: 2023, month: 12, day: 29)
        let january2 = LocalDate(year: 2024, month: 1, day: 2)
        let january3 = try #require(LocalDate(year: 2024, month: 1, day: 3))
        #expect(
            events == [
                .account(StatementAccount(identifier: "10020030/1234567", currency: "EUR")),
                .balance(
                    StatementBalance(
                        kind: .opening, amount: Amount(units: 10000, scale: 2), date: december29, currency: "EUR")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(january2), valueDate: january2,
                        amount: Amount(units: -1250, scale: 2),
                        currency: "EUR", payee: "A", bankID: "R1", line: 5)),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: 5000, scale: 2), date: january2, currency: "EUR")),
                .account(StatementAccount(identifier: "DE02100100109307118603", currency: "USD")),
                .balance(
                    StatementBalance(
                        kind: .opening, amount: Amount(units: 10000, scale: 2), date: december29, currency: "USD")),
                .transaction(
                    StatementTransaction(
                        bookingDate: january3, valueDate: january3, amount: Amount(units: 100, scale: 2),
                        currency: "USD",
                        line: 13)),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: 5000, scale: 2), date: january2, currency: "USD")),
            ])
    }

    @Test("debit balances are negative")
    func debitBalance() throws {
        let text = Self.statement("").replacing(":60F:C231229EUR100,00", with: ":60F:D231229EUR1234718,36")
        let events = try readAll(MT940Reader(InMemoryByteSource(text)))
        #expect(
            events.contains(
                .balance(
                    StatementBalance(
                        kind: .opening, amount: Amount(units: -123_471_836, scale: 2),
                        date: LocalDate(year: 2023, month: 12, day: 29), currency: "EUR"))))
    }

    // MARK: - Errors

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var line: Int?
        var field: String?
        var value: String?
        var testDescription: String { name }
    }

    static func failure(_ name: String, _ text: String, line: Int?, field: String?, value: String?) -> Failure {
        Failure(name: name, bytes: Array(text.utf8), line: line, field: field, value: value)
    }

    static let failures: [Failure] = [
        failure(
            "30 February value date", statement(":61:1602300301DR6,00N024NONREF\n"), line: 5, field: ":61:",
            value: "160230"),
        failure(
            "30 February entry date", statement(":61:1603010230DR6,00N024NONREF\n"), line: 5, field: ":61:",
            value: "0230"),
        failure("month 13", statement(":61:241301D1,NTRFNONREF\n"), line: 5, field: ":61:", value: "241301"),
        failure("short date", statement(":61:2401D1,NTRFNONREF\n"), line: 5, field: ":61:", value: "2401D1"),
        failure("unknown mark", statement(":61:240102X1,NTRFNONREF\n"), line: 5, field: ":61:", value: "X1"),
        failure(
            "decimal point", statement(":61:240102D12.50NTRFNONREF\n"), line: 5, field: ":61:", value: "12.50NTRFNONREF"
        ),
        failure("no amount", statement(":61:240102DNTRFNONREF\n"), line: 5, field: ":61:", value: "TRFNONREF"),
        failure(
            ":61: before any :25:", ":20:X\n:28C:1\n:61:240102D1,NTRFNONREF\n:62F:C240102EUR1,\n-\n", line: 3,
            field: ":61:", value: "240102D1,NTRFNONREF"),
        failure(
            "bad opening balance date", statement("").replacing(":60F:C231229", with: ":60F:C231232"), line: 4,
            field: ":60F:", value: "231232"),
        failure(
            "bad closing balance amount", statement("").replacing(":62F:C240102EUR50,00", with: ":62F:C240102EUR5O,00"),
            line: 5, field: ":62F:", value: "5O,00"),
        failure(
            "balance without currency", statement("").replacing(":60F:C231229EUR100,00", with: ":60F:C231229100,00"),
            line: 4, field: ":60F:", value: "C231229100,00"),
        failure(
            "truncated before the closing balance",
            ":20:X\n:25:1\n:60F:C240101EUR1,\n:61:240102D1,NTRFNONREF\n:86:abc\n",
            line: 5, field: ":62F:", value: nil),
        failure("NUL byte", statement(":61:240102D1,NTRFNONREF\n:86:a\u{0}b\n"), line: 6, field: nil, value: "\\0"),
        failure("not MT940", "Date;Amount\n2024-01-02;5\n", line: nil, field: ":20:", value: nil),
        failure("empty file", "", line: nil, field: ":20:", value: nil),
    ]

    @Test("refuses with line, field and value", arguments: failures)
    func failure(_ failure: Failure) throws {
        for chunkSize in [1, 7, 65536] {
            let error = try #require(throws: StatementError.self) {
                try readAll(MT940Reader(InMemoryByteSource(failure.bytes, chunkSize: chunkSize)))
            }
            #expect(error.line == failure.line)
            #expect(error.field == failure.field)
            #expect(error.value == failure.value)
        }
    }

    @Test(
        "the entry date takes the year nearest the value date",
        arguments: [
            ("151231", "0101", "2016-01-01"), ("160101", "1231", "2015-12-31"), ("160615", "0614", "2016-06-14"),
            ("160301", "0229", "2016-02-29"), ("170301", "0229", "2016-02-29"),
        ])
    func nearestYear(value: String, entry: String, booking: String) throws {
        let valueDate = try #require(MT940Values.date(yymmdd: value))
        #expect(MT940Values.entryDate(mmdd: entry, near: valueDate) == LocalDate(iso: booking))
    }
}

extension MT940ReaderTests {
    @Test("streams a generated file of 20,000 transactions")
    func streaming() throws {
        let parts = Self.statement("SPLIT").split(separator: "SPLIT").map(String.init)
        let source = GeneratedByteSource(header: parts[0], count: 20_000, footer: parts[1]) { index in
            ":61:2401020102DR0,01NTRFNONREF//\(index)\n:86:166?00X?20Coffee?32Caf\n?33e\n"
        }
        var reader = MT940Reader(source)
        var count = 0
        var sum = Amount.zero
        while let event = try reader.next() {
            if case .transaction(let transaction) = event {
                count += 1
                sum = sum + transaction.amount
                #expect(transaction.payee == "Cafe")
            }
        }
        #expect(count == 20_000)
        #expect(sum == Amount(units: -20_000, scale: 2))
    }
}
