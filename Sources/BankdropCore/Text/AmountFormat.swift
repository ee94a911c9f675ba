/// Reads amounts the way bank exports write them: `-10,7`, `4.093,32 €`, `1,234.56`, `(12.00)`,
/// `9,90-`, `EUR 12,00`.
///
/// Around the number it accepts spaces, tabs, no-break spaces (U+00A0, U+202F), a currency symbol
/// (`€ $ £ ¥`) or a three-letter code, and one sign: a leading or trailing `-`/`+`, the minus sign
/// U+2212, or parentheses. Inside it accepts digits, at most one decimal separator, and thousands
/// separators (the other of `.`/`,`, a space, a no-break space, `'`) between groups of exactly three
/// digits. The decimals are kept as written (`-10,7` is `-10.7`, scale 1): callers pad.
public struct AmountFormat: Sendable, Hashable {
    /// The character between whole units and decimals.
    public var decimalSeparator: DecimalSeparator

    /// Creates a format.
    public init(decimalSeparator: DecimalSeparator) {
        self.decimalSeparator = decimalSeparator
    }

    /// Parses a string.
    /// - Throws: `ValueParseError` saying why the text is not an amount.
    public func parse(_ text: some StringProtocol) throws(ValueParseError) -> Amount {
        try parse(Array(text.utf8)[...])
    }

    /// Parses UTF-8 bytes.
    /// - Throws: `ValueParseError` saying why the bytes are not an amount.
    public func parse(_ utf8: ArraySlice<UInt8>) throws(ValueParseError) -> Amount {
        var lower = utf8.startIndex
        var upper = utf8.endIndex
        var negative = false
        var signed = false
        var parenthesised = false

        while lower < upper {
            if let length = Self.decorationLength(utf8, at: lower, before: upper) {
                lower += length
            } else if !signed, utf8[lower] == UInt8(ascii: "-") || utf8[lower] == UInt8(ascii: "+") {
                negative = utf8[lower] == UInt8(ascii: "-")
                signed = true
                lower += 1
            } else if !signed, Self.matches(utf8, at: lower, before: upper, [0xE2, 0x88, 0x92]) {
                negative = true
                signed = true
                lower += 3
            } else if !signed, utf8[lower] == UInt8(ascii: "(") {
                negative = true
                signed = true
                parenthesised = true
                lower += 1
            } else {
                break
            }
        }
        while lower < upper {
            if let length = Self.decorationLengthBackwards(utf8, endingAt: upper, after: lower) {
                upper -= length
            } else if parenthesised, utf8[upper - 1] == UInt8(ascii: ")") {
                parenthesised = false
                upper -= 1
            } else if !signed, utf8[upper - 1] == UInt8(ascii: "-") || utf8[upper - 1] == UInt8(ascii: "+") {
                negative = utf8[upper - 1] == UInt8(ascii: "-")
                signed = true
                upper -= 1
            } else {
                break
            }
        }
        if parenthesised { throw ValueParseError("not an amount: an opening parenthesis is not closed") }
        guard lower < upper else { throw ValueParseError("not an amount: no digits") }
        let magnitude = try parseMagnitude(utf8[lower..<upper])
        return Amount(units: negative ? -magnitude.units : magnitude.units, scale: magnitude.scale)
    }

