import BankdropCore
import Testing

@Suite("CSV quirks")
struct CSVQuirkTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var events: [StatementEvent]
        var testDescription: String { name }

        init(_ name: String, _ bytes: [UInt8], _ events: [StatementEvent]) {
            self.name = name
            self.bytes = bytes
            self.events = events
        }

        init(_ name: String, _ text: String, _ events: [StatementEvent]) {
            self.init(name, Array(text.utf8), events)
        }
    }

    static let genericHeader = "date,amount,payee,description\n"
    static let commerzbankHeader =
        "Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;IBAN Kontoinhaber;Kategorie\r\n"
    static let dkbHeader =
        "\"Buchungsdatum\";\"Wertstellung\";\"Status\";\"Zahlungspflichtige*r\";\"Zahlungsempfänger*in\";\"Verwendungszweck\";\"Umsatztyp\";\"IBAN\";\"Betrag (€)\";\"Gläubiger-ID\";\"Mandatsreferenz\";\"Kundenreferenz\"\n"
    static let iban = "DE89370400440532013000"

    static let cases: [Case] = [
        Case(
            "UTF-8 BOM, English header in any case",
            Fixture.bom("Date,AMOUNT,Payee,Description\n2025-01-31,-12.5,Café Müller,Frühstück\n"),
            [
                Fixture.account(),
                Fixture.transaction("2025-01-31", "-12.50", payee: "Café Müller", description: "Frühstück", line: 2),
            ]),
        Case(
            "Latin-1 bytes (0xE4, 0xFC, 0xF6)",
            Fixture.latin1(
                "Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Betrag;Währung\n"
                    + "31.12.2024;31.12.2024;Bäckerei Müller;Lastschrift;Brötchen;-3,20;EUR\n"),
            [
                Fixture.account(currency: "EUR", institution: "ING"),
                Fixture.transaction(
                    "2024-12-31", "-3.20", payee: "Bäckerei Müller", description: "Brötchen", line: 2, currency: "EUR",
                    valueDate: "2024-12-31"),
            ]),
        Case(
            "UTF-16 LE with BOM",
            Fixture.utf16("date,amount,payee,description\r\n2025-03-01,100,Zoë,Geschenk 🎁\r\n", bigEndian: false),
            [
                Fixture.account(),
                Fixture.transaction("2025-03-01", "100.00", payee: "Zoë", description: "Geschenk 🎁", line: 2),
            ]),
        Case(
            "UTF-16 BE with BOM",
            Fixture.utf16("date,amount,payee,description\r\n2025-03-01,100,Zoë,Geschenk 🎁\r\n", bigEndian: true),
            [
                Fixture.account(),
                Fixture.transaction("2025-03-01", "100.00", payee: "Zoë", description: "Geschenk 🎁", line: 2),
            ]),
        Case(
            "CRLF and a sniffed semicolon",
            "date;amount;payee;description\r\n2025-01-01;1.5;A;x\r\n2025-01-02;-2;B;y\r\n",
            [
                Fixture.account(), Fixture.transaction("2025-01-01", "1.50", payee: "A", description: "x", line: 2),
                Fixture.transaction("2025-01-02", "-2.00", payee: "B", description: "y", line: 3),
            ]),
        Case(
            "lone CR line breaks",
            "date;amount;payee;description\r2025-01-01;1.5;A;x\r2025-01-02;-2;B;y\r",
            [
                Fixture.account(), Fixture.transaction("2025-01-01", "1.50", payee: "A", description: "x", line: 2),
                Fixture.transaction("2025-01-02", "-2.00", payee: "B", description: "y", line: 3),
            ]),
        Case(
            "no final newline",
            "date\tamount\tpayee\tdescription\n2025-01-01\t1.5\tA\tx\n2025-01-02\t-2\tB\ty",
            [
                Fixture.account(), Fixture.transaction("2025-01-01", "1.50", payee: "A", description: "x", line: 2),
                Fixture.transaction("2025-01-02", "-2.00", payee: "B", description: "y", line: 3),
            ]),
        Case(
            "empty trailing lines and an all-empty row",
            genericHeader + "2025-01-01,1,A,x\n,,,\n\n\r\n  \n",
            [Fixture.account(), Fixture.transaction("2025-01-01", "1.00", payee: "A", description: "x", line: 2)]),
        Case(
            "quoted line breaks (LF and CRLF) keep the next record's line number right",
            genericHeader + "2025-01-01,1,\"A\",\"Zeile 1\r\nZeile 2\nZeile 3\"\n2025-01-02,2,B,x\n",
            [
                Fixture.account(),
                Fixture.transaction(
                    "2025-01-01", "1.00", payee: "A", description: "Zeile 1\nZeile 2\nZeile 3", line: 2),
                Fixture.transaction("2025-01-02", "2.00", payee: "B", description: "x", line: 5),
            ]),
        Case(
            "doubled quotes",
            genericHeader + "2025-01-01,1,\"Er sagte \"\"Hallo\"\"\",\"\"\"zitiert\"\"\"\n",
            [
                Fixture.account(),
                Fixture.transaction(
                    "2025-01-01", "1.00", payee: "Er sagte \"Hallo\"", description: "\"zitiert\"", line: 2),
            ]),
        Case(
            "delimiters inside quotes",
            genericHeader + "2025-01-01,-1,\"Müller, Hans\",\"a,b;c\"\n",
            [
                Fixture.account(),
                Fixture.transaction("2025-01-01", "-1.00", payee: "Müller, Hans", description: "a,b;c", line: 2),
            ]),
        Case(
            "backslashes, \\. and tabs are text",
            genericHeader + "2025-01-01,-1,C:\\Temp\\neu,\"tab\there \\. \\\\N end\"\n",
            [
                Fixture.account(),
                Fixture.transaction(
                    "2025-01-01", "-1.00", payee: "C:\\Temp\\neu", description: "tab\there \\. \\\\N end", line: 2),
            ]),
        Case(
            "apostrophes and an SQL-looking payee",
            genericHeader
                + "2025-01-01,-1,O'Brien's Pub,it's\n2025-01-02,-2,\"Robert'); DROP TABLE transactions;--\",x\n",
            [
                Fixture.account(),
                Fixture.transaction("2025-01-01", "-1.00", payee: "O'Brien's Pub", description: "it's", line: 2),
                Fixture.transaction(
                    "2025-01-02", "-2.00", payee: "Robert'); DROP TABLE transactions;--", description: "x", line: 3),
            ]),
        Case(
            "year end, leap day, thousands and NBSP + €",
            commerzbankHeader + "31.12.2024;31.12.2024;Lastschrift;Silvester;-10,7;EUR;\(iban);Feiern\r\n"
                + "01.01.2025;02.01.2025;Gutschrift;Neujahr;1.000;EUR;\(iban);\r\n"
                + "29.02.2028;29.02.2028;Gutschrift;Schalttag;4.093,32\u{00A0}€;EUR;\(iban);\r\n",
            [
                Fixture.account(iban, currency: "EUR", institution: "Commerzbank"),
                Fixture.transaction(
                    "2024-12-31", "-10.70", description: "Silvester", line: 2, currency: "EUR", valueDate: "2024-12-31",
                    category: "Feiern"),
                Fixture.transaction(
                    "2025-01-01", "1000.00", description: "Neujahr", line: 3, currency: "EUR", valueDate: "2025-01-02"),
                Fixture.transaction(
                    "2028-02-29", "4093.32", description: "Schalttag", line: 4, currency: "EUR", valueDate: "2028-02-29"
                ),
            ]),
        Case(
            "English thousands separators, three decimals",
            genericHeader + "2025-01-01,\"1,234.56\",A,x\n2025-01-02,\"-1,234,567.891\",B,y\n",
            [
                Fixture.account(), Fixture.transaction("2025-01-01", "1234.56", payee: "A", description: "x", line: 2),
                Fixture.transaction("2025-01-02", "-1234567.891", payee: "B", description: "y", line: 3),
            ]),
        Case(
            "two-digit years; payer for money in, payee for money out; stray closing quote",
            Fixture.bom(
                "\"Girokonto\";\"DE42 1203 0000 1033 7387 56\"\n\n\"Kontostand vom 31.12.2024:\";\"-1.234,50 €\"\n\"\"\n"
                    + dkbHeader
                    + "\"29.02.24\";\"01.03.24\";\"Gebucht\";\"Ich\";Laden\";\"Schaltjahr\";\"Ausgang\";\"\(iban)\";\"-1.234,5\";\"\";\"\";\"\"\n"
                    + "\"01.01.00\";\"01.01.00\";\"Gebucht\";\"Oma\";\"Ich\";\"Geschenk\";\"Eingang\";\"\(iban)\";\"50\";\"\";\"\";\"\"\n"
            ),
            [
                Fixture.account("DE42120300001033738756", currency: "EUR", institution: "DKB"),
                Fixture.transaction(
                    "2024-02-29", "-1234.50", payee: "Laden", description: "Schaltjahr", line: 6, currency: "EUR",
                    valueDate: "2024-03-01"),
                Fixture.transaction(
                    "2000-01-01", "50.00", payee: "Oma", description: "Geschenk", line: 7, currency: "EUR",
                    valueDate: "2000-01-01"),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: -123_450, scale: 2),
                        date: LocalDate(year: 2024, month: 12, day: 31),
                        currency: "EUR")),
            ]),
        Case(
            "an Excel sep= line and metadata before the header",
            "sep=;\nKonto;\(iban)\nZeitraum;01.01.2025 - 31.01.2025\n\ndate;amount;payee;description\n2025-01-01;1;A;x\n",
            [Fixture.account(), Fixture.transaction("2025-01-01", "1.00", payee: "A", description: "x", line: 6)]),
        Case(
            "a new .account whenever the account column changes",
            commerzbankHeader
                + "02.01.2025;02.01.2025;L;a;-1;EUR;\(iban);\r\n03.01.2025;03.01.2025;L;b;-2;EUR;\(iban);\r\n"
                + "04.01.2025;04.01.2025;L;c;-3;EUR;DE02120300000000202051;\r\n05.01.2025;05.01.2025;L;d;-4;EUR;\(iban);\r\n",
            [
                Fixture.account(iban, currency: "EUR", institution: "Commerzbank"),
                Fixture.transaction(
                    "2025-01-02", "-1.00", description: "a", line: 2, currency: "EUR", valueDate: "2025-01-02"),
                Fixture.transaction(
                    "2025-01-03", "-2.00", description: "b", line: 3, currency: "EUR", valueDate: "2025-01-03"),
                Fixture.account("DE02120300000000202051", currency: "EUR", institution: "Commerzbank"),
                Fixture.transaction(
                    "2025-01-04", "-3.00", description: "c", line: 4, currency: "EUR", valueDate: "2025-01-04"),
                Fixture.account(iban, currency: "EUR", institution: "Commerzbank"),
                Fixture.transaction(
                    "2025-01-05", "-4.00", description: "d", line: 5, currency: "EUR", valueDate: "2025-01-05"),
            ]),
        Case(
            "optional columns: currency and category when present, extra columns ignored",
            "Date,Amount,Currency,Payee,Description,Category,Note\n2025-01-01,-1,usd,A,x,Food,whatever\n",
            [
                Fixture.account(currency: "USD"),
                Fixture.transaction(
                    "2025-01-01", "-1.00", payee: "A", description: "x", line: 2, currency: "USD", category: "Food"),
            ]),
        Case(
            "a header and no rows still names the account",
            "date,amount,payee,description\n",
            [Fixture.account()]),
    ]

    @Test("reads each quirk the same at every chunk size", arguments: cases, Fixture.chunkSizes)
    func reads(_ sample: Case, chunkSize: Int) throws {
        let events = try Fixture.readCSV(sample.bytes, chunkSize: chunkSize)
        #expect(events == sample.events)
    }

    @Test(
        "detects the encoding it read",
        arguments: [
            (Fixture.bom("date,amount,payee,description\n"), TextEncoding.utf8),
            (Fixture.latin1("date,amount,payee,description\n2025-01-01,1,Bär,x\n"), .windows1252),
            (Array("date,amount,payee,description\n2025-01-01,1,Bär,x\n".utf8), .utf8),
            (Fixture.utf16("date,amount,payee,description\n", bigEndian: true), .utf16BigEndian),
        ])
    func encoding(_ bytes: [UInt8], _ encoding: TextEncoding) throws {
        var reader = CSVReader(source: InMemoryByteSource(bytes))
        while try reader.next() != nil {}
        #expect(reader.encoding == encoding)
        #expect(reader.profile == .generic)
    }
}
