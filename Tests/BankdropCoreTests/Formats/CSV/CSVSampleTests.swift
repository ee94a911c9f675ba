import BankdropCore
import Testing

@Suite("CSV samples", .enabled(if: Samples.available, "needs ../shared/samples"))
struct CSVSampleTests {
    static let samples: [(path: String, profile: String, encoding: TextEncoding)] = [
        ("csv/commerzbank_bom_semicolon_crlf.csv", "commerzbank", .utf8),
        ("csv/dkb_bom_preamble_quoted.csv", "dkb", .utf8),
        ("csv/ing_latin1_preamble.csv", "ing", .windows1252),
        ("csv/paypal_de_bom_comma_timezone.csv", "paypal", .utf8),
    ]

    @Test("reads as expected.json describes", arguments: samples)
    func readsAsExpected(_ sample: (path: String, profile: String, encoding: TextEncoding)) throws {
        var reader = CSVReader(source: InMemoryByteSource(try Samples.bytes(sample.path)))
        var events: [StatementEvent] = []
        while let event = try reader.next() { events.append(event) }
        #expect(reader.profile?.name == sample.profile)
        #expect(reader.encoding == sample.encoding)
        try SampleExpectation.check(events, against: sample.path)
    }

    @Test("reads the same one byte at a time", arguments: samples)
    func chunkSizeDoesNotMatter(_ sample: (path: String, profile: String, encoding: TextEncoding)) throws {
        let bytes = try Samples.bytes(sample.path)
        let whole = try readAll(CSVReader(source: InMemoryByteSource(bytes)))
        for chunkSize in [1, 7] {
            #expect(try readAll(CSVReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize))) == whole)
        }
    }

    @Test("DKB: closing balance from the preamble, dated as the label says")
    func dkbClosingBalance() throws {
        let events = try readAll(
            CSVReader(source: InMemoryByteSource(try Samples.bytes("csv/dkb_bom_preamble_quoted.csv"))))
        guard case .balance(let balance) = try #require(events.last) else {
            Issue.record("the last event is not a balance")
            return
        }
        #expect(
            balance
                == StatementBalance(
                    kind: .closing, amount: Amount(units: 409_332, scale: 2),
                    date: LocalDate(year: 2025, month: 12, day: 9), currency: "EUR"))
    }

    @Test("descriptions come from the profile's text columns")
    func descriptions() throws {
        let events = try readAll(
            CSVReader(source: InMemoryByteSource(try Samples.bytes("csv/ing_latin1_preamble.csv"))))
        let transactions = events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }
        #expect(
            transactions.first?.description
                == "NR XXXX 4025 NUERNBERG DE KAUFUMSATZ 05.12 13.98 125423 ARN74830725339312466143652")
        // Line 22 lacks one text column: read as lacking Buchungstext, so the purpose stays the description.
        let short = try #require(transactions.first { $0.line == 22 })
        #expect(short.description == "97052181157Z00511 RV-RENTE 11.2025")
        #expect(short.payee == "Rente")
        #expect(short.currency == "EUR")
    }
}
