import BankdropCore
import Testing

@Suite("AmountFormat")
struct AmountFormatTests {
    static let comma = AmountFormat(decimalSeparator: .comma)
    static let point = AmountFormat(decimalSeparator: .point)

    @Test(
        "decimal comma",
        arguments: [
            ("-10,7", "-10.7"), ("0", "0"), ("-10", "-10"), ("2.647,74", "2647.74"), ("4.093,32\u{00A0}€", "4093.32"),
            ("1.234.567,891", "1234567.891"), ("9,", "9"), (",5", "0.5"), ("+3,00", "3.00"), ("9,90-", "-9.90"),
            ("EUR -1,00", "-1.00"), ("-1,00 EUR", "-1.00"), ("(12,00)", "-12.00"), ("\u{2212}4,5", "-4.5"),
            ("1 234,56", "1234.56"), ("1\u{202F}234,56", "1234.56"), ("  7,1 ", "7.1"),
        ])
    func comma(_ text: String, _ expected: String) throws {
        let amount = try Self.comma.parse(text)
        #expect(amount.description == expected)
    }

    @Test(
        "decimal point",
        arguments: [
            ("1,234.56", "1234.56"), ("-0.005", "-0.005"), ("$12.50", "12.50"), ("1'234.50", "1234.50"),
            ("18.150", "18.150"),
        ])
    func point(_ text: String, _ expected: String) throws {
        #expect(try Self.point.parse(text).description == expected)
    }

    @Test(
        "rejects what is not an amount",
        arguments: [
            ("12,3,4", DecimalSeparator.comma), ("abc", .comma), ("", .comma), ("-", .comma), ("1,234.56", .comma),
            ("12.34", .comma), ("1.2345,00", .comma), ("12,3,4", .point), ("1..2", .point), ("--1", .point),
            ("(1.00", .point), ("99999999999999999999", .point), ("1e5", .point), ("12 €x", .comma),
        ])
    func rejects(_ text: String, _ separator: DecimalSeparator) {
        #expect(throws: ValueParseError.self) { try AmountFormat(decimalSeparator: separator).parse(text) }
    }

    @Test("the message says why")
    func messages() {
        #expect(
            throws: ValueParseError(
                "not an amount: more than one decimal separator \",\" (is the decimal separator right?)")
        ) {
            try Self.comma.parse("12,3,4")
        }
        #expect(throws: ValueParseError("not an amount: unexpected character")) { try Self.comma.parse("abc") }
    }
}
