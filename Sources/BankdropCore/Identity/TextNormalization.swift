/// Text normalisation shared by row identity and merchant rules.
///
/// Deliberately small and stable: it is part of the persistent row-key format, so it uses only
/// the Unicode `White_Space` property, which does not change between Unicode versions.
enum TextNormalization {
    /// Collapses every run of Unicode whitespace (spaces, tabs, line breaks, no-break spaces,
    /// ideographic spaces, ...) to one ASCII space and trims both ends.
    static func collapsingWhitespace(_ text: some StringProtocol) -> String {
        // Most bank text is already collapsed: then the result is the text itself, not a copy.
        if isCollapsedASCII(text) { return String(text) }
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

    /// Whether `text` is ASCII and `collapsingWhitespace(text)` is the text itself: no whitespace
    /// but single spaces between other characters.
    static func isCollapsedASCII(_ text: some StringProtocol) -> Bool {
        // Over the contiguous UTF-8 of a native string when there is one: the generic view's
        // iterator cost as much as the check itself (perf, 200k rows).
        text.utf8.withContiguousStorageIfAvailable { isCollapsedASCII(utf8: $0) } ?? isCollapsedASCII(utf8: text.utf8)
    }

    private static func isCollapsedASCII(utf8: some Sequence<UInt8>) -> Bool {
        var afterSpace = true
        var isEmpty = true
        for byte in utf8 {
            guard byte < 0x80, byte < 0x09 || byte > 0x0D else { return false }
            if byte == 0x20 {
                if afterSpace { return false }
                afterSpace = true
            } else {
                afterSpace = false
            }
            isEmpty = false
        }
        return isEmpty || !afterSpace
    }
}
