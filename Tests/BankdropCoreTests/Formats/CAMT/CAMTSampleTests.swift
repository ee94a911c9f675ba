import BankdropCore
import Testing

@Suite("CAMT.053 reader on the real samples", .enabled(if: Samples.available))
struct CAMTSampleTests {
    @Test(
        "reads as expected.json describes",
        arguments: [
            "camt053/genkgo_camt053_v2_multi_statement_year_boundary.xml",
            "camt053/genkgo_camt053_v8_multicurrency.xml",
            "camt053/genkgo_camt053_v2_three_decimal_amounts.xml",
        ])
    func sample(path: String) throws {
        let bytes = try Samples.bytes(path)
        let events = try readAll(CAMTReader(InMemoryByteSource(bytes)))
        ReadStatementFile(events).check(against: try ExpectedStatementFile(path))
        for chunkSize in [1, 7] {
            #expect(try readAll(CAMTReader(InMemoryByteSource(bytes, chunkSize: chunkSize))) == events)
        }
    }

    @Test("keeps three decimals where the file writes them")
    func threeDecimals() throws {
        let bytes = try Samples.bytes("camt053/genkgo_camt053_v2_three_decimal_amounts.xml")
        let events = try readAll(CAMTReader(InMemoryByteSource(bytes)))
        let amounts = events.compactMap { event -> Amount? in
            switch event {
            case .transaction(let t): t.amount
            case .balance(let b): b.amount
            case .account: nil
            }
        }
        #expect(amounts.map(\.description) == ["18.150", "27.050", "8.850"])
    }

    @Test("reads the date part of BookgDt/DtTm as written and the balances in their own currency")
    func dateTimeAndCurrencies() throws {
        let bytes = try Samples.bytes("camt053/genkgo_camt053_v8_multicurrency.xml")
        let events = try readAll(CAMTReader(InMemoryByteSource(bytes)))
        #expect(
            events == [
                .account(
                    StatementAccount(identifier: "NL26VAYB8060476890", currency: "EUR", institution: "AAAA BANKEN")),
                .balance(
                    StatementBalance(
                        kind: .opening, amount: Amount(units: 1815, scale: 2),
                        date: LocalDate(year: 2014, month: 12, day: 30), currency: "EUR")),
                .balance(
                    StatementBalance(
                        kind: .closing, amount: Amount(units: -2700, scale: 2),
                        date: LocalDate(year: 2014, month: 12, day: 30), currency: "SEK")),
                .transaction(
                    StatementTransaction(
                        bookingDate: try #require(LocalDate(year: 2014, month: 12, day: 31)),
                        valueDate: LocalDate(year: 2015, month: 1, day: 2), amount: Amount(units: 885, scale: 2),
                        currency: "EUR", payee: "NAME NAME", description: "4654654654654654",
                        bankID: "AAAASESS-FP-CN_98765/01", line: 110)),
            ])
    }
}
