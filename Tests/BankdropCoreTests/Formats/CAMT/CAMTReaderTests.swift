import Testing

@testable import BankdropCore

/// Look-alike camt.053 fixtures, one quirk each.
@Suite("CAMT.053 reader")
struct CAMTReaderTests {
    /// A document with `statements` inside BkToCstmrStmt; the first `Stmt` starts on line 4.
    static func document(_ statements: String, version: String = "02", root: String = "Document") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <\(root) xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.\(version)">
        <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
        \(statements)</BkToCstmrStmt>
        </\(root)>

        """
    }

    /// A statement for `account` with `body` (balances and entries) after the account (5 lines).
    static func statement(
        _ body: String, account: String = "<IBAN>DE02100100109307118603</IBAN>", currency: String? = "EUR"
    )
        -> String
    {
        """
        <Stmt><Id>S1</Id>
        <Acct><Id>\(account)</Id>\(currency.map { "<Ccy>\($0)</Ccy>" } ?? "")
        <Svcr><FinInstnId><BIC>TESTDEFFXXX</BIC></FinInstnId></Svcr></Acct>
        \(body)
        </Stmt>

        """
    }

    /// One entry; its `<Ntry>` is on the first line of the returned text.
    static func entry(
        amount: String = "<Amt Ccy=\"EUR\">12.50</Amt>", indicator: String = "DBIT", status: String = "<Sts>BOOK</Sts>",
        booking: String = "<BookgDt><Dt>2024-01-15</Dt></BookgDt>", value: String = "", refs: String = "",
        details: String = ""
    ) -> String {
        "<Ntry>\(amount)<CdtDbtInd>\(indicator)</CdtDbtInd>\(status)\(booking)\(value)\(refs)\n"
            + "<NtryDtls>\(details)</NtryDtls></Ntry>"
    }

    /// One TxDtls with a debtor and a creditor (v2 layout) and remittance text.
    static func details(debtor: String? = nil, creditor: String? = nil, ustrd: String? = nil, pty: Bool = false)
        -> String
    {
        func party(_ role: String, _ name: String?) -> String {
            guard let name else { return "" }
            return pty ? "<\(role)><Pty><Nm>\(name)</Nm></Pty></\(role)>" : "<\(role)><Nm>\(name)</Nm></\(role)>"
        }
        return "<TxDtls><RltdPties>\(party("Dbtr", debtor))\(party("Cdtr", creditor))</RltdPties>"
            + (ustrd.map { "<RmtInf><Ustrd>\($0)</Ustrd></RmtInf>" } ?? "") + "</TxDtls>"
    }

    static func transactions(_ events: [StatementEvent]) -> [StatementTransaction] {
        events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }
    }

    static func balances(_ events: [StatementEvent]) -> [StatementBalance] {
        events.compactMap { if case .balance(let b) = $0 { b } else { nil } }
    }

    // MARK: - Quirks

    struct Quirk: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var date: String = "2024-01-15"
        var amount: String
        var currency: String? = "EUR"
        var payee: String? = nil
        var description: String? = nil
        var bankID: String? = nil
        var valueDate: String? = nil
        var testDescription: String { name }
    }

    static let quirks: [Quirk] = [
        Quirk(name: "debit is money out", text: document(statement(entry())), amount: "-12.50"),
        Quirk(
            name: "UTF-8 BOM before the declaration", text: "\u{FEFF}" + document(statement(entry())), amount: "-12.50"),
        Quirk(name: "credit is money in", text: document(statement(entry(indicator: "CRDT"))), amount: "12.50"),
        Quirk(
            name: "version 08 with Sts/Cd and BookgDt/DtTm as written",
            text: document(
                statement(
                    entry(
                        status: "<Sts><Cd>BOOK</Cd></Sts>",
                        booking: "<BookgDt><DtTm>2024-01-15T23:30:00-05:00</DtTm></BookgDt>",
                        value: "<ValDt><DtTm>2024-01-16T00:10:00+14:00</DtTm></ValDt>")),
                version: "08"), amount: "-12.50", valueDate: "2024-01-16"),
        Quirk(
            name: "prefixed namespace, version 04",
            text: document(statement(entry()), version: "04", root: "ns2:Document").replacing(
                "xmlns=", with: "xmlns:ns2="), amount: "-12.50"),
        Quirk(
            name: "three decimals are kept",
            text: document(statement(entry(amount: "<Amt Ccy=\"EUR\">1.125</Amt>"))), amount: "-1.125"),
        Quirk(
            name: "integers are padded to the currency's decimals",
            text: document(statement(entry(amount: "<Amt Ccy=\"EUR\">9</Amt>"))), amount: "-9.00"),
        Quirk(
            name: "JPY keeps zero decimals",
            text: document(statement(entry(amount: "<Amt Ccy=\"JPY\">2700</Amt>"))), amount: "-2700", currency: "JPY"),
        Quirk(
            name: "value date and AcctSvcrRef",
            text: document(
                statement(
                    entry(
                        value: "<ValDt><Dt>2024-01-17</Dt></ValDt>",
                        refs: "<NtryRef>N-1</NtryRef><AcctSvcrRef>BANK-REF-1</AcctSvcrRef>"))), amount: "-12.50",
            bankID: "BANK-REF-1", valueDate: "2024-01-17"),
        Quirk(
            name: "NtryRef when there is no AcctSvcrRef",
            text: document(statement(entry(refs: "<NtryRef>N-1</NtryRef>"))), amount: "-12.50", bankID: "N-1"),
        Quirk(
            name: "creditor of a debit is the payee",
            text: document(statement(entry(details: details(debtor: "Me", creditor: "Shop GmbH", ustrd: "Order 1")))),
            amount: "-12.50", payee: "Shop GmbH", description: "Order 1"),
        Quirk(
            name: "debtor of a credit is the payee (v8 Pty layout)",
            text: document(
                statement(entry(indicator: "CRDT", details: details(debtor: "Payer AG", creditor: "Me", pty: true)))),
            amount: "12.50", payee: "Payer AG"),
        Quirk(
            name: "a credit naming only the creditor has no payee",
            text: document(statement(entry(indicator: "CRDT", details: details(creditor: "Me")))), amount: "12.50"),
        Quirk(
            name: "several TxDtls: one transaction with the entry amount, payee when all agree",
            text: document(
                statement(
                    entry(
                        amount: "<Amt Ccy=\"EUR\">30.00</Amt>",
                        details: details(creditor: "Utility", ustrd: "Jan") + details(creditor: "Utility", ustrd: "Feb")
                    ))),
            amount: "-30.00", payee: "Utility", description: "Jan Feb"),
        Quirk(
            name: "several TxDtls naming different parties: no payee",
            text: document(
                statement(
                    entry(
                        amount: "<Amt Ccy=\"EUR\">30.00</Amt>",
                        details: details(creditor: "A") + details(creditor: "B") + details(creditor: "A")))),
            amount: "-30.00"),
        Quirk(
            name: "entities, apostrophes, backslash, tabs and SQL-looking text",
            text: document(
                statement(
                    entry(
                        details: details(
                            creditor: "O&apos;Neil &amp; Sons &#252;&#xE9;",
                            ustrd: "Robert'); DROP TABLE transactions;-- \\.\t&lt;x&gt;")))),
            amount: "-12.50", payee: "O'Neil & Sons üé", description: "Robert'); DROP TABLE transactions;-- \\.\t<x>"),
        Quirk(
            name: "per-entry currency differs from the account",
            text: document(statement(entry(amount: "<Amt Ccy=\"USD\">5</Amt>"))), amount: "-5.00", currency: "USD"),
        Quirk(
            name: "AddtlNtryInf when no remittance text",
            text: document(statement(entry(refs: "<AddtlNtryInf>Card payment</AddtlNtryInf>"))), amount: "-12.50",
            description: "Card payment"),
        Quirk(
            name: "CDATA and comments inside an entry",
            text: document(
                statement(
                    entry(details: details(creditor: "<![CDATA[A & B <Ltd>]]>", ustrd: "x<!-- note -->y")))),
            amount: "-12.50", payee: "A & B <Ltd>", description: "xy"),
    ]

    @Test("reads the quirk", arguments: quirks)
    func quirk(_ quirk: Quirk) throws {
        let events = try readAll(CAMTReader(InMemoryByteSource(quirk.text)))
        #expect(
            events.first
                == .account(
                    StatementAccount(identifier: "DE02100100109307118603", currency: "EUR", institution: "TESTDEFFXXX"))
        )
        let transactions = Self.transactions(events)
        #expect(transactions.count == 1)
        let transaction = try #require(transactions.first)
        #expect(transaction.bookingDate == LocalDate(iso: quirk.date))
        #expect(transaction.amount.description == quirk.amount)
        #expect(transaction.currency == quirk.currency)
        #expect(transaction.payee == quirk.payee)
        #expect(transaction.description == quirk.description)
        #expect(transaction.bankID == quirk.bankID)
        #expect(transaction.valueDate == quirk.valueDate.flatMap { LocalDate(iso: $0) })
        #expect(transaction.line == 7)
        for chunkSize in [1, 7] {
            #expect(try readAll(CAMTReader(InMemoryByteSource(quirk.text, chunkSize: chunkSize))) == events)
        }
    }

    @Test("several statements and accounts, balances with sign, PRCD as opening, pending entries skipped")
    func severalStatements() throws {
        let balances = """
            <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2023-12-31</Dt></Dt></Bal>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-31</Dt></Dt></Bal>
            """
        let text = Self.document(
            Self.statement(
                balances + "\n" + Self.entry(indicator: "CRDT", status: "<Sts>PDNG</Sts>") + "\n"
                    + Self.entry(amount: "<Amt Ccy=\"CHF\">150</Amt>", indicator: "CRDT"),
                account: "<Othr><Id>CH-ACC-1</Id></Othr>", currency: nil)
                + Self.statement(Self.entry(), account: "<IBAN>NL91ABNA0417164300</IBAN>"))
        let events = try readAll(CAMTReader(InMemoryByteSource(text)))
        let december = try #require(LocalDate(year: 2023, month: 12, day: 31))
        #expect(
            events == [
                .account(StatementAccount(identifier: "CH-ACC-1", currency: "CHF", institution: "TESTDEFFXXX")),
                .balance(
                    StatementBalance(
                        kind: .opening, amount: Amount(units: -10000, scale: 2), date: december, currency: "CHF")),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: 5000, scale: 2),
                        date: LocalDate(year: 2024, month: 1, day: 31),
                        currency: "CHF")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(LocalDate(year: 2024, month: 1, day: 15)),
                        amount: Amount(units: 15000, scale: 2),
                        currency: "CHF", line: 11)),
                .account(
                    StatementAccount(identifier: "NL91ABNA0417164300", currency: "EUR", institution: "TESTDEFFXXX")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(LocalDate(year: 2024, month: 1, day: 15)),
                        amount: Amount(units: -1250, scale: 2),
                        currency: "EUR", line: 17)),
            ])
        for chunkSize in [1, 7] {
            #expect(try readAll(CAMTReader(InMemoryByteSource(text, chunkSize: chunkSize))) == events)
        }
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
            "decimal comma", document(statement(entry(amount: "<Amt Ccy=\"EUR\">12,50</Amt>"))), line: 7,
            field: "Ntry/Amt", value: "12,50"),
        failure(
            "signed amount", document(statement(entry(amount: "<Amt Ccy=\"EUR\">-12.50</Amt>"))), line: 7,
            field: "Ntry/Amt", value: "-12.50"),
        failure(
            "30 February", document(statement(entry(booking: "<BookgDt><Dt>2023-02-30</Dt></BookgDt>"))), line: 7,
            field: "Ntry/BookgDt", value: "2023-02-30"),
        failure(
            "impossible value date",
            document(statement(entry(value: "<ValDt><DtTm>2023-13-01T10:00:00</DtTm></ValDt>"))), line: 7,
            field: "Ntry/ValDt", value: "2023-13-01T10:00:00"),
        failure(
            "unknown credit/debit indicator", document(statement(entry(indicator: "CR"))), line: 7,
            field: "Ntry/CdtDbtInd", value: "CR"),
        failure(
            "bad balance amount",
            document(
                statement(
                    "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">1.2.3</Amt>"
                        + "<CdtDbtInd>CRDT</CdtDbtInd></Bal>")), line: 7, field: "Bal/Amt", value: "1.2.3"),
        failure(
            "truncated inside an entry", String(document(statement(entry())).split(separator: "<NtryDtls>")[0]),
            line: 7, field: "Ntry", value: nil),
        failure(
            "truncated after the last statement",
            String(document(statement(entry())).split(separator: "</BkToCstmrStmt>")[0]),
            line: 9, field: "BkToCstmrStmt", value: nil),
        failure(
            "mismatched closing tag", document(statement(entry().replacing("</CdtDbtInd>", with: "</CdtDbt>"))),
            line: 7, field: "CdtDbt", value: nil),
        failure(
            "camt.052 is not a statement",
            document(statement(entry())).replacing("camt.053.001.02", with: "camt.052.001.02"),
            line: 2, field: "Document", value: "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"),
        failure(
            "no namespace",
            document(statement(entry())).replacing(
                " xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"", with: ""),
            line: 2, field: "Document", value: nil),
        failure("another root element", "<?xml version=\"1.0\"?>\n<html/>", line: 2, field: "html", value: nil),
        failure("empty file", "", line: nil, field: "Document", value: nil),
        failure(
            "statement without account", document(statement(entry(), account: "")), line: 7, field: "Acct/Id",
            value: nil),
        failure(
            "NUL byte", document(statement(entry(details: details(creditor: "A\u{0}B")))), line: 8, field: nil,
            value: "\\0"),
    ]

    @Test("refuses with line, field and value", arguments: failures)
    func failure(_ failure: Failure) throws {
        for chunkSize in [1, 7, 65536] {
            let error = try #require(throws: StatementError.self) {
                try readAll(CAMTReader(InMemoryByteSource(failure.bytes, chunkSize: chunkSize)))
            }
            #expect(error.line == failure.line)
            #expect(error.field == failure.field)
            #expect(error.value == failure.value)
        }
    }
}

extension CAMTReaderTests {
    @Test("streams a generated file of 20,000 entries")
    func streaming() throws {
        let parts = Self.document(Self.statement("SPLIT")).split(separator: "SPLIT").map(String.init)
        let source = GeneratedByteSource(header: parts[0], count: 20_000, footer: parts[1]) { index in
            Self.entry(refs: "<AcctSvcrRef>R\(index)</AcctSvcrRef>", details: Self.details(creditor: "Shop")) + "\n"
        }
        var reader = CAMTReader(source)
        var count = 0
        var sum = Amount.zero
        while let event = try reader.next() {
            if case .transaction(let transaction) = event {
                count += 1
                sum = sum + transaction.amount
            }
        }
        #expect(count == 20_000)
        #expect(sum == Amount(units: -25_000_000, scale: 2))
    }
}
