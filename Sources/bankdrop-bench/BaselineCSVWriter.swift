import BankdropCore
import Foundation

/// Writes prepared rows as the CSV the baselines load with `\copy ... csv`: exactly the values
/// `bankdrop import` stores, in the columns of ``columns``.
///
/// PostgreSQL's CSV rules: an unquoted empty field is NULL, so an empty string is written `""`; a
/// field with a comma, quote or line break is quoted with its quotes doubled; `bytea` goes as
/// `\x<hex>` (a backslash is not special in CSV).
final class BaselineCSVWriter {
    /// The columns of `transactions` the baselines fill, in the CSV's order.
    static let columns =
        "account_id, date, amount, currency, payee, description, merchant, category, bank_id, value_date, row_key, import_id"

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Rows written.
    private(set) var rowCount = 0

    /// Creates (or truncates) the CSV at `url`.
    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BenchError("cannot create \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(1 << 20)
    }

    /// Writes `row` for the account whose `accounts.id` is `accountID`, loaded by import `importID`.
    func write(_ row: PreparedRow, accountID: Int, importID: Int) throws {
        let t = row.transaction
        field(String(accountID))
        field(t.bookingDate.description)
        field(t.amount.description)
        // As the importer stores it: a currency only when it is a 3-letter code.
        field(row.currency.flatMap { $0.count == 3 ? $0 : nil })
        field(t.payee)
        field(t.description)
        field(row.classification.merchant)
        field(row.classification.category)
        field(t.bankID)
        field(t.valueDate?.description)
        field("\\x" + FileDigest.hex(row.key.bytes))
        field(String(importID), last: true)
        rowCount += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered and closes the file.
    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func field(_ value: String?, last: Bool = false) {
        if let value {
            let utf8 = value.utf8
            let quoted =
                value.isEmpty
                || utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            if quoted {
                buffer.append(UInt8(ascii: "\""))
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                    buffer.append(byte)
                }
                buffer.append(UInt8(ascii: "\""))
            } else {
                buffer.append(contentsOf: utf8)
            }
        }
        buffer.append(last ? 10 : UInt8(ascii: ","))
    }
}
