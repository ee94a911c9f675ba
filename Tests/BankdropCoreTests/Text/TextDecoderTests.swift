import BankdropCore
import Testing

@Suite("TextDecoder")
struct TextDecoderTests {
    /// Decodes everything, or returns the error.
    static func decode(_ bytes: [UInt8], chunkSize: Int = 64 * 1024, encoding: TextEncoding? = nil)
        -> (text: [UInt8], encoding: TextEncoding?, error: TextDecodingError?)
    {
        var decoder = TextDecoder(source: InMemoryByteSource(bytes, chunkSize: chunkSize), encoding: encoding)
        var output: [UInt8] = []
        do {
            while true {
                let chunk = try decoder.read()
                if chunk.isEmpty { break }
                output += chunk
            }
        } catch {
            return (output, decoder.encoding, error)
        }
        return (output, decoder.encoding, nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var text: String
        var encoding: TextEncoding
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ASCII", bytes: Array("Datum;Betrag\n".utf8), text: "Datum;Betrag\n", encoding: .utf8),
        Case(name: "UTF-8 without BOM", bytes: Array("Währung €\n".utf8), text: "Währung €\n", encoding: .utf8),
        Case(
            name: "UTF-8 with BOM", bytes: [0xEF, 0xBB, 0xBF] + Array("Währung".utf8), text: "Währung", encoding: .utf8),
        Case(
            name: "Latin-1 ä", bytes: Array("W".utf8) + [0xE4] + Array("hrung".utf8), text: "Währung",
            encoding: .windows1252),
        Case(
            name: "Windows-1252 € and quotes", bytes: [0x80, 0x20, 0x93, 0x61, 0x94], text: "€ \u{201C}a\u{201D}",
            encoding: .windows1252),
        Case(
            name: "Latin-1 after 100 KB of ASCII", bytes: Array(repeating: 0x61, count: 100_000) + [0xFC],
            text: String(repeating: "a", count: 100_000) + "ü", encoding: .windows1252),
        Case(
            name: "UTF-16 LE with BOM",
            bytes: [0xFF, 0xFE] + Array("Wä€😀".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
            text: "Wä€😀", encoding: .utf16LittleEndian),
        Case(
            name: "UTF-16 BE with BOM",
            bytes: [0xFE, 0xFF] + Array("Wä€😀".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] },
            text: "Wä€😀", encoding: .utf16BigEndian),
        Case(name: "empty", bytes: [], text: "", encoding: .utf8),
        Case(name: "only a BOM", bytes: [0xEF, 0xBB, 0xBF], text: "", encoding: .utf8),
    ]

    @Test("detects the encoding and decodes to UTF-8", arguments: cases, [1, 2, 7, 64 * 1024])
    func decodes(_ sample: Case, chunkSize: Int) {
        let result = Self.decode(sample.bytes, chunkSize: chunkSize)
        #expect(result.error == nil)
        #expect(String(decoding: result.text, as: UTF8.self) == sample.text)
        #expect(result.encoding == sample.encoding)
    }

    @Test("a multi-byte sequence split across chunks stays one character", arguments: 1...6)
    func straddlingSequence(chunkSize: Int) {
        let text = "ab€cd😀e"
        let result = Self.decode(Array(text.utf8), chunkSize: chunkSize)
        #expect(String(decoding: result.text, as: UTF8.self) == text)
        #expect(result.encoding == .utf8)
    }

    @Test("a named encoding is used without detection")
    func namedEncoding() {
        // Valid UTF-8 bytes for "ä", read as Windows-1252 because the caller says so.
        let result = Self.decode([0xC3, 0xA4], encoding: .windows1252)
        #expect(String(decoding: result.text, as: UTF8.self) == "Ã¤")
    }

    @Test("ill-formed UTF-8 after UTF-8 was decided: the good bytes first, then an error with the offset")
    func invalidAfterDecision() {
        let bytes = Array("ä;ok\n".utf8) + Array(repeating: 0x61, count: 70_000) + [0xC3, 0x28]
        for chunkSize in [1, 7, 64 * 1024] {
            let result = Self.decode(bytes, chunkSize: chunkSize)
            #expect(result.encoding == .utf8)
            #expect(result.text.count == bytes.count - 2)
            #expect(result.error?.byteOffset == bytes.count - 2)
            #expect(result.error?.bytes == [0xC3])
        }
    }

    @Test("a BOM declares UTF-8: ill-formed bytes are an error, not Windows-1252")
    func invalidWithByteOrderMark() {
        let result = Self.decode([0xEF, 0xBB, 0xBF, 0x61, 0xE4, 0x62])
        #expect(result.error?.byteOffset == 4)
        #expect(result.error?.hexBytes == "0xE4")
        #expect(String(decoding: result.text, as: UTF8.self) == "a")
    }

    @Test("input that ends inside a UTF-8 sequence is an error")
    func truncatedAtEnd() {
        let result = Self.decode([0xEF, 0xBB, 0xBF, 0x61, 0xE2, 0x82])
        #expect(result.error?.byteOffset == 4)
        #expect(result.error?.bytes == [0xE2, 0x82])
    }

    @Test("a lone UTF-16 surrogate is an error")
    func loneSurrogate() {
        let result = Self.decode([0xFF, 0xFE, 0x61, 0x00, 0x00, 0xDC, 0x62, 0x00])
        #expect(result.error?.byteOffset == 4)
        #expect(String(decoding: result.text, as: UTF8.self) == "a")
    }

    @Test("the encoding names users write are understood")
    func encodingNames() {
        #expect(TextEncoding(name: "ISO-8859-1") == .windows1252)
        #expect(TextEncoding(name: "latin1") == .windows1252)
        #expect(TextEncoding(name: "cp1252") == .windows1252)
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "utf-16be") == .utf16BigEndian)
        #expect(TextEncoding(name: "ebcdic") == nil)
    }
}
