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

/// The byte check of already collapsed text names the non-ASCII whitespace by its UTF-8 bytes;
/// this holds it to the Unicode property on every scalar.
@Suite("Text normalisation: whitespace by bytes")
struct TextNormalizationWhitespaceBytesTests {
    @Test("every scalar between two letters: collapsed unless it is White_Space (but one space)")
    func everyScalar() {
        var wrong: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var text = "a"
            text.unicodeScalars.append(scalar)
            text += "b"
            // One ASCII space between two letters is what collapsed text looks like.
            let collapsed = value == 0x20 || !scalar.properties.isWhitespace
            if TextNormalization.isCollapsed(text) != collapsed { wrong.append(value) }
        }
        #expect(wrong.count == 0, "first scalars judged wrongly: \(wrong.prefix(5))")
    }

    @Test(
        "text with accents is collapsed as it is",
        arguments: [
            ("Café Müller", true), ("Café  Müller", false), (" Zoë", false), ("Zoë ", false), ("Zoë\u{00A0}x", false),
            ("日本\u{3000}語", false), ("日本 語", true), ("x\u{2009}y", false), ("x\u{200B}y", true),
        ])
    func accents(_ text: String, _ collapsed: Bool) {
        #expect(TextNormalization.isCollapsed(text) == collapsed)
        #expect((TextNormalization.collapsingWhitespace(text) == text) == collapsed)
        #expect(!TextNormalization.isCollapsedASCII(text))
    }
}
