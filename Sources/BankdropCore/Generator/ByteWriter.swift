/// The output buffer of ``StatementEncoder``: appends text, zero-padded numbers, amounts and dates
/// as bytes, without building intermediate strings per row.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// `value` (0 or more) in decimal, left-padded with zeros to `width` digits.
    mutating func digits(_ value: Int64, width: Int = 1) {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        count = max(count, width)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var index = start + count - 1
        var remaining = value
        while remaining > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    mutating func digits(_ value: Int, width: Int = 1) {
        digits(Int64(value), width: width)
    }

    /// The magnitude of an amount in cents with two decimals: `-320` → `3.20` (or `3,20`).
    mutating func magnitude(cents: Int64, separator: UInt8 = UInt8(ascii: ".")) {
        let magnitude = cents.magnitude
        digits(Int64(magnitude / 100))
        byte(separator)
        digits(Int64(magnitude % 100), width: 2)
    }

    /// A signed amount in cents with two decimals and a decimal point: `-320` → `-3.20`.
    mutating func signed(cents: Int64) {
        if cents < 0 { byte(UInt8(ascii: "-")) }
        magnitude(cents: cents)
    }

    /// `YYYY-MM-DD`.
    mutating func isoDate(_ date: LocalDate) {
        digits(date.year, width: 4)
        byte(UInt8(ascii: "-"))
        digits(date.month, width: 2)
        byte(UInt8(ascii: "-"))
        digits(date.day, width: 2)
    }

    /// `YYYYMMDD`.
    mutating func compactDate(_ date: LocalDate) {
        digits(date.year, width: 4)
        digits(date.month, width: 2)
        digits(date.day, width: 2)
    }

    /// `YYMMDD` (SWIFT).
    mutating func swiftDate(_ date: LocalDate) {
        digits(date.year % 100, width: 2)
        digits(date.month, width: 2)
        digits(date.day, width: 2)
    }

    /// Text with `&`, `<`, `>` and `"` escaped for XML and OFX.
    mutating func xml(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): ascii("&amp;")
            case UInt8(ascii: "<"): ascii("&lt;")
            case UInt8(ascii: ">"): ascii("&gt;")
            case UInt8(ascii: "\""): ascii("&quot;")
            default: bytes.append(byte)
            }
        }
    }

    /// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
    mutating func csv(_ text: String) {
        let needsQuotes = text.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard needsQuotes else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        byte(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        byte(UInt8(ascii: "\""))
    }
}
