/// OFX date and date-time values: `YYYYMMDD` or `YYYYMMDDHHMMSS[.XXX][[+-]H[:TZ]]`.
enum OFXDate {
    /// The calendar date as written (the first eight digits), or nil when `text` is not an OFX
    /// date or names a day or time that does not exist.
    ///
    /// The zone in brackets is checked for shape and otherwise ignored: `20051021000000[-5:EST]`
    /// is 2005-10-21, never shifted through UTC.
    static func date(_ text: String) -> LocalDate? {
        let bytes = Array(TextDecoding.trimmed(text).utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        guard let year = digits(4), let month = digits(2), let day = digits(2),
            let date = LocalDate(year: year, month: month, day: day)
        else { return nil }
        if isDigit(index) {
            guard let hour = digits(2), let minute = digits(2), let second = digits(2),
                hour < 24, minute < 60, second <= 60
            else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while isDigit(index) { index += 1 }
                guard index > start else { return nil }
            }
        }
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), bytes.count - index >= 3
            else { return nil }
            // [-5:EST], [+10], [0:GMT], [-3.5:NST]: a signed offset, optional decimals, optional name.
            var zone = bytes[(index + 1)..<(bytes.count - 1)]
            if let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                zone = zone.dropFirst()
            }
            let offset = zone.prefix { $0 != UInt8(ascii: ":") }
            guard !offset.isEmpty,
                offset.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") })
            else { return nil }
        }
        return date
    }
}
