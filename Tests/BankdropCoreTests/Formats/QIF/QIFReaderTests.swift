import BankdropCore
import Foundation
import Testing

@Suite("QIFReader")
struct QIFReaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var options: QIFOptions
        var events: [StatementEvent]
        var testDescription: String { name }

        init(_ name: String, _ text: String, options: QIFOptions = QIFOptions(), _ events: [StatementEvent]) {
            self.init(name, Array(text.utf8), options: options, events)
        }

        init(_ name: String, _ bytes: [UInt8], options: QIFOptions = QIFOptions(), _ events: [StatementEvent]) {
            self.name = name
            self.bytes = bytes
            self.options = options
            self.events = events
        }
    }

    static func read(_ bytes: [UInt8], options: QIFOptions = QIFOptions(), chunkSize: Int = 64 * 1024)
        throws(StatementError)
        -> [StatementEvent]
    {
        try readAll(QIFReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize), options: options))
    }

    static func tx(
        _ date: String, _ amount: String, _ payee: String? = nil, _ description: String? = nil, line: Int,
        category: String? = nil
    ) -> StatementEvent {
        Fixture.transaction(date, amount, payee: payee, description: description, line: line, category: category)
    }
    /// The error reading `bytes` throws, or nil.
    static func error(_ bytes: [UInt8], chunkSize: Int) -> StatementError? {
        do {
            _ = try read(bytes, chunkSize: chunkSize)
            return nil
        } catch {
            return error
        }
    }

    static let noAccount = Fixture.account()

    static let cases: [Case] = [
        Case(
            "German D03.11.25 with CRLF", "!Type:Bank\r\nD03.11.25\r\nT-5.00\r\nPShop\r\n^\r\n",
            [noAccount, tx("2025-11-03", "-5.00", "Shop", line: 2)]),
        Case(
            "US D11/03'25, no day above 12: the separators say month first", "!Type:Bank\nD11/03'25\nT-5.00\n^\n",
            [noAccount, tx("2025-11-03", "-5.00", line: 2)]),
        Case(
            "a later day above 12 proves day first, also for earlier records",
            "!Type:Bank\nD01/02/25\nT1\n^\nD25/12/24\nT2\n^\n",
            [noAccount, tx("2025-02-01", "1.00", line: 2), tx("2024-12-25", "2.00", line: 5)]),
        Case(
            "a later second number above 12 proves month first", "!Type:Bank\nD01.02.25\nT1\n^\nD12.31.24\nT2\n^\n",
            [noAccount, tx("2025-01-02", "1.00", line: 2), tx("2024-12-31", "2.00", line: 5)]),
        Case(
            "a configured order wins", "!Type:Bank\nD03.11.25\nT1\n^\n", options: QIFOptions(dateOrder: .monthDayYear),
            [noAccount, tx("2025-03-11", "1.00", line: 2)]),
        Case(
            "Quicken's space-padded dates, four-digit and ISO years",
            "!Type:Bank\nD 1/ 3' 5\nT1\n^\nD11/03/2025\nT2\n^\nD2025-11-04\nT3\n^\n",
            [
                noAccount, tx("2005-01-03", "1.00", line: 2), tx("2025-11-03", "2.00", line: 5),
                tx("2025-11-04", "3.00", line: 8),
            ]),
        Case(
            "year ends and a leap day", "!Type:Bank\nD31.12.24\nT-1\n^\nD01.01.25\nT-2\n^\nD29.02.24\nT-3\n^\n",
            [
                noAccount, tx("2024-12-31", "-1.00", line: 2), tx("2025-01-01", "-2.00", line: 5),
                tx("2024-02-29", "-3.00", line: 8),
            ]),
        Case(
            "amounts with thousands separators, decimal comma, U without T, T before U",
            "!Type:CCard\nD01.01.25\nT-1,234.56\n^\nD01.01.25\nT1.234,56\n^\nD01.01.25\nT-5,00\n^\nD01.01.25\nU12.5\n^\nD01.01.25\nT1,000\nU1000.00\n^\n",
            [
                noAccount, tx("2025-01-01", "-1234.56", line: 2), tx("2025-01-01", "1234.56", line: 5),
                tx("2025-01-01", "-5.00", line: 8), tx("2025-01-01", "12.50", line: 11),
                tx("2025-01-01", "1000.00", line: 14),
            ]),
        Case(
            "memo lines joined, category, numeric check number, other N dropped, splits and flags skipped",
            "!Type:Bank\nD01.01.25\nN1234\nT-50.00\nCX\nPO'Brien's\nMfirst\nMsecond\nLFood:Groceries\nSFood\nE$split\n$-50.00\n^\nD02.01.25\nNATM\nT-20\nMcash\n^\n",
            [
                noAccount,
                tx(
                    "2025-01-01", "-50.00", "O'Brien's", "first second (check 1234)", line: 2,
                    category: "Food:Groceries"),
                tx("2025-01-02", "-20.00", nil, "cash", line: 14),
            ]),
        Case(
            "!Account names the account; a second one starts another",
            "!Option:AutoSwitch\n!Account\nNGirokonto\nTBank\n^\n!Type:Bank\nD01.01.25\nT-1\n^\n!Account\nNVisa\nTCCard\n^\n!Type:CCard\nD02.01.25\nT-2\n^\n",
            [
                Fixture.account("Girokonto"), tx("2025-01-01", "-1.00", line: 7), Fixture.account("Visa"),
                tx("2025-01-02", "-2.00", line: 15),
            ]),
        Case(
            "category and class lists are skipped",
            "!Type:Cat\nNFood\nE\n^\n!Type:Class\nNHome\n^\n!Type:Bank\nD01.01.25\nT-1\n^\n",
            [noAccount, tx("2025-01-01", "-1.00", line: 9)]),
        Case(
            "lone CR, blank lines inside a record, no final ^ or newline",
            "!Type:Bank\rD01.01.25\r\rT-1\rPA\r\r^\rD02.01.25\rT-2",
            [noAccount, tx("2025-01-01", "-1.00", "A", line: 2), tx("2025-01-02", "-2.00", line: 8)]),
        Case(
            "Latin-1 payee", Fixture.latin1("!Type:Bank\nD01.01.25\nT-1\nPBäckerei Müller\n^\n"),
            [noAccount, tx("2025-01-01", "-1.00", "Bäckerei Müller", line: 2)]),
        Case(
            "SQL-looking payee, backslashes and tabs are text",
            "!Type:Bank\nD01.01.25\nT-1\nPRobert'); DROP TABLE transactions;--\nMC:\\Temp \\. tab\there\n^\n",
            [
                noAccount,
                tx("2025-01-01", "-1.00", "Robert'); DROP TABLE transactions;--", "C:\\Temp \\. tab\there", line: 2),
            ]),
        Case("a header and no records", "!Type:Bank\n", [noAccount]),
    ]

    @Test("reads each quirk the same at every chunk size", arguments: cases, Fixture.chunkSizes)
    func reads(_ sample: Case, chunkSize: Int) throws {
        #expect(try Self.read(sample.bytes, options: sample.options, chunkSize: chunkSize) == sample.events)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int?
        var field: String?
        var value: String?
        var messageContains: String
        var testDescription: String { name }
    }

    static let errors: [ErrorCase] = [
        ErrorCase(
            name: "30 February", text: "!Type:Bank\nD01.01.25\nT1\n^\nD30.02.25\nT-1\n^\n", line: 5, field: "D",
            value: "30.02.25",
            messageContains: "not a calendar date in day-month-year order"),
        ErrorCase(
            name: "an impossible date after the order was inferred",
            text: "!Type:Bank\nD13/01/25\nT1\n^\nD01/13/25\nT-1\n^\n",
            line: 5, field: "D", value: "01/13/25", messageContains: "set qif.date_order"),
        ErrorCase(
            name: "not a date", text: "!Type:Bank\nDyesterday\nT1\n^\n", line: 2, field: "D", value: "yesterday",
            messageContains: "not a date"),
        ErrorCase(
            name: "an amount that is text", text: "!Type:Bank\nD01.01.25\nTabc\n^\n", line: 3, field: "T", value: "abc",
            messageContains: "not an amount"),
        ErrorCase(
            name: "an amount with misplaced separators", text: "!Type:Bank\nD01.01.25\nT12,3,4\n^\n", line: 3,
            field: "T", value: "12,3,4",
            messageContains: "groups of three digits"),
        ErrorCase(
            name: "a record without a date", text: "!Type:Bank\nD01.01.25\nT1\n^\nPShop\nT-1\n^\n", line: 5, field: "D",
            value: nil,
            messageContains: "no date"),
        ErrorCase(
            name: "a record without an amount", text: "!Type:Bank\nD01.01.25\nPShop\n^\n", line: 2, field: "T",
            value: nil,
            messageContains: "no amount"),
        ErrorCase(
            name: "a missing ^ between records", text: "!Type:Bank\nD01.01.25\nT1\nD02.01.25\nT2\n^\n", line: 4,
            field: "D",
            value: "02.01.25", messageContains: "is a ^ missing?"),
        ErrorCase(
            name: "a NUL byte", text: "!Type:Bank\nD01.01.25\nT1\nPA\u{0}B\n^\n", line: 4, field: "P", value: "A\\0B",
            messageContains: "NUL byte"),
        ErrorCase(
            name: "no header", text: "D01.01.25\nT1\n^\n", line: 1, field: nil, value: "D01.01.25",
            messageContains: "not a QIF file"),
        ErrorCase(
            name: "an investment account", text: "!Type:Invst\nD01.01.25\n^\n", line: 1, field: nil,
            value: "!Type:Invst",
            messageContains: "not supported"),
    ]

    @Test("names the line, the field letter and the value", arguments: errors, Fixture.chunkSizes)
    func reports(_ sample: ErrorCase, chunkSize: Int) throws {
        let error = try #require(Self.error(Array(sample.text.utf8), chunkSize: chunkSize))
        #expect(error.line == sample.line)
        #expect(error.field == sample.field)
        #expect(error.value == sample.value)
        #expect(error.message.contains(sample.messageContains), "\(error.message)")
    }

    @Test("the inferred order is visible once the first event was read")
    func effectiveOrder() throws {
        var reader = QIFReader(source: InMemoryByteSource("!Type:Bank\nD11/03'25\nT1\n^\n"))
        #expect(reader.effectiveDateOrder == nil)
        _ = try reader.next()
        #expect(reader.effectiveDateOrder == .monthDayYear)
    }

    @Test("the decimal separator can be configured for amounts that are ambiguous")
    func configuredDecimalSeparator() throws {
        let text = "!Type:Bank\nD01.01.25\nT1,234\n^\n"
        let inferred = try Self.read(Array(text.utf8))
        let configured = try Self.read(Array(text.utf8), options: QIFOptions(decimalSeparator: .comma))
        #expect(inferred.last == Self.tx("2025-01-01", "1234.00", line: 2))
        #expect(configured.last == Self.tx("2025-01-01", "1.234", line: 2))
    }

    @Test("options decode from the documented keys")
    func optionsDecode() throws {
        let options = try JSONDecoder().decode(
            QIFOptions.self, from: Data(#"{"date_order": "mdy", "decimal_separator": ","}"#.utf8))
        #expect(options == QIFOptions(dateOrder: .monthDayYear, decimalSeparator: .comma))
    }
}
