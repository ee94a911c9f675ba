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

/// `collapsingWhitespace` hands back ASCII text that is already collapsed without copying it;
/// the check must say yes exactly when collapsing would not change the text.
@Suite("Text normalisation: already collapsed")
struct TextNormalizationCollapsedTests {
    @Test(
        "already collapsed means collapsing changes nothing",
        arguments: [
            "", "a", "a b", "a b c", "Robert'); DROP TABLE t;--", " ", "  ", " a", "a ", "a  b", "a\tb", "a\nb",
            "a\r\nb", "\u{0B}", "a\u{0C}", "\u{1F}x\u{7F}", "café", "a\u{00A0}b", "a\u{0085}b", "Zoë ok",
        ])
    func collapsed(_ text: String) {
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        #expect(
            TextNormalization.isCollapsedASCII(text)
                == (isASCII && TextNormalization.collapsingWhitespace(text) == text))
        #expect(TextNormalization.isCollapsedASCII(text[...]) == TextNormalization.isCollapsedASCII(text))
    }
}
