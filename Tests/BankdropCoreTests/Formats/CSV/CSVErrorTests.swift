import BankdropCore
import Testing

@Suite("CSV errors")
struct CSVErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var line: Int?
        var field: String?
        var value: String?
        var messageContains: String
        var testDescription: String { name }
    }

    static let generic = "date,amount,payee,description\n"
    static let commerzbank =
        "Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;IBAN Kontoinhaber;Kategorie\n"
    static let row = "2025-01-01,1,A,x\n"

    static let cases: [Case] = [
        Case(
            name: "a row with too few columns", bytes: Array((generic + row + "2025-01-02,2,B\n").utf8),
            line: 3, field: "description", value: nil, messageContains: "the row has 3 fields but the header has 4"),
        Case(
            name: "a row with too many columns", bytes: Array((generic + row + "2025-01-02,2,B,x,extra\n").utf8),
            line: 3, field: "column 5", value: "extra", messageContains: "the row has 5 fields but the header has 4"),
        Case(
            name: "an amount with two decimal commas",
            bytes: Array((commerzbank + "02.01.2025;02.01.2025;L;a;12,3,4;EUR;;\n").utf8),
            line: 2, field: "Betrag", value: "12,3,4", messageContains: "more than one decimal separator"),
        Case(
            name: "an amount that is text",
            bytes: Array(
                (commerzbank + "02.01.2025;02.01.2025;L;a;-1;EUR;;\n02.01.2025;02.01.2025;L;a;abc;EUR;;\n").utf8),
            line: 3, field: "Betrag", value: "abc", messageContains: "not an amount"),
        Case(
            name: "an empty amount", bytes: Array((commerzbank + "02.01.2025;02.01.2025;L;a;;EUR;;\n").utf8),
            line: 2, field: "Betrag", value: "", messageContains: "the amount is empty"),
        Case(
            name: "30 February", bytes: Array((commerzbank + "30.02.2025;30.02.2025;L;a;-1;EUR;;\n").utf8),
            line: 2, field: "Buchungstag", value: "30.02.2025", messageContains: "not a calendar date"),
        Case(
            name: "a date in another format", bytes: Array((generic + "01/02/2025,1,A,x\n").utf8),
            line: 2, field: "date", value: "01/02/2025", messageContains: "not a date in the format yyyy-MM-dd"),
        Case(
            name: "a NUL byte", bytes: Array((generic + row + "2025-01-02,2,A\u{0}B,x\n").utf8),
            line: 3, field: "payee", value: "A\\0B", messageContains: "NUL byte"),
        Case(
            name: "an unknown header", bytes: Array("Foo;Bar;Baz\n1;2;3\n".utf8),
            line: 1, field: nil, value: "Foo, Bar, Baz", messageContains: "add a [[csv.profiles]] entry"),
        Case(
            name: "an unknown header after metadata lines",
            bytes: Array("Konto;123\n\nWhen;How much;Who;What\n1;2;3;4\n".utf8),
            line: 3, field: nil, value: "When, How much, Who, What", messageContains: "docs/formats.md"),
        Case(
            name: "bytes that are not UTF-8 in a file with a UTF-8 BOM",
            bytes: Fixture.bom(generic + row) + Array("2025-01-02,2,A".utf8) + [0xFF] + Array(",x\n".utf8),
            line: 3, field: nil, value: "0xFF", messageContains: "not valid UTF-8"),
        Case(
            name: "a quote that is never closed",
            bytes: Array((generic + "2025-01-01,1,\"A,x\n2025-01-02,2,B,y\n").utf8),
            line: 2, field: "payee", value: nil, messageContains: "never closed"),
        Case(name: "an empty file", bytes: [], line: nil, field: nil, value: nil, messageContains: "no CSV header"),
    ]

    @Test("names the line, the field and the value", arguments: cases, Fixture.chunkSizes)
    func reports(_ sample: Case, chunkSize: Int) throws {
        let error = try #require(Fixture.csvError(sample.bytes, chunkSize: chunkSize))
        #expect(error.line == sample.line)
        #expect(error.field == sample.field)
        #expect(error.value == sample.value)
        #expect(error.message.contains(sample.messageContains), "\(error.message)")
    }

    @Test("an error ends the read: rows after it are never returned")
    func errorEndsTheRead() throws {
        let bytes = Array((Self.generic + Self.row + "2025-01-02,x,A,x\n" + Self.row).utf8)
        var reader = CSVReader(source: InMemoryByteSource(bytes))
        #expect(try reader.next() == Fixture.account())
        #expect(try reader.next() == Fixture.transaction("2025-01-01", "1.00", payee: "A", description: "x", line: 2))
        let first = #expect(throws: StatementError.self) { try reader.next() }
        let second = #expect(throws: StatementError.self) { try reader.next() }
        #expect(first == second)
        #expect(first?.line == 3)
    }

    @Test("an unusable profile is reported before any row is read")
    func unusableProfile() throws {
        let broken = CSVProfile(name: "broken", dateColumn: "date")
        let error = try #require(
            Fixture.csvError(Array((Self.generic + Self.row).utf8), profiles: [broken] + CSVProfile.builtIn))
        #expect(error.line == nil)
        #expect(error.value == "broken")
        #expect(error.message.contains("amount_column"))
    }

    @Test("the description names file position, field and value")
    func description() throws {
        let error = try #require(
            Fixture.csvError(Array((Self.commerzbank + "30.02.2025;30.02.2025;L;a;-1;EUR;;\n").utf8)))
        #expect(
            error.description
                == "line 2, field Buchungstag, value \"30.02.2025\": not a calendar date (day 30, month 2, year 2025)")
    }
}
