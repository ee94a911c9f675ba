/// Turns the bytes of one field into text: UTF-8 when they are valid UTF-8, else Windows-1252.
///
/// Statement files often declare an encoding that is wrong (a Chase QFX says `CHARSET:1252` and
/// holds UTF-8). Valid UTF-8 is almost never an accident in 1252 text, so it wins; anything else
/// is read as Windows-1252, a superset of ISO-8859-1's printable range. The choice is made per
/// field, so a reader never needs the whole file to decide.
enum TextDecoding {
    /// Decodes `bytes` as UTF-8 if valid, else as Windows-1252. Strips a leading UTF-8 BOM.
    static func string(_ bytes: some Collection<UInt8>) -> String {
        // Fast path: ASCII is the same in both encodings and needs no validation.
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var slice = Array(bytes)[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        if let text = String(validating: slice, as: UTF8.self) { return text }
        return windows1252(slice)
    }

    /// Whether every byte is ASCII (then both decodings agree).
    static func isASCII(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// Decodes Windows-1252; the five unassigned bytes map to the C1 control of the same value,
    /// as the WHATWG Encoding Standard does.
    static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80, byte <= 0x9F, let mapped = Unicode.Scalar(high1252[Int(byte - 0x80)]) {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Windows-1252 code points for bytes 0x80...0x9F.
    private static let high1252: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Whether `byte` is ASCII whitespace (space, tab, CR, LF, form feed, vertical tab).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// `text` without leading and trailing whitespace (including NBSP and other Unicode spaces).
    static func trimmed(_ text: some StringProtocol) -> String {
        let utf8 = Substring(text).utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return String(text)  // nothing to trim: the common case
        }
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(Substring(scalars))
    }
}
