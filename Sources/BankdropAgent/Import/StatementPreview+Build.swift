import BankdropCore

extension StatementPreview {
    /// Reads `source` through the same detection, readers, identity and rules as an import, without
    /// touching any database.
    /// - Parameter transactionLimit: keep at most this many rows (the text summary shows 20); the
    ///   accounts still count every row, and memory stays flat however large the file.
    public static func build(
        _ source: some ImportSource, path: String, fallbackAccount: String?, settings: Importer.Settings,
        transactionLimit: Int = .max
    ) -> StatementPreview {
        var preview = StatementPreview(path: path, format: nil, malformed: false, error: nil, accounts: [], transactions: [])
        do {
            guard let format = try Importer.detectFormat(source) else {
                throw ImportRefusal.unknownFormat(fileName: source.displayName)
            }
            preview.format = format.rawValue
            var preparer = RowPreparer(
                reader: format.reader(over: try source.open(), options: settings.readerOptions), fileName: source.displayName,
                fallbackAccount: fallbackAccount, rules: try CategoryRules(settings.categoryRules), identityMode: .trackAll)
            var rows: [PreparedRow] = []
            defer {
                preview.accounts = preparer.accounts.map(Account.init)
                preview.transactions = rows.map(Transaction.init)
            }
            while let row = try preparer.next() {
                if rows.count < transactionLimit { rows.append(row) }
            }
        } catch let refusal as ImportRefusal {
            preview.malformed = true
            if case .unreadable(let error) = refusal {
                preview.error = PreviewError(line: error.line, field: error.field, value: error.value, message: error.message)
            } else {
                preview.error = PreviewError(line: nil, field: nil, value: nil, message: refusal.description)
            }
        } catch {
            preview.malformed = true
            preview.error = PreviewError(line: nil, field: nil, value: nil, message: "\(error)")
        }
        return preview
    }
}

extension StatementPreview.Account {
    init(_ facts: RowPreparer<AnyStatementReader>.AccountFacts) {
        self.init(
            id: facts.name, currency: facts.account.currency, transactions: facts.transactionCount, sum: facts.sum.description,
            firstDate: facts.firstDate?.description, lastDate: facts.lastDate?.description,
            openingBalance: facts.openingBalance?.description, closingBalance: facts.closingBalance?.description,
            balanceCheck: facts.balanceCheck)
    }
}

extension StatementPreview.Transaction {
    init(_ row: PreparedRow) {
        let t = row.transaction
        self.init(
            account: row.account, date: t.bookingDate.description, valueDate: t.valueDate?.description,
            amount: t.amount.description, currency: row.currency, payee: t.payee, description: t.description, bankID: t.bankID,
            merchant: row.classification.merchant, category: row.classification.category,
            rule: row.classification.source.description, rowKey: row.key.hex, line: t.line)
    }
}
