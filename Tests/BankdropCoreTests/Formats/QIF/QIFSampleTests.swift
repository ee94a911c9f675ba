import BankdropCore
import Testing

@Suite("QIF samples", .enabled(if: Samples.available, "needs ../shared/samples"))
struct QIFSampleTests {
    static let path = "qif/targobank_duesseldorf.qif"

    @Test("Targobank reads as expected.json describes")
    func targobank() throws {
        var reader = QIFReader(source: InMemoryByteSource(try Samples.bytes(Self.path)))
        var events: [StatementEvent] = []
        while let event = try reader.next() { events.append(event) }
        #expect(reader.effectiveDateOrder == .dayMonthYear)
        try SampleExpectation.check(events, against: Self.path)
    }

    @Test("Targobank reads the same in chunks of 1 and 7 bytes")
    func chunkSizeDoesNotMatter() throws {
        let bytes = try Samples.bytes(Self.path)
        let whole = try readAll(QIFReader(source: InMemoryByteSource(bytes)))
        #expect(whole.count == 11)
        for chunkSize in [1, 7] {
            #expect(try readAll(QIFReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize))) == whole)
        }
    }
}
