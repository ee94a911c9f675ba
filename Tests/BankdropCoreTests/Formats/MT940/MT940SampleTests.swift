import BankdropCore
import Testing

@Suite("MT940 reader on the real samples", .enabled(if: Samples.available))
struct MT940SampleTests {
    @Test(
        "reads as expected.json describes",
        arguments: [
            "mt940/jejik_abnamro.sta",
            "mt940/mbank_soh_etx_envelope.sta",
            "mt940/sberbank_hu_crlf_replacement_chars.sta",
            "mt940/betterplace_sepa_26_statements.sta",
            "mt940/vr_teilhaberbank.mta",
        ])
    func sample(path: String) throws {
        let bytes = try Samples.bytes(path)
        let events = try readAll(MT940Reader(InMemoryByteSource(bytes)))
        ReadStatementFile(events).check(against: try ExpectedStatementFile(path))
        for chunkSize in [1, 7] {
            #expect(try readAll(MT940Reader(InMemoryByteSource(bytes, chunkSize: chunkSize))) == events)
        }
    }

    @Test("joins structured :86: purpose subfields and the free text of other banks")
    func descriptions() throws {
        let vr = try readAll(MT940Reader(InMemoryByteSource(try Samples.bytes("mt940/vr_teilhaberbank.mta"))))
        let vrTexts = vr.compactMap { if case .transaction(let t) = $0 { t.description } else { nil } }
        #expect(vrTexts[1] == "SVWZ+Abschluss per 30.11.2025")
        #expect(vrTexts[2].contains("01.12.25/McFIT: Mega Deal Aktion 2022 24.90 EUR"))
        let abn = try readAll(MT940Reader(InMemoryByteSource(try Samples.bytes("mt940/jejik_abnamro.sta"))))
        let abnTexts = abn.compactMap { if case .transaction(let t) = $0 { t.description } else { nil } }
        #expect(
            abnTexts.first
                == "GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 5314606715"
                + "                       BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW")
    }

    @Test("refuses 30 February at line 6, field :61:, as EXPECTED.md names")
    func february30() throws {
        let path = "mt940/BAD_february_30.sta"
        let expected = try ExpectedStatementFile(path)
        let primary = try #require(expected.primaryError)
        #expect(primary.hasPrefix("line 6, tag :61:"))
        #expect(primary.contains("\"160230\""))
        let bytes = try Samples.bytes(path)
        let error = try #require(throws: StatementError.self) { try readAll(MT940Reader(InMemoryByteSource(bytes))) }
        #expect(error.line == 6)
        #expect(error.field == ":61:")
        #expect(error.value == "160230")
    }
}
