import BankdropCore
import Testing

@Suite("OFX reader on the real samples", .enabled(if: Samples.available))
struct OFXSampleTests {
    @Test(
        "reads as expected.json describes",
        arguments: [
            "ofx/ofxparse_bank_medium_v102_sgml.ofx",
            "ofx/ofxparse_multiple_accounts_v211_xml.ofx",
            "ofx/ofxparse_suncorp_v200_crlf.ofx",
            "ofx/ofxparse_anz_creditcard_v203.ofx",
            "ofx/ofxparse_chase_creditcard_quirky.qfx",
        ])
    func sample(path: String) throws {
        let bytes = try Samples.bytes(path)
        let events = try readAll(OFXReader(InMemoryByteSource(bytes)))
        ReadStatementFile(events).check(against: try ExpectedStatementFile(path))
        for chunkSize in [1, 7] {
            #expect(try readAll(OFXReader(InMemoryByteSource(bytes, chunkSize: chunkSize))) == events)
        }
    }

    @Test("keeps the closing balance date and the description")
    func ledgerAndMemo() throws {
        let events = try readAll(
            OFXReader(InMemoryByteSource(try Samples.bytes("ofx/ofxparse_bank_medium_v102_sgml.ofx"))))
        let balance = try #require(events.compactMap { if case .balance(let b) = $0 { b } else { nil } }.first)
        #expect(
            balance
                == StatementBalance(
                    kind: .closing, amount: Amount(units: 38234, scale: 2),
                    date: LocalDate(year: 2009, month: 5, day: 23), currency: "CAD"))
        let first = try #require(events.compactMap { if case .transaction(let t) = $0 { t } else { nil } }.first)
        #expect(first.description == "POS MERCHANDISE;MCDONALD'S #112")
        #expect(first.line == 15)
    }

    @Test("refuses the malformed sample at TRNAMT $120, as EXPECTED.md names")
    func badDecimal() throws {
        let path = "ofx/ofxparse_BAD_decimal_error.ofx"
        let expected = try ExpectedStatementFile(path)
        let primary = try #require(expected.primaryError)
        #expect(primary.hasPrefix("line 37, STMTTRN/TRNAMT = \"$120\""))
        let bytes = try Samples.bytes(path)
        let error = try #require(throws: StatementError.self) { try readAll(OFXReader(InMemoryByteSource(bytes))) }
        #expect(error.line == 37)
        #expect(error.field == "TRNAMT")
        #expect(error.value == "$120")
    }
}
