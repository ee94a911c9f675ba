/// The parsed first line of an MT940 `:61:` field (statement line).
///
/// `YYMMDD[MMDD]` value and entry date, mark `C`/`D`/`RC`/`RD`, optional funds code (the third
/// letter of the currency), amount with a decimal comma, transaction type (`N`/`F`/`S` and three
/// characters), customer reference, and the bank's reference after `//`.
struct MT940StatementLine: Hashable {
    /// Value date.
    var valueDate: LocalDate
    /// Booking date: the entry date with the nearest year to the value date, else the value date.
    var bookingDate: LocalDate
    /// Signed amount: money out (`D`, `RC`) negative.
    var amount: Amount
    /// `C`, `D`, `RC` or `RD`.
    var mark: String
    /// Transaction type, e.g. `NTRF`.
    var transactionType: String
    /// Customer reference (`NONREF` when none).
    var customerReference: String
    /// Bank reference (after `//`), nil when none.
    var bankReference: String?

    /// Parses `text` (the field content after `:61:`, first line only).
    /// - Throws: `StatementError` with field `:61:` and the offending part as value.
    init(_ text: String, line: Int) throws(StatementError) {
        let bytes = Array(text.utf8)
        var index = 0
        func fail(_ value: String, _ message: String) -> StatementError {
            StatementError(line: line, field: ":61:", value: value, message: message)
        }
        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        func isLetter(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z")
        }
        func string(_ range: Range<Int>) -> String {
            String(decoding: bytes[range.clamped(to: 0..<bytes.count)], as: UTF8.self)
        }

        guard (0..<6).allSatisfy({ isDigit($0) }) else {
            throw fail(string(0..<6), "expected the value date as YYMMDD at the start of :61:")
        }
        let valueText = string(0..<6)
        guard let value = MT940Values.date(yymmdd: valueText) else {
            throw fail(valueText, "the value date \(valueText) (YYMMDD) does not exist")
        }
        index = 6
        var booking = value
        if (6..<10).allSatisfy({ isDigit($0) }) {
            let entryText = string(6..<10)
            guard let entry = MT940Values.entryDate(mmdd: entryText, near: value) else {
                throw fail(entryText, "the entry date \(entryText) (MMDD) does not exist near \(value)")
            }
            booking = entry
            index = 10
        }

        var mark = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: "R") {
            mark = "R"
            index += 1
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "C") || bytes[index] == UInt8(ascii: "D") else {
            throw fail(string((index - mark.count)..<(index + 2)), "expected the mark C, D, RC or RD after the dates")
        }
        mark += string(index..<(index + 1))
        index += 1
        if isLetter(index), !isDigit(index) { index += 1 }  // funds code

        let amountStart = index
        while index < bytes.count, isDigit(index) || bytes[index] == UInt8(ascii: ",") { index += 1 }
        let amountText = string(amountStart..<index)
        // The transaction type (N, F or S and three characters) follows the amount directly.
        guard let magnitude = MT940Values.amount(amountText), index == bytes.count || isLetter(index) else {
            let shown = string(amountStart..<min(bytes.count, amountStart + 16))
            throw fail(shown, "expected an amount with a decimal comma (e.g. 1234,56)")
        }
        // Reversals book against the original direction: RC (reversal of credit) is money out.
        let negative = mark == "D" || mark == "RC"
        self.amount = negative ? -magnitude : magnitude
        self.mark = mark
        self.valueDate = value
        self.bookingDate = booking

        let typeEnd = min(bytes.count, index + 4)
        self.transactionType = string(index..<typeEnd)
        index = typeEnd
        let rest = string(index..<bytes.count)
        if let separator = rest.firstRange(of: "//") {
            self.customerReference = String(rest[..<separator.lowerBound])
            let bank = TextDecoding.trimmed(rest[separator.upperBound...])
            self.bankReference = bank.isEmpty ? nil : bank
        } else {
            self.customerReference = TextDecoding.trimmed(rest)
            self.bankReference = nil
        }
    }
}