    private func parseMagnitude(_ core: ArraySlice<UInt8>) throws(ValueParseError) -> Amount {
        let decimal = UInt8(ascii: decimalSeparator == .comma ? "," : ".")
        let otherMark = UInt8(ascii: decimalSeparator == .comma ? "." : ",")
        let decimalText = decimalSeparator.rawValue
        var units: Int64 = 0
        var scale = 0
        var digits = 0
        var seenDecimal = false
        var seenGroup = false
        var digitsInGroup = 0
        var index = core.startIndex
        while index < core.endIndex {
            let byte = core[index]
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (shifted, overflow1) = units.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw ValueParseError("the amount is too large") }
                units = sum
                digits += 1
                if seenDecimal { scale += 1 } else { digitsInGroup += 1 }
                index += 1
            } else if byte == decimal {
                if seenDecimal {
                    throw ValueParseError(
                        "not an amount: more than one decimal separator \"\(decimalText)\"\(Self.hint)"
                    )
                }
                if seenGroup, digitsInGroup != 3 {
                    throw ValueParseError("not an amount: thousands separators must separate groups of three digits")
                }
                seenDecimal = true
                index += 1
            } else if let length = Self.groupSeparatorLength(core, at: index, otherMark: otherMark) {
                if seenDecimal {
                    throw ValueParseError(
                        "not an amount: a separator after the decimal separator \"\(decimalText)\"\(Self.hint)"
                    )
                }
                if seenGroup ? digitsInGroup != 3 : !(1...3).contains(digitsInGroup) {
                    throw ValueParseError(
                        "not an amount: thousands separators must separate groups of three digits\(Self.hint)"
                    )
                }
                seenGroup = true
                digitsInGroup = 0
                index += length
            } else {
                throw ValueParseError("not an amount: unexpected character")
            }
        }
        guard digits > 0 else { throw ValueParseError("not an amount: no digits") }
        if seenGroup, !seenDecimal, digitsInGroup != 3 {
            throw ValueParseError(
                "not an amount: thousands separators must separate groups of three digits\(Self.hint)"
            )
        }
        return Amount(units: units, scale: scale)
    }

    private static let hint = " (is the decimal separator right?)"

    /// The length of a thousands separator at `index`: the other mark, space, `'`, or a no-break space.
    private static func groupSeparatorLength(_ bytes: ArraySlice<UInt8>, at index: Int, otherMark: UInt8) -> Int? {
        let byte = bytes[index]
        if byte == otherMark || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "'") { return 1 }
        if matches(bytes, at: index, before: bytes.endIndex, [0xC2, 0xA0]) { return 2 }
        if matches(bytes, at: index, before: bytes.endIndex, [0xE2, 0x80, 0xAF]) { return 3 }
        return nil
    }

    /// Blanks and currency marks that may surround an amount, as UTF-8.
    private static let decorations: [[UInt8]] = [
        [0x20], [0x09], [0xC2, 0xA0], [0xE2, 0x80, 0xAF], [0xE2, 0x80, 0x89],  // spaces
        [0xE2, 0x82, 0xAC], [0x24], [0xC2, 0xA3], [0xC2, 0xA5],  // € $ £ ¥
    ]

    private static func decorationLength(_ bytes: ArraySlice<UInt8>, at index: Int, before end: Int) -> Int? {
        for decoration in decorations where matches(bytes, at: index, before: end, decoration) {
            return decoration.count
        }
        if index + 3 <= end, (index..<index + 3).allSatisfy({ isUppercaseLetter(bytes[$0]) }),
            index + 3 == end || !isUppercaseLetter(bytes[index + 3])
        {
            return 3
        }
        return nil
    }

    private static func decorationLengthBackwards(
        _ bytes: ArraySlice<UInt8>, endingAt end: Int, after start: Int
    ) -> Int? {
        for decoration in decorations where end - decoration.count >= start {
            if matches(bytes, at: end - decoration.count, before: end, decoration) { return decoration.count }
        }
        if end - 3 >= start, (end - 3..<end).allSatisfy({ isUppercaseLetter(bytes[$0]) }),
            end - 3 == start || !isUppercaseLetter(bytes[end - 4])
        {
            return 3
        }
        return nil
    }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
    }

    private static func matches(_ bytes: ArraySlice<UInt8>, at index: Int, before end: Int, _ pattern: [UInt8]) -> Bool
    {
        guard index + pattern.count <= end else { return false }
        for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] {
            return false
        }
        return true
    }
}
