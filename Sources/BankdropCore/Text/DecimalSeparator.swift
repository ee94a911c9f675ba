/// The character a file writes between whole units and decimals.
///
/// Encoded as the character itself, so a configuration says `decimal_separator = ","`.
public enum DecimalSeparator: String, Sendable, Hashable, Codable, CaseIterable {
    /// `1.234,56` (German and most of continental Europe).
    case comma = ","
    /// `1,234.56` (English).
    case point = "."
}
