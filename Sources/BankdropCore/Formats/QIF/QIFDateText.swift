/// A QIF `D` value split into its three numbers, before the day/month order is known.
///
/// Accepts `03.11.25`, `3.11.2025`, `11/03'25`, `11/ 3'25` (Quicken pads with spaces),
/// `11/3/2025`, `11-03-25` and `2025-11-03`. Two-digit years are 20YY.
struct QIFDateText {
    private let numbers: [Int]
    private let digitCounts: [Int]
    /// The separators written between the numbers (spaces left out).
    let separators: Set<UInt8>

    init?(_ text: String) {
        var numbers: [Int] = []
        var digitCounts: [Int] = []
        var separators: Set<UInt8> = []
        var current: Int?
        var digits = 0
        for byte in text.utf8 {
            if byte >= 0x30, byte <= 0x39 {
                current = (current ?? 0) * 10 + Int(byte - 0x30)
                digits += 1
                guard digits <= 4 else { return nil }
                continue
            }
            guard
                [UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "'"), 0x20, 0x09].contains(byte)
            else { return nil }
            if byte != 0x20, byte != 0x09 {
                guard current != nil || numbers.count > 0 else { return nil }
                separators.insert(byte)
            }
            if let value = current {
                numbers.append(value)
                digitCounts.append(digits)
                current = nil
                digits = 0
            }
        }
        if let value = current {
            numbers.append(value)
            digitCounts.append(digits)
        }
        guard numbers.count == 3, !separators.isEmpty else { return nil }
        self.numbers = numbers
        self.digitCounts = digitCounts
        self.separators = separators
    }

    /// Whether the year comes first (`2025-11-03`): then the order is not in question.
    var isYearFirst: Bool { digitCounts[0] == 4 }

    /// The order this date proves: a first number above 12 must be a day, a second one too.
    var evidence: QIFDateOrder? {
        guard !isYearFirst else { return nil }
        if numbers[0] > 12, numbers[1] <= 12 { return .dayMonthYear }
        if numbers[1] > 12, numbers[0] <= 12 { return .monthDayYear }
        return nil
    }

    /// The order the separators suggest: Quicken's `/` and `'` are US month-first, `.` and `-` day-first.
    var conventionalOrder: QIFDateOrder {
        separators.contains(UInt8(ascii: "/")) || separators.contains(UInt8(ascii: "'")) ? .monthDayYear : .dayMonthYear
    }

    /// The date in `order`, or nil when no such day exists.
    func date(in order: QIFDateOrder) -> LocalDate? {
        if isYearFirst {
            return LocalDate(year: numbers[0], month: numbers[1], day: numbers[2])
        }
        let year: Int
        switch digitCounts[2] {
        case 1, 2: year = 2000 + numbers[2]
        case 4: year = numbers[2]
        default: return nil
        }
        switch order {
        case .dayMonthYear: return LocalDate(year: year, month: numbers[1], day: numbers[0])
        case .monthDayYear: return LocalDate(year: year, month: numbers[0], day: numbers[1])
        }
    }
}
