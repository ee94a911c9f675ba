import Testing

@testable import BankdropCore

/// Look-alike OFX fixtures, one quirk each.
@Suite("OFX reader")
struct OFXReaderTests {
    /// An OFX 1.x SGML file: header, then `<OFX>` with unclosed leaf tags.
    static func sgml(
        _ statements: String, header: String = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n"
    )
        -> String
    {
        header + "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><FI><ORG>Test Bank</FI>"
            + "</SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n" + statements + "</BANKMSGSRSV1></OFX>\n"
    }

    /// One bank statement in SGML for account `id` with `transactions` inside BANKTRANLIST.
    static func statement(_ transactions: String, id: String = "12345", currency: String = "USD") -> String {
        "<STMTTRNRS><TRNUID>1<STMTRS><CURDEF>\(currency)<BANKACCTFROM><BANKID>999<ACCTID>\(id)"
            + "<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n"
            + transactions
            + "</BANKTRANLIST><LEDGERBAL><BALAMT>100.00<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS>\n"
    }

    /// One SGML STMTTRN.
    static func transaction(
        amount: String = "-1.00", posted: String = "20240115", fitid: String = "F1", name: String? = "Shop",
        extra: String = ""
    ) -> String {
        "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>\(posted)<TRNAMT>\(amount)<FITID>\(fitid)"
            + (name.map { "<NAME>\($0)" } ?? "") + extra + "</STMTTRN>\n"
    }

