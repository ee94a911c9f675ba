/// Value syntax shared by MT940 fields: `YYMMDD` dates, `MMDD` entry dates, comma amounts.
enum MT940Values {
    /// `YYMMDD` with the century 20: MT940 exports in use today date from 2000 on.
    static func date(yymmdd text: some StringProtocol) -> LocalDate? {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let yy = Int(text.prefix(2)), let mm = Int(text.dropFirst(2).prefix(2)), let dd = Int(text.suffix(2))
        else { return nil }
        return LocalDate(year: 2000 + yy, month: mm, day: dd)
    }

    /// `MMDD` in the year nearest to `reference` (an entry date of 0101 next to a value date of
    /// 2015-12-31 is 2016-01-01), or nil when that day exists in none of the three candidate years.
    static func entryDate(mmdd text: some StringProtocol, near reference: LocalDate) -> LocalDate? {
        guard text.utf8.count == 4, let mm = Int(text.prefix(2)), let dd = Int(text.suffix(2)) else { return nil }
        let candidates = [reference.year, reference.year - 1, reference.year + 1].compactMap {
            LocalDate(year: $0, month: mm, day: dd)
        }
        let target = dayNumber(reference)
        return candidates.min { abs(dayNumber($0) - target) < abs(dayNumber($1) - target) }
    }

    /// An MT940 amount: digits with a decimal comma (`1234,56`, `9,`, `,5`), or digits alone.
    static func amount(_ text: some StringProtocol) -> Amount? {
        guard !text.contains("."), text.utf8.filter({ $0 == UInt8(ascii: ",") }).count <= 1 else { return nil }
        return Amount(String(text.map { $0 == "," ? "." : $0 }))
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for comparing distances between dates.
    static func dayNumber(_ date: LocalDate) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = date.month <= 2 ? date.year - 1 : date.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (date.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + date.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
