import Testing

@testable import BankdropCore

/// `Amount.description` and `LocalDate.description` feed row keys and COPY text: their bytes are
/// a persistent format. They are written byte by byte for speed; these tests pin them to the
/// String-based spelling they replaced, including values no reader produces.
@Suite("Money and date text")
struct MoneyDescriptionTests {
    /// The String-based `Amount.description` the byte writer replaced.
    static func referenceText(_ amount: Amount) -> String {
        var digits = String(amount.units.magnitude)
        if amount.scale > 0 {
            if digits.count <= amount.scale {
                digits = String(repeating: "0", count: amount.scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -amount.scale))
        }
        return amount.units < 0 ? "-" + digits : digits
    }

    /// The String-based `LocalDate.description` the byte writer replaced.
    static func referenceText(_ date: LocalDate) -> String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    @Test(
        "amounts",
        arguments: [
            (Amount(units: -150, scale: 2), "-1.50"), (Amount(units: 0, scale: 2), "0.00"),
            (Amount(units: 5, scale: 2), "0.05"), (Amount(units: -5, scale: 3), "-0.005"),
            (Amount(units: 123_456, scale: 0), "123456"), (Amount(units: 7, scale: 0), "7"),
            (Amount(units: 0, scale: 0), "0"), (Amount(units: 10, scale: 1), "1.0"),
            (Amount(units: 42, scale: -2), "42"), (Amount(units: 1, scale: 25), "0.0000000000000000000000001"),
            (Amount(units: .max, scale: 2), "92233720368547758.07"),
            (Amount(units: .min, scale: 4), "-922337203685477.5808"),
        ])
    func amount(_ amount: Amount, _ text: String) {
        #expect(amount.description == text)
        #expect(Self.referenceText(amount) == text)
    }

    @Test("amounts agree with the String spelling over many values")
    func amountsAgree() {
        var random = Xoshiro256StarStar(seed: 11)
        for _ in 0..<5_000 {
            let units = Int64(bitPattern: random.next()) >> random.below(64)
            let amount = Amount(units: units, scale: random.below(24) - 3)
            #expect(amount.description == Self.referenceText(amount))
        }
    }

    @Test("dates, also outside the calendar's range")
    func dates() throws {
        var date = try #require(LocalDate(year: 2024, month: 3, day: 5))
        #expect(date.description == "2024-03-05")
        for (year, month, day) in [(1, 1, 1), (999, 12, 31), (9999, 10, 10), (0, 0, 0), (-5, -1, 7), (12345, 123, 99)] {
            date.year = year
            date.month = month
            date.day = day
            #expect(date.description == Self.referenceText(date))
        }
        date.year = -5
        #expect(date.description.hasPrefix("00-5-"))
    }
}
