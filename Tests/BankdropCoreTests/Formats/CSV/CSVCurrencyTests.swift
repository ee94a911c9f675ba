import Testing

@testable import BankdropCore

/// The currency column is read on every row; a code already in capitals is passed through as is.
@Suite("CSV currency column")
struct CSVCurrencyTests {
    @Test(
        "codes are upper-cased, symbols named, anything else kept",
        arguments: [
            ("EUR", "EUR"), ("eur", "EUR"), ("Eur", "EUR"), ("uSD", "USD"), ("€", "EUR"), ("£", "GBP"),
            ("EURO", "EURO"), ("E1R", "E1R"), ("", ""), ("ÄUR", "ÄUR"), ("e@r", "e@r"), ("CHF", "CHF"),
        ])
    func currency(_ text: String, _ expected: String) {
        #expect(CSVReader.normalizedCurrency(text) == expected)
    }
}
