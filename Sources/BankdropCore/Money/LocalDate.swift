/// A calendar date as the bank wrote it: no time, no zone, never shifted through UTC.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date, or nil when the day does not exist (30 February, month 13, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`, what PostgreSQL's `date` input accepts.
    public var description: String {
        var text: [UInt8] = []
        appendDescription(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `description`, without building a String (row keys and COPY
    /// text write every row's date).
    func appendDescription(to bytes: inout [UInt8]) {
        Self.append(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(day, width: 2, to: &bytes)
    }

    /// `value` in decimal, zero-padded on the left to `width` characters.
    private static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        guard (0...9999).contains(value) else {
            // Out-of-range values (the fields are public) keep String's spelling: `-5` pads to `00-5`.
            let text = String(value).utf8
            if text.count < width {
                bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.count))
            }
            bytes.append(contentsOf: text)
            return
        }
        let digitCount = value >= 1000 ? 4 : value >= 100 ? 3 : value >= 10 ? 2 : 1
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(width, digitCount)))
        var rest = value
        var index = bytes.count - 1
        while rest > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }
}
