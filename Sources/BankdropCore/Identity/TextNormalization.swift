/// Text normalisation shared by row identity and merchant rules.
///
/// Deliberately small and stable: it is part of the persistent row-key format, so it uses only
/// the Unicode `White_Space` property, which does not change between Unicode versions.
enum TextNormalization {
    /// Collapses every run of Unicode whitespace (spaces, tabs, line breaks, no-break spaces,
    /// ideographic spaces, ...) to one ASCII space and trims both ends.
    static func collapsingWhitespace(_ text: some StringProtocol) -> String {
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
}
