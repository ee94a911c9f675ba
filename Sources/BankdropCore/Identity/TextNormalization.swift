/// Text normalisation shared by row identity and merchant rules.
///
/// Deliberately small and stable: it is part of the persistent row-key format, so it uses only
/// the Unicode `White_Space` property, which does not change between Unicode versions.
enum TextNormalization {
    /// Collapses every run of Unicode whitespace (spaces, tabs, line breaks, no-break spaces,
    /// ideographic spaces, ...) to one ASCII space and trims both ends.
    static func collapsingWhitespace(_ text: some StringProtocol) -> String {
        // Most bank text is already collapsed: then the result is the text itself, not a copy.
        if isCollapsed(text) { return String(text) }
        if let ascii = asciiCollapsingWhitespace(text) { return ascii }
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// The same for ASCII text, byte by byte; nil when the text holds a non-ASCII byte.
    ///
    /// Hand-written because it was measured to matter: with the Unicode property lookup alone,
    /// this function took a third of the importer's CPU (`perf record` on a 200k-row dry run).
    /// In ASCII, `White_Space` is exactly U+0009...U+000D and U+0020.
    private static func asciiCollapsingWhitespace(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `collapsingWhitespace(text)` is the text itself: no whitespace but single ASCII
    /// spaces between other characters.
    static func isCollapsed(_ text: some StringProtocol) -> Bool {
        shape(of: text) != .changes
    }

    /// Whether `text` is ASCII and `collapsingWhitespace(text)` is the text itself.
    static func isCollapsedASCII(_ text: some StringProtocol) -> Bool {
        shape(of: text) == .collapsedASCII
    }

    private enum Shape {
        case changes
        case collapsedASCII
        case collapsed
    }

    private static func shape(of text: some StringProtocol) -> Shape {
        // Over the contiguous UTF-8 of a native string when there is one: the generic view's
        // iterator cost as much as the check itself (perf, 200k rows).
        text.utf8.withContiguousStorageIfAvailable { shape(utf8: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { shape(utf8: $0) }
    }

    /// Reads UTF-8 bytes. Hand-written so that text with accents does not take the Unicode
    /// property lookups of `collapsingWhitespace` (they were 5% of the client's CPU with 5% of
    /// the rows holding an accent): the non-ASCII `White_Space` characters are recognised by
    /// their bytes, a test holds the list to `Unicode.Scalar.Properties.isWhitespace` for
    /// every scalar.
    private static func shape(utf8: UnsafeBufferPointer<UInt8>) -> Shape {
        var afterSpace = true
        var isASCII = true
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == 0x20 {
                if afterSpace { return .changes }
                afterSpace = true
            } else if byte >= 0x09 && byte <= 0x0D {
                return .changes
            } else {
                if byte >= 0x80 {
                    isASCII = false
                    if isNonASCIIWhitespace(utf8, at: index) { return .changes }
                }
                afterSpace = false
            }
            index += 1
        }
        guard utf8.isEmpty || !afterSpace else { return .changes }
        return isASCII ? .collapsedASCII : .collapsed
    }

    /// Whether the UTF-8 sequence starting at `index` is a `White_Space` character beyond ASCII:
    /// U+0085, U+00A0, U+1680, U+2000...U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    private static func isNonASCIIWhitespace(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        func byte(_ offset: Int) -> UInt8 { index + offset < utf8.count ? utf8[index + offset] : 0 }
        switch utf8[index] {
        case 0xC2: return byte(1) == 0x85 || byte(1) == 0xA0
        case 0xE1: return byte(1) == 0x9A && byte(2) == 0x80
        case 0xE2:
            if byte(1) == 0x80 { return (0x80...0x8A).contains(byte(2)) || [0xA8, 0xA9, 0xAF].contains(byte(2)) }
            return byte(1) == 0x81 && byte(2) == 0x9F
        case 0xE3: return byte(1) == 0x80 && byte(2) == 0x80
        default: return false
        }
    }
}
