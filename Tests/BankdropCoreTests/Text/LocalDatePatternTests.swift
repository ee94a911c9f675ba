import BankdropCore
import Testing

@Suite("LocalDatePattern")
struct LocalDatePatternTests {
    @Test(
        "reads dates as written",
        arguments: [
            ("dd.MM.yyyy", "31.12.2024", "2024-12-31"), ("dd.MM.yyyy", "01.01.2025", "2025-01-01"),
            ("dd.MM.yyyy", "1.2.2025", "2025-02-01"), ("dd.MM.yy", "08.12.25", "2025-12-08"),
            ("dd.MM.yy", "29.02.24", "2024-02-29"), ("yyyy-MM-dd", "2024-02-29", "2024-02-29"),
            ("MM/dd/yyyy", "12/31/2025", "2025-12-31"), ("yyyyMMdd", "20251103", "2025-11-03"),
            ("yyyy-MM-dd", "2025-06-18 00:30:00", "2025-06-18"),
            ("yyyy-MM-dd", "2025-06-18T23:59:59+02:00", "2025-06-18"),
            ("d.M.yyyy", " 3.11.2025 ", "2025-11-03"),
        ])
    func reads(_ pattern: String, _ text: String, _ expected: String) throws {
        #expect(try LocalDatePattern(pattern).parse(text).description == expected)
    }

    @Test(
        "rejects impossible or malformed dates",
        arguments: [
            ("dd.MM.yyyy", "30.02.2025"), ("dd.MM.yyyy", "29.02.2025"), ("dd.MM.yyyy", "31.04.2025"),
            ("dd.MM.yyyy", "00.01.2025"),
            ("dd.MM.yyyy", "01.13.2025"), ("dd.MM.yyyy", "2025-01-01"), ("dd.MM.yyyy", "01.01.25"),
            ("dd.MM.yy", "01.01.2025"),
            ("MM/dd/yyyy", "31/12/2025"), ("dd.MM.yyyy", ""), ("dd.MM.yyyy", "01.01.2025x"), ("yyyyMMdd", "2025113"),
        ])
    func rejects(_ pattern: String, _ text: String) throws {
        let format = try LocalDatePattern(pattern)
        #expect(throws: ValueParseError.self) { try format.parse(text) }
    }

    @Test(
        "rejects unusable patterns",
        arguments: ["dd.MM", "dd.MM.yyy", "dd.MM.yyyy HH:mm", "yyyy-MM-dd-dd", "ddd.MM.yyyy"])
    func rejectsPatterns(_ pattern: String) {
        #expect(throws: ValueParseError.self) { try LocalDatePattern(pattern) }
    }
}
