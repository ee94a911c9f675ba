import BankdropCore
import Foundation
import Testing

/// Checks a reader's events against a sample's entry in `expected.json` (used by the CSV and QIF
/// sample tests): count, per-account identifier, currency, sum, first/last date and closing
/// balance, and per transaction date, amount (numerically), payee, bank id and line.
enum SampleExpectation {
    static func check(_ events: [StatementEvent], against path: String) throws {
        let expected = try #require(try Samples.expected(path), "no entry for \(path) in expected.json")
        let expectedAccounts = try #require(expected["accounts"] as? [[String: Any]])
        let expectedTransactions = try #require(expected["transactions"] as? [[String: Any]])

        var accounts: [StatementAccount] = []
        var transactions: [(account: StatementAccount, transaction: StatementTransaction)] = []
        var balances: [(account: StatementAccount, balance: StatementBalance)] = []
        for event in events {
            switch event {
            case .account(let account): accounts.append(account)
            case .transaction(let transaction):
                let account = try #require(accounts.last, "a transaction came before any .account")
                transactions.append((account, transaction))
            case .balance(let balance):
                let account = try #require(accounts.last, "a balance came before any .account")
                balances.append((account, balance))
            }
        }

        #expect(transactions.count == expectedTransactions.count, "\(path): transaction count")
        #expect(Set(accounts.map(\.identifier)).count == expectedAccounts.count, "\(path): account count")
        for expectedAccount in expectedAccounts {
            let identifier = expectedAccount["id"] as? String
            let mine = transactions.filter { $0.account.identifier == identifier }.map(\.transaction)
            #expect(mine.count == expectedAccount["transactions"] as? Int, "\(path) \(identifier ?? "-"): count")
            let sum = mine.reduce(Amount.zero) { $0 + $1.amount }
            #expect(sum == amount(expectedAccount["sum"]), "\(path) \(identifier ?? "-"): sum \(sum)")
            #expect(mine.map(\.bookingDate).min()?.description == expectedAccount["first_date"] as? String)
            #expect(mine.map(\.bookingDate).max()?.description == expectedAccount["last_date"] as? String)
            let account = accounts.first { $0.identifier == identifier }
            #expect(account?.currency == expectedAccount["currency"] as? String, "\(path): account currency")
            let closing = balances.first { $0.account.identifier == identifier && $0.balance.kind == .closing }
            #expect(closing?.balance.amount == amount(expectedAccount["closing_balance"]), "\(path): closing balance")
            let opening = balances.first { $0.account.identifier == identifier && $0.balance.kind == .opening }
            #expect(opening?.balance.amount == amount(expectedAccount["opening_balance"]), "\(path): opening balance")
        }

        for (index, pair) in zip(transactions, expectedTransactions).enumerated() {
            let (actual, wanted) = pair
            let label = "\(path) transaction \(index + 1)"
            #expect(actual.transaction.bookingDate.description == wanted["date"] as? String, "\(label): date")
            #expect(
                actual.transaction.amount == amount(wanted["amount"]), "\(label): amount \(actual.transaction.amount)")
            #expect(actual.transaction.payee == wanted["payee"] as? String, "\(label): payee")
            #expect(actual.transaction.bankID == wanted["bank_id"] as? String, "\(label): bank id")
            #expect(actual.account.identifier == wanted["account"] as? String, "\(label): account")
            if let line = (wanted["line"] ?? wanted["record_line"]) as? Int {
                #expect(actual.transaction.line == line, "\(label): line")
            }
            if let currency = wanted["currency"] as? String {
                #expect(actual.transaction.currency == currency, "\(label): currency")
            }
        }
    }

    /// A JSON decimal string as an `Amount`, or nil for JSON null.
    static func amount(_ value: Any?) -> Amount? {
        (value as? String).flatMap { Amount($0) }
    }
}