    static func transactions(_ events: [StatementEvent]) -> [StatementTransaction] {
        events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }
    }

    // MARK: - Quirks

    struct Quirk: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var date: String
        var amount: String
        var payee: String?
        var description: String? = nil
        var bankID: String? = "F1"
        var valueDate: String? = nil
        var currency: String? = "USD"
        var accountCurrency = "USD"
        var testDescription: String { name }
    }

    static let quirks: [Quirk] = [
        Quirk(
            name: "SGML with unclosed leaf tags", bytes: Array(sgml(statement(transaction())).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "blank lines before the header",
            bytes: Array(("\n\r\n  \n" + sgml(statement(transaction()))).utf8), date: "2024-01-15", amount: "-1.00",
            payee: "Shop"),
        Quirk(
            name: "UTF-8 BOM before the header",
            bytes: [0xEF, 0xBB, 0xBF] + Array(sgml(statement(transaction())).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "no header at all", bytes: Array(sgml(statement(transaction()), header: "\r\n\r\n").utf8),
            date: "2024-01-15", amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "zone [-5:EST] is not applied",
            bytes: Array(sgml(statement(transaction(posted: "20051021000000[-5:EST]"))).utf8), date: "2005-10-21",
            amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "zone [+10:AEST] just after midnight is not applied",
            bytes: Array(sgml(statement(transaction(posted: "20051021003000.000[+10:AEST]"))).utf8),
            date: "2005-10-21", amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "zone without name and fractional offset",
            bytes: Array(sgml(statement(transaction(posted: "20240229235959.123[-3.5]"))).utf8), date: "2024-02-29",
            amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "SGML entities and character references",
            bytes: Array(sgml(statement(transaction(name: "Barnes &amp; Noble &lt;3 &#233;&#x20AC; AT&T"))).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "Barnes & Noble <3 é€ AT&T"),
        Quirk(
            name: "apostrophe, backslash-dot, tab and SQL-looking text stay as written",
            bytes: Array(
                sgml(statement(transaction(name: "O'Brien's \\. Café\tBar'); DROP TABLE transactions;--"))).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "O'Brien's \\. Café\tBar'); DROP TABLE transactions;--"),
        Quirk(
            name: "UTF-8 bytes win over a declared CHARSET:1252",
            bytes: Array(sgml(statement(transaction(name: "SQ *ECCO UN POCO ¦ NATURA"))).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "SQ *ECCO UN POCO ¦ NATURA"),
        Quirk(
            name: "bytes that are not UTF-8 are Windows-1252",
            bytes: Array(sgml(statement(transaction(name: "CAFE"))).utf8).replacing(
                Array("CAFE".utf8), with: [0x43, 0x41, 0x46, 0xC9, 0x20, 0x80, 0x35]),
            date: "2024-01-15", amount: "-1.00", payee: "CAFÉ €5"),
        Quirk(
            name: "three decimals are kept",
            bytes: Array(sgml(statement(transaction(amount: "-12.345"), currency: "KWD")).utf8), date: "2024-01-15",
            amount: "-12.345", payee: "Shop", currency: "KWD", accountCurrency: "KWD"),
        Quirk(
            name: "JPY has no decimals to pad",
            bytes: Array(sgml(statement(transaction(amount: "-1500"), currency: "JPY")).utf8), date: "2024-01-15",
            amount: "-1500", payee: "Shop", currency: "JPY", accountCurrency: "JPY"),
        Quirk(
            name: "integer amounts are padded to two decimals",
            bytes: Array(sgml(statement(transaction(amount: "+25"))).utf8), date: "2024-01-15", amount: "25.00",
            payee: "Shop"),
        Quirk(
            name: "MEMO is the description, DTAVAIL the value date",
            bytes: Array(
                sgml(statement(transaction(extra: "<MEMO>Card 1234 &amp; more<DTAVAIL>20240117000000"))).utf8),
            date: "2024-01-15", amount: "-1.00", payee: "Shop", description: "Card 1234 & more",
            valueDate: "2024-01-17"),
        Quirk(
            name: "PAYEE aggregate carries the name",
            bytes: Array(
                sgml(statement(transaction(name: nil, extra: "<PAYEE><NAME>Landlord Ltd<ADDR1>1 Road</PAYEE>")))
                    .utf8), date: "2024-01-15", amount: "-1.00", payee: "Landlord Ltd"),
        Quirk(
            name: "no NAME means no payee, even with a MEMO",
            bytes: Array(sgml(statement(transaction(name: nil, extra: "<MEMO>SOME MEMO"))).utf8),
            date: "2024-01-15", amount: "-1.00", payee: nil, description: "SOME MEMO"),
        Quirk(
            name: "counterparty account in BANKACCTTO is not the statement's account",
            bytes: Array(
                sgml(
                    statement(
                        transaction(extra: "<BANKACCTTO><BANKID>1<ACCTID>OTHER<ACCTTYPE>SAVINGS</BANKACCTTO>"))
                )
                .utf8), date: "2024-01-15", amount: "-1.00", payee: "Shop"),
        Quirk(
            name: "transaction in another currency",
            bytes: Array(
                sgml(statement(transaction(amount: "-3", extra: "<CURRENCY><CURRATE>1.1<CURSYM>EUR</CURRENCY>")))
                    .utf8), date: "2024-01-15", amount: "-3.00", payee: "Shop", currency: "EUR"),
    ]

    @Test("reads the quirk", arguments: quirks)
    func quirk(_ quirk: Quirk) throws {
        let events = try readAll(OFXReader(InMemoryByteSource(quirk.bytes)))
        #expect(
            events.first
                == .account(
                    StatementAccount(identifier: "12345", currency: quirk.accountCurrency, institution: "Test Bank")))
        let transaction = try #require(Self.transactions(events).first)
        #expect(Self.transactions(events).count == 1)
        #expect(transaction.bookingDate == LocalDate(iso: quirk.date))
        #expect(transaction.amount.description == quirk.amount)
        #expect(transaction.payee == quirk.payee)
        #expect(transaction.description == quirk.description)
        #expect(transaction.bankID == quirk.bankID)
        #expect(transaction.valueDate == quirk.valueDate.flatMap { LocalDate(iso: $0) })
        #expect(transaction.currency == quirk.currency)
        for chunkSize in [1, 7] {
            #expect(try readAll(OFXReader(InMemoryByteSource(quirk.bytes, chunkSize: chunkSize))) == events)
        }
    }

    @Test("OFX 2.x XML with CDATA, comments and several accounts, bank and card")
    func xmlSeveralAccounts() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
            <OFX>
              <!-- a comment <STMTTRN> that must be ignored -->
              <BANKMSGSRSV1>
                <STMTTRNRS><TRNUID>1</TRNUID>
                  <STMTRS>
                    <CURDEF>EUR</CURDEF>
                    <BANKACCTFROM><BANKID>1</BANKID><ACCTID>DE001</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
                    <BANKTRANLIST>
                      <STMTTRN>
                        <TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20231231</DTPOSTED><TRNAMT>1000.5</TRNAMT>
                        <FITID>A1</FITID><NAME><![CDATA[Smith & Sons <GmbH>  ]]></NAME><MEMO/>
                      </STMTTRN>
                    </BANKTRANLIST>
                    <LEDGERBAL><BALAMT>-20.10</BALAMT><DTASOF>20240101120000[+1:CET]</DTASOF></LEDGERBAL>
                  </STMTRS>
                </STMTTRNRS>
              </BANKMSGSRSV1>
              <CREDITCARDMSGSRSV1>
                <CCSTMTTRNRS><TRNUID>2</TRNUID>
                  <CCSTMTRS>
                    <CURDEF>USD</CURDEF>
                    <CCACCTFROM><ACCTID>4111111111111111</ACCTID></CCACCTFROM>
                    <BANKTRANLIST>
                      <STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240102</DTPOSTED><TRNAMT>-5.5</TRNAMT><FITID>B1</FITID></STMTTRN>
                    </BANKTRANLIST>
                  </CCSTMTRS>
                </CCSTMTTRNRS>
              </CREDITCARDMSGSRSV1>
            </OFX>

            """
        let events = try readAll(OFXReader(InMemoryByteSource(text)))
        #expect(
            events == [
                .account(StatementAccount(identifier: "DE001", currency: "EUR")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(LocalDate(year: 2023, month: 12, day: 31)),
                        amount: Amount(units: 100050, scale: 2), currency: "EUR", payee: "Smith & Sons <GmbH>",
                        bankID: "A1", line: 11)),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: -2010, scale: 2),
                        date: LocalDate(year: 2024, month: 1, day: 1), currency: "EUR")),
                .account(StatementAccount(identifier: "4111111111111111", currency: "USD")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(LocalDate(year: 2024, month: 1, day: 2)),
                        amount: Amount(units: -550, scale: 2), currency: "USD", bankID: "B1", line: 26)),
            ])
        for chunkSize in [1, 7] {
            #expect(try readAll(OFXReader(InMemoryByteSource(text, chunkSize: chunkSize))) == events)
        }
    }

    @Test("a statement without transactions still names its account and balance")
    func emptyStatement() throws {
        let text = Self.sgml(Self.statement("", id: "777"))
        let events = try readAll(OFXReader(InMemoryByteSource(text)))
        #expect(events.count == 2)
        #expect(
            events.first == .account(StatementAccount(identifier: "777", currency: "USD", institution: "Test Bank")))
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

    /// Header lines 1-5, `<OFX>...` on line 6, `<BANKMSGSRSV1>` line 7, statement from line 8 (its
    /// BANKTRANLIST on line 9), first transaction on line 10.
    static let failures: [Failure] = [
        Failure(
            name: "currency symbol in TRNAMT", bytes: Array(sgml(statement(transaction(amount: "$120"))).utf8),
            line: 10, field: "TRNAMT", value: "$120"),
        Failure(
            name: "decimal comma in TRNAMT", bytes: Array(sgml(statement(transaction(amount: "-12,50"))).utf8),
            line: 10, field: "TRNAMT", value: "-12,50"),
        Failure(
            name: "thousands separator in TRNAMT",
            bytes: Array(sgml(statement(transaction(amount: "1,234.50"))).utf8), line: 10, field: "TRNAMT",
            value: "1,234.50"),
        Failure(
            name: "empty TRNAMT", bytes: Array(sgml(statement(transaction(amount: ""))).utf8), line: 10,
            field: "TRNAMT", value: nil),
        Failure(
            name: "amount reported before the date when both are wrong",
            bytes: Array(sgml(statement(transaction(amount: "$1", posted: "201120000000"))).utf8), line: 10,
            field: "TRNAMT", value: "$1"),
        Failure(
            name: "30 February", bytes: Array(sgml(statement(transaction(posted: "20230230"))).utf8), line: 10,
            field: "DTPOSTED", value: "20230230"),
        Failure(
            name: "12-digit date", bytes: Array(sgml(statement(transaction(posted: "202301011200"))).utf8),
            line: 10, field: "DTPOSTED", value: "202301011200"),
        Failure(
            name: "hour 24", bytes: Array(sgml(statement(transaction(posted: "20230101240000"))).utf8), line: 10,
            field: "DTPOSTED", value: "20230101240000"),
        Failure(
            name: "broken zone", bytes: Array(sgml(statement(transaction(posted: "20230101120000[EST"))).utf8),
            line: 10, field: "DTPOSTED", value: "20230101120000[EST"),
        Failure(
            name: "missing TRNAMT",
            bytes: Array(sgml(statement("<STMTTRN><DTPOSTED>20240101<FITID>X</STMTTRN>\n")).utf8),
            line: 10, field: "TRNAMT", value: nil),
        Failure(
            name: "bad LEDGERBAL", bytes: Array(sgml(statement("")).replacing("100.00", with: "1OO").utf8), line: 10,
            field: "BALAMT", value: "1OO"),
        Failure(
            name: "truncated inside a transaction",
            bytes: Array(String(sgml(statement(transaction())).split(separator: "</STMTTRN>")[0]).utf8), line: 10,
            field: "STMTTRN", value: nil),
        Failure(
            name: "truncated after the last statement",
            bytes: Array(String(sgml(statement(transaction())).split(separator: "</BANKMSGSRSV1>")[0]).utf8),
            line: 11, field: "BANKMSGSRSV1", value: nil),
        Failure(
            name: "NUL byte", bytes: Array(sgml(statement(transaction(name: "A\u{0}B"))).utf8), line: 10, field: nil,
            value: "\\0"),
        Failure(
            name: "not OFX at all", bytes: Array("Date,Amount\n2024-01-01,5\n".utf8), line: nil, field: "OFX",
            value: nil),
        Failure(name: "empty file", bytes: [], line: nil, field: "OFX", value: nil),
        Failure(
            name: "a different root element", bytes: Array("<?xml version=\"1.0\"?>\n<html><body/></html>".utf8),
            line: 2, field: "html", value: nil),
        Failure(
            name: "investment statement",
            bytes: Array(sgml("<INVSTMTTRNRS><TRNUID>1<INVSTMTRS><CURDEF>USD</INVSTMTRS></INVSTMTTRNRS>").utf8),
            line: 8, field: "INVSTMTRS", value: nil),
        Failure(
            name: "malformed tag", bytes: Array(sgml(statement(transaction(name: "A < B"))).utf8), line: 10,
            field: nil, value: "<"),
    ]

    @Test("refuses with line, field and value", arguments: failures)
    func failure(_ failure: Failure) throws {
        for chunkSize in [1, 7, 65536] {
            let error = try #require(throws: StatementError.self) {
                try readAll(OFXReader(InMemoryByteSource(failure.bytes, chunkSize: chunkSize)))
            }
            #expect(error.line == failure.line)
            #expect(error.field == failure.field)
            #expect(error.value == failure.value)
            #expect(!error.message.isEmpty)
        }
    }
}

extension OFXReaderTests {
    @Test("streams a generated file of 20,000 transactions")
    func streaming() throws {
        let header =
            String(Self.sgml("").split(separator: "</BANKMSGSRSV1>")[0])
            + "<STMTTRNRS><TRNUID>1<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>BIG</BANKACCTFROM><BANKTRANLIST>\n"
        let source = GeneratedByteSource(
            header: header, count: 20_000, footer: "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
        ) { index in
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-0.01<FITID>\(index)<NAME>Coffee &amp; cake</STMTTRN>\n"
        }
        var reader = OFXReader(source)
        var count = 0
        var sum = Amount.zero
        while let event = try reader.next() {
            if case .transaction(let transaction) = event {
                count += 1
                sum = sum + transaction.amount
            }
        }
        #expect(count == 20_000)
        #expect(sum == Amount(units: -20_000, scale: 2))
    }
}

extension OFXReaderTests {
    @Test("reads OFX documents concatenated in one file in turn")
    func concatenated() throws {
        let first = Self.sgml(Self.statement(Self.transaction(fitid: "A"), id: "111"))
        let second = Self.sgml(Self.statement(Self.transaction(fitid: "B"), id: "222"))
        let events = try readAll(OFXReader(InMemoryByteSource(first + "\n" + second)))
        #expect(Self.transactions(events).map(\.bankID) == ["A", "B"])
        let accounts = events.compactMap { if case .account(let a) = $0 { a.identifier } else { nil } }
        #expect(accounts == ["111", "222"])
    }

    @Test("refuses markup after </OFX> that starts no new document")
    func trailingMarkup() throws {
        let text = Self.sgml(Self.statement(Self.transaction())) + "<STMTTRN><TRNAMT>5</STMTTRN>\n"
        let error = try #require(throws: StatementError.self) { try readAll(OFXReader(InMemoryByteSource(text))) }
        #expect(error.line == 13)
        #expect(error.field == "STMTTRN")
    }
}

extension OFXReaderTests {
    @Test("an empty OFX document yields nothing and is not truncated")
    func emptyDocument() throws {
        #expect(try readAll(OFXReader(InMemoryByteSource("OFXHEADER:100\n\n<OFX></OFX>\n"))).isEmpty)
    }
}
