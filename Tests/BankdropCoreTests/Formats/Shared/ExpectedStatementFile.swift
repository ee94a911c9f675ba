import BankdropCore
import Foundation
import Testing

/// One sample file's entry of `expected.json`, typed for comparing a reader's events with it.
struct ExpectedStatementFile {
    struct Account {
        var id: String?
        var currency: String?
        var transactionCount: Int
        var sum: Amount
        var firstDate: LocalDate?
        var lastDate: LocalDate?
        var opening: Amount?
        var closing: Amount?
        /// Per statement, in file order (MT940 `statements[].opening`, CAMT `balances.OPBD`).
        var statementOpenings: [Amount]
        var statementClosings: [Amount]
    }

    struct Transaction {
        var account: String?
        var date: LocalDate
        var amount: Amount
        var currency: String?
        var payee: String?
        var bankID: String?
        var valueDate: LocalDate?
        var line: Int?
    }

    var path: String
    var accounts: [Account]
    var transactions: [Transaction]
    /// `expected_error.primary` for malformed files.
    var primaryError: String?

    /// Loads `path`'s entry (e.g. `ofx/x.ofx`) from the samples' `expected.json`.
    init(_ path: String) throws {
        let entry = try #require(try Samples.expected(path), "no entry for \(path) in expected.json")
        self.path = path
        let accounts = entry["accounts"] as? [[String: Any]] ?? []
        self.accounts = try accounts.map { account in
            let statements = account["statements"] as? [[String: Any]] ?? []
            func balances(_ mt940Key: String, _ camtCode: String) throws -> [Amount] {
                try statements.compactMap { statement in
                    if let text = statement[mt940Key] as? String { return try Self.amount(text) }
                    let camt = (statement["balances"] as? [String: Any])?[camtCode] as? [String: Any]
                    return try (camt?["amount"] as? String).map(Self.amount)
                }
            }
            return Account(
                id: account["id"] as? String, currency: account["currency"] as? String,
                transactionCount: try #require(account["transactions"] as? Int),
                sum: try Self.amount(try #require(account["sum"] as? String)),
                firstDate: try (account["first_date"] as? String).map(Self.date),
                lastDate: try (account["last_date"] as? String).map(Self.date),
                opening: try (account["opening_balance"] as? String).map(Self.amount),
                closing: try (account["closing_balance"] as? String).map(Self.amount),
                statementOpenings: try balances("opening", "OPBD"),
                statementClosings: try balances("closing", "CLBD"))
        }
        let transactions = entry["transactions"] as? [[String: Any]] ?? []
        self.transactions = try transactions.map { transaction in
            Transaction(
                account: transaction["account"] as? String,
                date: try Self.date(try #require(transaction["date"] as? String)),
                amount: try Self.amount(try #require(transaction["amount"] as? String)),
                currency: transaction["currency"] as? String, payee: transaction["payee"] as? String,
                bankID: transaction["bank_id"] as? String,
                valueDate: try (transaction["value_date"] as? String).map(Self.date),
                line: transaction["line"] as? Int)
        }
        self.primaryError = (entry["expected_error"] as? [String: Any])?["primary"] as? String
    }

    private static func amount(_ text: String) throws -> Amount {
        try #require(Amount(text), "expected.json amount \(text)")
    }

    private static func date(_ text: String) throws -> LocalDate {
        try #require(LocalDate(iso: text), "expected.json date \(text)")
    }
}

/// A reader's events grouped like `expected.json`: accounts by identifier, transactions in order.
struct ReadStatementFile {
    struct Account {
        var id: String?
        var currency: String?
        var transactions: [StatementTransaction] = []
        var openings: [StatementBalance] = []
        var closings: [StatementBalance] = []
    }

    /// Accounts in order of first appearance, statements of the same account merged.
    var accounts: [Account] = []
    /// Every transaction in file order with the identifier of its account.
    var transactions: [(account: String?, transaction: StatementTransaction)] = []

    init(_ events: [StatementEvent]) {
        var current: Int?
        for event in events {
            switch event {
            case .account(let account):
                if let index = accounts.firstIndex(where: { $0.id == account.identifier }) {
                    current = index
                    if accounts[index].currency == nil { accounts[index].currency = account.currency }
                } else {
                    accounts.append(Account(id: account.identifier, currency: account.currency))
                    current = accounts.count - 1
                }
            case .transaction(let transaction):
                guard let current else {
                    Issue.record("transaction at line \(transaction.line) before any account")
                    continue
                }
                accounts[current].transactions.append(transaction)
                transactions.append((accounts[current].id, transaction))
            case .balance(let balance):
                guard let current else {
                    Issue.record("balance before any account")
                    continue
                }
                switch balance.kind {
                case .opening: accounts[current].openings.append(balance)
                case .closing: accounts[current].closings.append(balance)
                }
            }
        }
    }

    /// Records an issue for every difference from `expected` in accounts, balances and transactions.
    func check(against expected: ExpectedStatementFile, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = expected.path
        #expect(
            accounts.map(\.id) == expected.accounts.map(\.id), "\(file): account ids", sourceLocation: sourceLocation)
        for want in expected.accounts {
            guard let got = accounts.first(where: { $0.id == want.id }) else { continue }
            let name = "\(file) account \(want.id ?? "-")"
            let dates = got.transactions.map(\.bookingDate)
            #expect(got.currency == want.currency, "\(name): currency", sourceLocation: sourceLocation)
            #expect(got.transactions.count == want.transactionCount, "\(name): count", sourceLocation: sourceLocation)
            #expect(
                got.transactions.map(\.amount).reduce(Amount.zero, +) == want.sum, "\(name): sum",
                sourceLocation: sourceLocation)
            #expect(dates.min() == want.firstDate, "\(name): first date", sourceLocation: sourceLocation)
            #expect(dates.max() == want.lastDate, "\(name): last date", sourceLocation: sourceLocation)
            #expect(got.openings.first?.amount == want.opening, "\(name): opening", sourceLocation: sourceLocation)
            #expect(got.closings.last?.amount == want.closing, "\(name): closing", sourceLocation: sourceLocation)
            if !want.statementOpenings.isEmpty {
                #expect(
                    got.openings.map(\.amount) == want.statementOpenings, "\(name): opening per statement",
                    sourceLocation: sourceLocation)
            }
            if !want.statementClosings.isEmpty {
                #expect(
                    got.closings.map(\.amount) == want.statementClosings, "\(name): closing per statement",
                    sourceLocation: sourceLocation)
            }
        }
        #expect(
            transactions.count == expected.transactions.count, "\(file): transactions", sourceLocation: sourceLocation)
        for (index, (got, want)) in zip(transactions, expected.transactions).enumerated() {
            let name = "\(file) transaction \(index + 1)"
            let tx = got.transaction
            let accountCurrency = accounts.first { $0.id == got.account }?.currency
            #expect(got.account == want.account, "\(name): account", sourceLocation: sourceLocation)
            #expect(tx.bookingDate == want.date, "\(name): date", sourceLocation: sourceLocation)
            #expect(tx.amount == want.amount, "\(name): amount", sourceLocation: sourceLocation)
            #expect(
                (tx.currency ?? accountCurrency) == want.currency, "\(name): currency", sourceLocation: sourceLocation)
            #expect(tx.payee == want.payee, "\(name): payee", sourceLocation: sourceLocation)
            #expect(tx.bankID == want.bankID, "\(name): bank id", sourceLocation: sourceLocation)
            if let valueDate = want.valueDate {
                #expect(tx.valueDate == valueDate, "\(name): value date", sourceLocation: sourceLocation)
            }
            if let line = want.line {
                #expect(tx.line == line, "\(name): line", sourceLocation: sourceLocation)
            }
        }
    }
}
