/// One monthly statement file of one account: the rows it holds, in date order, and its balances.
public struct GeneratedStatement: Sendable {
    /// The account.
    public var account: GeneratedAccount
    /// The statement's year.
    public var year: Int
    /// The statement's month (1...12).
    public var month: Int
    /// The rows in file order: first ``repeatedCount`` rows repeated from the previous month (the
    /// overlap), then the month's own rows. Dates ascend.
    public var transactions: [GeneratedTransaction]
    /// How many leading rows repeat the previous month's file.
    public var repeatedCount: Int
    /// The balance before the first row.
    public var openingBalance: Amount
    /// The balance after the last row.
    public var closingBalance: Amount
    /// The first day the file covers (the first repeated row's date, else the 1st of the month).
    public var firstDay: LocalDate
    /// The last day the file covers (the month's last day, or "today" in the current month).
    public var lastDay: LocalDate

    /// `<account>-YYYY-MM.<ext>`, e.g. `DE75512108001245126199-2025-03.csv`.
    public var fileName: String {
        account.identifier + "-" + String(year) + (month < 10 ? "-0" : "-") + String(month) + "."
            + Self.fileExtension(for: account.format)
    }

    /// `<account>/<file name>`: where the file sits in the generated inbox.
    public var relativePath: String { account.identifier + "/" + fileName }

    /// Sum of every row in the file, repeated rows included.
    public var sum: Amount {
        Amount(units: transactions.reduce(0) { $0 + $1.amount.units }, scale: 2)
    }

    /// Sum of the month's own rows (without the repeated ones).
    public var newSum: Amount {
        Amount(units: transactions[repeatedCount...].reduce(0) { $0 + $1.amount.units }, scale: 2)
    }

    /// The month's own rows (without the repeated ones).
    public var newCount: Int { transactions.count - repeatedCount }

    /// The file extension bankdrop's format detection expects for `format`.
    public static func fileExtension(for format: StatementFormat) -> String {
        switch format {
        case .csv: "csv"
        case .ofx: "ofx"
        case .qif: "qif"
        case .camt053: "xml"
        case .mt940: "sta"
        }
    }
}
