/// Rules about the file names found in the inbox: which ones are temporary, how to number a name
/// that clashes, how to name a file's error report, and how to show any name safely.
///
/// Linux file names are bytes, not text: they may hold newlines, quotes or invalid UTF-8. Every
/// rule has a byte form; the `String` forms work on the string's UTF-8.
public enum InboxFileName {
    /// The longest file name Linux accepts, in bytes (`NAME_MAX`).
    public static let maximumLength = 255

    /// The suffix of the report written beside a file moved to failed/.
    public static let errorReportSuffix: [UInt8] = Array(".error.txt".utf8)

    /// Suffixes of names that browsers, sync and transfer tools use while a file is still being
    /// written, plus editor leftovers and bankdrop's own error reports (compared ignoring ASCII case).
    public static let temporarySuffixes: [String] = [
        ".part",  // Firefox, wget, curl -C
        ".crdownload",  // Chrome, Edge
        ".download",  // Safari
        ".tmp",
        ".filepart",  // WinSCP
        "~",  // editor backups
        ".swp",  // vim
        ".error.txt",  // bankdrop's own reports in failed/
    ]

    private static let temporarySuffixBytes: [[UInt8]] = temporarySuffixes.map { Array($0.utf8) }

    /// Whether a name is one the agent must never import: a dotfile (which includes rsync's
    /// `.name.XXXXXX` and bankdrop's `.bankdrop.lock`) or a name ending in one of
    /// ``temporarySuffixes``. An empty name counts as temporary.
    public static func isTemporary(_ name: String) -> Bool {
        isTemporary(bytes: Array(name.utf8))
    }

    /// Whether a name, as raw bytes, is temporary (see ``isTemporary(_:)``).
    public static func isTemporary(bytes name: some Collection<UInt8>) -> Bool {
        guard let first = name.first, first != UInt8(ascii: ".") else { return true }
        let lowered = name.map(asciiLowercased)
        return temporarySuffixBytes.contains { lowered.count >= $0.count && lowered.suffix($0.count).elementsEqual($0) }
    }

    /// The name to try for the `number`-th file of the same name in a folder: `name.ext` for 1,
    /// then `name (2).ext`, `name (3).ext`, ... The stem is shortened when needed (never inside a
    /// UTF-8 sequence) so the result stays within ``maximumLength`` bytes.
    public static func numbered(_ name: [UInt8], _ number: Int) -> [UInt8] {
        guard number > 1 else { return name }
        let (stem, ext) = splitExtension(name)
        let suffix = Array(" (\(number))".utf8)
        let room = maximumLength - suffix.count - ext.count
        return shortened(stem, to: room) + suffix + ext
    }

    /// The name of the error report for a file named `name` in failed/: `name.error.txt`, or, when
    /// that would be longer than ``maximumLength`` bytes, a shortened name followed by `~` and a
    /// hash of the full name, so that two long names sharing a prefix still get distinct reports.
    public static func errorReportName(for name: [UInt8]) -> [UInt8] {
        if name.count + errorReportSuffix.count <= maximumLength { return name + errorReportSuffix }
        let tag = Array("~\(hexadecimal(fnv1a(name)))".utf8)
        let room = maximumLength - errorReportSuffix.count - tag.count
        return shortened(name, to: room) + tag + errorReportSuffix
    }

    /// A name made safe for logs and `--status`: control characters, bidirectional-override
    /// characters and backslashes are escaped (`\n`, `\u{1B}`, `\\`), invalid UTF-8 bytes are
    /// shown as `\xFF`. Printable text, quotes included, is kept as is.
    public static func displayName(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var out = ""
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: index) {
                out += escaped(scalar)
                index += length
            } else {
                out += "\\x" + hexadecimal(UInt64(bytes[index]), width: 2).uppercased()
                index += 1
            }
        }
        return out
    }

    // MARK: - Helpers

    /// Splits `report.2024.csv` into `report.2024` and `.csv`. A leading dot does not start an
    /// extension, and an "extension" longer than 16 bytes is taken as part of the stem.
    static func splitExtension(_ name: [UInt8]) -> (stem: [UInt8], ext: [UInt8]) {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, name.count - dot <= 16 else {
            return (name, [])
        }
        return (Array(name[..<dot]), Array(name[dot...]))
    }

    /// The longest prefix of `bytes` of at most `limit` bytes that does not end inside a UTF-8
    /// sequence (so a valid name stays valid).
    static func shortened(_ bytes: [UInt8], to limit: Int) -> [UInt8] {
        guard bytes.count > limit else { return bytes }
        var end = max(0, limit)
        // Back off while the first dropped byte continues the sequence the kept part ends with.
        while end > 0 && end < bytes.count && bytes[end] & 0b1100_0000 == 0b1000_0000 { end -= 1 }
        return Array(bytes[..<end])
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// FNV-1a, 64 bit: a stable, dependency-free hash for shortened names (not for security).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hexadecimal(_ value: UInt64, width: Int = 16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The scalar encoded at `index` and its length in bytes, or nil when the bytes there are not
    /// valid UTF-8 (overlong forms and surrogates included: the standard library decides).
    private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard index + length <= bytes.count,
            let decoded = String(validating: bytes[index..<(index + length)], as: UTF8.self),
            decoded.unicodeScalars.count == 1, let scalar = decoded.unicodeScalars.first
        else { return nil }
        return (scalar, length)
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value)
            // Bidirectional embeddings, overrides and isolates can make a name display as another.
            let isBidiControl =
                (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
                || value == 0x200E || value == 0x200F || value == 0x061C
            if isControl || isBidiControl {
                return "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            }
            return String(scalar)
        }
    }
}
