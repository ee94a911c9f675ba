/// A character encoding that bank exports are written in.
///
/// `TextDecoder` detects it (byte order mark, then UTF-8 validity with a Windows-1252 fallback)
/// unless the caller names one.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    /// UTF-8, with or without a byte order mark.
    case utf8 = "utf-8"
    /// Windows-1252, the superset of ISO-8859-1 that Windows programs write for "Latin-1".
    case windows1252 = "windows-1252"
    /// UTF-16 little-endian (byte order mark `FF FE`).
    case utf16LittleEndian = "utf-16le"
    /// UTF-16 big-endian (byte order mark `FE FF`).
    case utf16BigEndian = "utf-16be"

    /// Looks an encoding up by one of its common names (`UTF-8`, `latin1`, `ISO-8859-1`, `cp1252`,
    /// `UTF-16LE`, ...), ignoring case, or returns nil for a name bankdrop does not read.
    public init?(name: String) {
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "utf8": self = .utf8
        case "windows1252", "cp1252", "latin1", "iso88591", "l1", "ansi": self = .windows1252
        case "utf16le": self = .utf16LittleEndian
        case "utf16be": self = .utf16BigEndian
        default: return nil
        }
    }
}
