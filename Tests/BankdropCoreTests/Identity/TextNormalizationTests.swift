import Testing

@testable import BankdropCore

/// The whitespace rule is part of the persistent row-key format: the ASCII fast path and the
/// Unicode path must agree on every input.
@Suite("Text normalisation")
struct TextNormalizationTests {
    @Test(
        "whitespace runs collapse to one space and both ends are trimmed",
        arguments: [
            ("plain", "plain"),
            ("  two  spaces  ", "two spaces"),
            ("tab\there", "tab here"),
            ("line\r\nbreak", "line break"),
            ("vertical\u{0B}tab\u{0C}feed", "vertical tab feed"),
            ("\t\n ", ""),
            ("", ""),
            ("Robert'); DROP TABLE t;--", "Robert'); DROP TABLE t;--"),
            ("no\u{00A0}break", "no break"),
            ("ideo\u{3000}graphic  Zoë", "ideo graphic Zoë"),
            ("next\u{0085}line", "next line"),
        ])
    func collapse(input: String, expected: String) {
        #expect(TextNormalization.collapsingWhitespace(input) == expected)
        // The same text as a Substring takes the same path and gives the same result.
        #expect(TextNormalization.collapsingWhitespace(input[...]) == expected)
    }
}
