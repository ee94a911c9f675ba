/// An exact signed decimal amount of money: `units × 10^-scale`.
///
/// Never a binary floating point. `-12.345` is `units: -12345, scale: 3`. Money out is negative
/// (see docs/database-architecture.md, "Sign convention").
public struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in units of `10^-scale`.
    public var units: Int64
    /// Digits after the decimal point, as the file wrote them (at least the currency's minor units).
    public var scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Zero with two decimals.
    public static let zero = Amount(units: 0, scale: 2)

    /// Parses a plain decimal literal: optional sign, digits, optional `.` and fraction digits.
    ///
    /// No thousands separators, no currency symbols, no exponent: readers normalise first.
    /// Returns nil for anything else, or when the value does not fit.
    public init?(_ text: some StringProtocol) {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty else { return nil }
        var units: Int64 = 0
        var scale = 0
        var seenPoint = false
        var digits = 0
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            units = s
            digits += 1
            if seenPoint { scale += 1 }
        }
        guard digits > 0 else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// The same value with at least `minimumScale` decimals (`9` → `9.00`). Never loses digits.
    public func padded(toScale minimumScale: Int) -> Amount {
        guard scale < minimumScale else { return self }
        var result = self
        while result.scale < minimumScale {
            let (m, o) = result.units.multipliedReportingOverflow(by: 10)
            if o { return result }
            result.units = m
            result.scale += 1
        }
        return result
    }

    /// The value negated.
    public static prefix func - (value: Amount) -> Amount {
        Amount(units: -value.units, scale: value.scale)
    }

    /// Exact sum at the larger of the two scales.
    public static func + (lhs: Amount, rhs: Amount) -> Amount {
        let scale = max(lhs.scale, rhs.scale)
        return Amount(units: lhs.padded(toScale: scale).units + rhs.padded(toScale: scale).units, scale: scale)
    }

    public static func < (lhs: Amount, rhs: Amount) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.padded(toScale: scale).units < rhs.padded(toScale: scale).units
    }

    public static func == (lhs: Amount, rhs: Amount) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        return lhs.padded(toScale: scale).units == rhs.padded(toScale: scale).units
    }

    public func hash(into hasher: inout Hasher) {
        // Equal values at different scales must hash alike: hash the value without trailing zeros.
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        hasher.combine(units)
        hasher.combine(scale)
    }

    /// Whether the amount is below zero (money out).
    public var isNegative: Bool { units < 0 }

    /// Plain decimal text with `.`, e.g. `-1234.50`; what PostgreSQL's `numeric` input accepts.
    public var description: String {
        var text: [UInt8] = []
        appendDescription(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `description`, without building a String (row keys and COPY
    /// text write every row's amount).
    func appendDescription(to bytes: inout [UInt8]) {
        if units < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        // With decimals, at least one digit before the point: 5 at scale 2 is `0.05`.
        let width = scale > 0 ? max(digitCount, scale + 1) : digitCount
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var value = magnitude
        for index in stride(from: start + width - 1, through: start + width - digitCount, by: -1) {
            bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
        if scale > 0 { bytes.insert(UInt8(ascii: "."), at: start + width - scale) }
    }
}
