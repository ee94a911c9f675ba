import BankdropCore
import Testing

@Suite("LineReader")
struct LineReaderTests {
    static func lines(_ text: String, chunkSize: Int) throws -> [(Int, String, LineTerminator)] {
        var reader = LineReader(source: InMemoryByteSource(text, chunkSize: chunkSize))
        var result: [(Int, String, LineTerminator)] = []
        while let line = try reader.next() { result.append((line.number, line.text, line.terminator)) }
        return result
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var lines: [String]
        var terminators: [LineTerminator]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "LF", text: "a\nb\n", lines: ["a", "b"], terminators: [.lineFeed, .lineFeed]),
        Case(
            name: "CRLF", text: "a\r\nb\r\n", lines: ["a", "b"],
            terminators: [.carriageReturnLineFeed, .carriageReturnLineFeed]),
        Case(name: "lone CR", text: "a\rb\r", lines: ["a", "b"], terminators: [.carriageReturn, .carriageReturn]),
        Case(name: "no final newline", text: "a\nb", lines: ["a", "b"], terminators: [.lineFeed, .endOfInput]),
        Case(
            name: "empty lines kept", text: "a\n\n\r\n\rb", lines: ["a", "", "", "", "b"],
            terminators: [.lineFeed, .lineFeed, .carriageReturnLineFeed, .carriageReturn, .endOfInput]),
        Case(
            name: "CR then LF across lines", text: "a\r\r\nb", lines: ["a", "", "b"],
            terminators: [.carriageReturn, .carriageReturnLineFeed, .endOfInput]),
        Case(name: "empty input", text: "", lines: [], terminators: []),
        Case(name: "only a newline", text: "\n", lines: [""], terminators: [.lineFeed]),
        Case(name: "trailing CR at the very end", text: "x\r", lines: ["x"], terminators: [.carriageReturn]),
    ]

    @Test("splits lines and numbers them", arguments: cases, [1, 2, 3, 7, 64 * 1024])
    func splits(_ sample: Case, chunkSize: Int) throws {
        let lines = try Self.lines(sample.text, chunkSize: chunkSize)
        #expect(lines.map(\.1) == sample.lines)
        #expect(lines.map(\.0) == Array(stride(from: 1, through: sample.lines.count, by: 1)))
        #expect(lines.map(\.2) == sample.terminators)
    }

    @Test("a decoding error names the line the bad byte is on")
    func decodingErrorLine() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("one\ntwo\nthr".utf8) + [0xFF] + Array("ee\n".utf8)
        for chunkSize in [1, 5, 64 * 1024] {
            var reader = LineReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize))
            #expect(
                throws: StatementError(line: 3, value: "0xFF", message: "the file is not valid UTF-8 (byte offset 14)")
            ) {
                while try reader.next() != nil {}
            }
        }
    }

    @Test("a line longer than the maximum is an error, not a memory spike")
    func tooLong() {
        var reader = LineReader(
            source: InMemoryByteSource(String(repeating: "x", count: 100), chunkSize: 10), maximumLineLength: 50)
        #expect(throws: StatementError.self) {
            while try reader.next() != nil {}
        }
    }

    @Test("Windows-1252 lines come out as UTF-8")
    func latin1Lines() throws {
        var reader = LineReader(
            source: InMemoryByteSource([0x47, 0x72, 0xFC, 0xDF, 0x65, 0x0D, 0x0A, 0x78], chunkSize: 3))
        #expect(try reader.next()?.text == "Grüße")
        #expect(try reader.next()?.text == "x")
        #expect(try reader.next() == nil)
        #expect(reader.encoding == .windows1252)
    }
}
