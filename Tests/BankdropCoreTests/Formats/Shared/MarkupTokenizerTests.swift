import Testing

@testable import BankdropCore

@Suite("Markup pull tokenizer")
struct MarkupTokenizerTests {
    static func tokens(_ text: String, chunkSize: Int = 65536) throws(StatementError) -> [MarkupToken] {
        var tokenizer = MarkupTokenizer(InMemoryByteSource(text, chunkSize: chunkSize))
        var tokens: [MarkupToken] = []
        while let token = try tokenizer.next() { tokens.append(token) }
        return tokens
    }

    @Test("start, end, text with entities, CDATA, comments and declarations skipped")
    func tokens() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE x [ <!ENTITY y "z>"> ]>
            <a:Doc xmlns:a='urn:x' b = "1 &amp; 2" c=bare>
              <Nm>Fish &amp; Chips &#39;n&#x27; &lt;more&gt; &unknown; AT&T</Nm><!-- <Nm>no</Nm> -->
              <Ustrd>x<![CDATA[ <raw> &amp; ]]]>y</Ustrd><Empty/>
            </a:Doc>
            """
        let expected: [MarkupToken] = [
            .start(
                name: "a:Doc",
                attributes: [
                    MarkupAttribute(name: "xmlns:a", value: "urn:x"), MarkupAttribute(name: "b", value: "1 & 2"),
                    MarkupAttribute(name: "c", value: "bare"),
                ], selfClosing: false, line: 3),
            .start(name: "Nm", attributes: [], selfClosing: false, line: 4),
            .text("Fish & Chips 'n' <more> &unknown; AT&T", line: 4),
            .end(name: "Nm", line: 4),
            .start(name: "Ustrd", attributes: [], selfClosing: false, line: 5),
            .text("x <raw> &amp; ]y", line: 5),
            .end(name: "Ustrd", line: 5),
            .start(name: "Empty", attributes: [], selfClosing: true, line: 5),
            .end(name: "a:Doc", line: 6),
        ]
        for chunkSize in [1, 2, 3, 7, 65536] {
            #expect(try Self.tokens(text, chunkSize: chunkSize) == expected)
        }
    }

    @Test("counts LF, CRLF and lone CR line ends")
    func lineEnds() throws {
        let tokens = try Self.tokens("<a>\r\n<b>\r<c>\n\n<d>")
        #expect(tokens.map { if case .start(_, _, _, let line) = $0 { line } else { 0 } } == [1, 2, 3, 5])
    }

    @Test("refuses markup cut short", arguments: ["<a", "<a b=\"x", "<!-- open", "<![CDATA[ x", "<?xml", "</a"])
    func truncated(_ text: String) throws {
        let error = try #require(throws: StatementError.self) { try Self.tokens("\n" + text) }
        #expect(error.line == 2)
        #expect(error.message.contains("ends inside"))
    }

    @Test("refuses a text run longer than the limit instead of buffering it")
    func longText() throws {
        var tokenizer = MarkupTokenizer(
            InMemoryByteSource("<a>" + String(repeating: "x", count: 100)), maximumTextLength: 50)
        _ = try tokenizer.next()
        let error = try #require(throws: StatementError.self) { try tokenizer.next() }
        #expect(error.line == 1)
    }
}

extension MarkupTokenizerTests {
    @Test("refuses a tag longer than the limit, at the line where the tag starts")
    func longTag() throws {
        let text = "\n<a " + String(repeating: "b=\"1\"\n", count: 50) + ">"
        var tokenizer = MarkupTokenizer(InMemoryByteSource(text), maximumTagLength: 100)
        let error = try #require(throws: StatementError.self) { try tokenizer.next() }
        #expect(error.line == 2)
        #expect(error.value?.hasPrefix("<a b=") == true)
    }
}
