import BankdropCore
import Testing

/// Building blocks for the CSV (and QIF) look-alike fixtures.
enum Fixture {
    /// A transaction event from readable values; `amount` is a plain decimal literal.
    static func transaction(
        _ date: String, _ amount: String, payee: String? = nil, description: String? = nil, line: Int,
        currency: String? = nil, valueDate: String? = nil, category: String? = nil, bankID: String? = nil
    ) -> StatementEvent {
        .transaction(
            StatementTransaction(
                bookingDate: LocalDate(iso: date) ?? LocalDate(year: 1, month: 1, day: 1)!,
                valueDate: valueDate.flatMap { LocalDate(iso: $0) },
                amount: Amount(amount)!, currency: currency, payee: payee, description: description,
                bankID: bankID, category: category, line: line))
    }

    /// An account event.
    static func account(_ identifier: String? = nil, currency: String? = nil, institution: String? = nil)
        -> StatementEvent
    {
        .account(StatementAccount(identifier: identifier, currency: currency, institution: institution))
    }

    /// ISO-8859-1 bytes of a string made of characters up to U+00FF.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    /// UTF-16 with a byte order mark.
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        let units = Array(text.utf16)
        let body = units.flatMap {
            bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)]
        }
        return (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) + body
    }

    /// UTF-8 with a byte order mark.
    static func bom(_ text: String) -> [UInt8] {
        [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// Reads all events of a CSV file.
    static func readCSV(
        _ bytes: [UInt8], chunkSize: Int = 64 * 1024, profiles: [CSVProfile] = CSVProfile.builtIn
    ) throws(StatementError) -> [StatementEvent] {
        try readAll(CSVReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize), profiles: profiles))
    }

    /// The error reading a CSV file throws, or nil.
    static func csvError(_ bytes: [UInt8], chunkSize: Int = 64 * 1024, profiles: [CSVProfile] = CSVProfile.builtIn)
        -> StatementError?
    {
        do {
            _ = try readCSV(bytes, chunkSize: chunkSize, profiles: profiles)
            return nil
        } catch {
            return error
        }
    }

    /// The chunk sizes every fixture is read with: byte by byte, an odd size, the default.
    static let chunkSizes = [1, 7, 64 * 1024]
}
