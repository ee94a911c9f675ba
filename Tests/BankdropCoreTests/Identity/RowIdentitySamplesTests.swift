import Foundation
import Testing

@testable import BankdropCore

/// Row identity over the transactions of the real bank exports, as `expected.json` lists them.
@Suite("Row identity over the samples", .enabled(if: Samples.available))
struct RowIdentitySamplesTests {
    /// Every sample file's transactions, in file order, with the account each belongs to.
    private static func sampleFiles() throws -> [(path: String, rows: [(account: String, row: StatementTransaction)])] {
        let data = try Data(contentsOf: Samples.folder.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(root["files"] as? [[String: Any]])
        return try files.map { file in
            let path = try #require(file["path"] as? String)
            let transactions = file["transactions"] as? [[String: Any]] ?? []
            let rows = try transactions.enumerated().map { index, t in
                let dateText = try #require(t["date"] as? String)
                let amountText = try #require(t["amount"] as? String)
                let date = try #require(LocalDate(iso: dateText))
                let amount = try #require(Amount(amountText))
                let text = (t["description"] as? String) ?? (t["memo"] as? String) ?? (t["remittance"] as? String)
                let row = StatementTransaction(
                    bookingDate: date, amount: amount, payee: t["payee"] as? String, description: text,
                    bankID: t["bank_id"] as? String, line: (t["line"] as? Int) ?? index + 1)
                return ((t["account"] as? String) ?? "configured-account", row)
            }
            return (path, rows)
        }
    }

    @Test("every row of every sample gets its own key, and both modes agree")
    func distinctKeys() throws {
        let files = try Self.sampleFiles()
        #expect(files.count >= 15)
        var total = 0
        for file in files {
            var windowed = RowIdentityAssigner(mode: .windowed)
            var trackAll = RowIdentityAssigner(mode: .trackAll)
            var windowedKeys: [RowKey]? = []
            var trackAllKeys: [RowKey] = []
            for (account, row) in file.rows {
                trackAllKeys.append(try trackAll.key(for: row, account: account))
                do {
                    windowedKeys?.append(try windowed.key(for: row, account: account))
                } catch {
                    windowedKeys = nil  // not grouped by date: the pipeline would use trackAll
                }
            }
            #expect(Set(trackAllKeys).count == file.rows.count, "\(file.path)")
            if let windowedKeys {
                #expect(windowedKeys == trackAllKeys, "\(file.path)")
            }
            total += file.rows.count
        }
        #expect(total > 150)
    }

    @Test("a second export holding the tail of a sample gives those rows the same keys")
    func overlap() throws {
        for file in try Self.sampleFiles() where file.rows.count >= 4 {
            var whole = RowIdentityAssigner(mode: .trackAll)
            let wholeKeys = try file.rows.map { try whole.key(for: $0.row, account: $0.account) }
            // A date-range export: every row from the middle date on, in the same order.
            let dates = file.rows.map(\.row.bookingDate).sorted()
            let from = dates[dates.count / 2]
            let tail = file.rows.filter { $0.row.bookingDate >= from }
            var second = RowIdentityAssigner(mode: .trackAll)
            let tailKeys = try tail.map { try second.key(for: $0.row, account: $0.account) }
            #expect(!tailKeys.isEmpty)
            #expect(Set(tailKeys).isSubset(of: Set(wholeKeys)), "\(file.path)")
        }
    }
}
