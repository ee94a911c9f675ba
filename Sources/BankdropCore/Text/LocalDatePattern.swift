/// A date layout such as `dd.MM.yyyy`, `dd.MM.yy`, `yyyy-MM-dd`, `MM/dd/yyyy` or `yyyyMMdd`.
///
/// Letters: `d`/`dd` day, `M`/`MM` month, `yyyy` four-digit year, `yy` two-digit year (read as
/// 20YY). Any other ASCII character that is not a letter stands for itself. A day or month between
/// separators (or the pattern's ends) may have one or two digits (`1.2.2025` reads with
/// `dd.MM.yyyy`); where two numbers touch (`yyyyMMdd`) each must have its full width. Text after the date that
/// starts with a space or `T` (a time) is ignored: the date is taken as written, never shifted.
public struct LocalDatePattern: Sendable, Hashable, CustomStringConvertible {
    private enum Token: Sendable, Hashable {
        case day
        case month
        case year(digits: Int)
        case literal(UInt8)
    }

    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    /// Compiles a pattern.
    /// - Throws: `ValueParseError` when the pattern lacks a day, month or year, repeats one, or uses
    ///   a letter other than `d`, `M`, `y`.
    public init(_ pattern: String) throws(ValueParseError) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var run = 1
            while index + run < bytes.count, bytes[index + run] == byte { run += 1 }
            switch byte {
            case UInt8(ascii: "d") where run <= 2: tokens.append(.day)
            case UInt8(ascii: "M") where run <= 2: tokens.append(.month)
            case UInt8(ascii: "y") where run == 2 || run == 4: tokens.append(.year(digits: run))
            case _ where byte >= 0x80 || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")):
                throw ValueParseError(
                    "unsupported date format \"\(pattern)\": use d or dd, M or MM, yy or yyyy, and separators")
            default:
                for _ in 0..<run { tokens.append(.literal(byte)) }
            }
            index += run
        }
        let days = tokens.filter { $0 == .day }.count
        let months = tokens.filter { $0 == .month }.count
        let years = tokens.filter { if case .year = $0 { true } else { false } }.count
        guard days == 1, months == 1, years == 1 else {
            throw ValueParseError("date format \"\(pattern)\" needs exactly one day, one month and one year")
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    public var description: String { pattern }

    /// Reads a date from a string.
    /// - Throws: `ValueParseError` when the text does not follow the pattern or names no real day.
    public func parse(_ text: some StringProtocol) throws(ValueParseError) -> LocalDate {
        try parse(Array(text.utf8)[...])
    }

    /// Reads a date from UTF-8 bytes (surrounding spaces are ignored).
    /// - Throws: `ValueParseError` when the bytes do not follow the pattern or name no real day.
    public func parse(_ utf8: ArraySlice<UInt8>) throws(ValueParseError) -> LocalDate {
        var index = utf8.startIndex
        var end = utf8.endIndex
        while index < end, utf8[index] == 0x20 || utf8[index] == 0x09 { index += 1 }
        while end > index, utf8[end - 1] == 0x20 || utf8[end - 1] == 0x09 { end -= 1 }
        var day = 0
        var month = 0
        var year = 0
        for (position, token) in tokens.enumerated() {
            let touchesNumber = isNumber(at: position - 1) || isNumber(at: position + 1)
            switch token {
            case .literal(let byte):
                guard index < end, utf8[index] == byte else { throw mismatch() }
                index += 1
            case .day, .month, .year:
                let width: ClosedRange<Int>
                switch token {
                case .year(let digits): width = digits...digits
                default: width = touchesNumber ? 2...2 : 1...2
                }
                var value = 0
                var count = 0
                while index < end, count < width.upperBound, utf8[index] >= 0x30, utf8[index] <= 0x39 {
                    value = value * 10 + Int(utf8[index] - 0x30)
                    count += 1
                    index += 1
                }
                guard width.contains(count) else { throw mismatch() }
                switch token {
                case .day: day = value
                case .month: month = value
                case .year(let digits): year = digits == 2 ? 2000 + value : value
                case .literal: break
                }
            }
        }
        if index < end, utf8[index] != 0x20, utf8[index] != UInt8(ascii: "T") { throw mismatch() }
        guard let date = LocalDate(year: year, month: month, day: day) else {
            throw ValueParseError("not a calendar date (day \(day), month \(month), year \(year))")
        }
        return date
    }

    private func isNumber(at position: Int) -> Bool {
        guard tokens.indices.contains(position) else { return false }
        if case .literal = tokens[position] { return false }
        return true
    }

    private func mismatch() -> ValueParseError {
        ValueParseError("not a date in the format \(pattern)")
    }
}
