/// A profile applied to one file's header: the column index of everything the profile reads.
final class CSVLayout: Sendable {
    let profile: CSVProfile
    let header: [String]
    let datePattern: LocalDatePattern
    let amountFormat: AmountFormat

    let date: Int
    let valueDate: Int?
    let amount: Int?
    let debit: Int?
    let credit: Int?
    let payee: Int?
    let payer: Int?
    let descriptions: [Int]
    let category: Int?
    let account: Int?
    let currency: Int?
    let bankID: Int?
    /// Header indexes a short row may lack, in the order they are given up.
    let shortRowOmits: [Int]

    /// Resolves `profile` against `header`, or returns nil when the header lacks a column the
    /// profile needs (or the profile is unusable).
    init?(profile: CSVProfile, header: [String]) {
        let normalized = header.map { $0.trimmingBlanks().lowercased() }
        func index(_ name: String) -> Int? { normalized.firstIndex(of: name.trimmingBlanks().lowercased()) }
        let optional = Set(profile.optionalColumns.map { $0.trimmingBlanks().lowercased() })
        for name in profile.allColumns
        where index(name) == nil && !optional.contains(name.trimmingBlanks().lowercased()) {
            return nil
        }
        guard let date = index(profile.dateColumn), let pattern = try? LocalDatePattern(profile.dateFormat) else {
            return nil
        }
        self.profile = profile
        self.header = header.map { $0.trimmingBlanks() }
        self.datePattern = pattern
        self.amountFormat = AmountFormat(decimalSeparator: profile.decimalSeparator)
        self.date = date
        self.valueDate = profile.valueDateColumn.flatMap(index)
        self.amount = profile.amountColumn.flatMap(index)
        self.debit = profile.debitColumn.flatMap(index)
        self.credit = profile.creditColumn.flatMap(index)
        self.payee = profile.payeeColumn.flatMap(index)
        self.payer = profile.payerColumn.flatMap(index)
        self.descriptions = profile.descriptionColumns.compactMap(index)
        self.category = profile.categoryColumn.flatMap(index)
        self.account = profile.accountColumn.flatMap(index)
        self.currency = profile.currencyColumn.flatMap(index)
        self.bankID = profile.bankIDColumn.flatMap(index)
        self.shortRowOmits = profile.shortRowOmits.compactMap(index)
        guard amount != nil || debit != nil || credit != nil else { return nil }
    }

    /// The header name of column `index`, or `column N` (1-based) past the header.
    func name(ofColumn index: Int) -> String {
        index < header.count ? header[index] : "column \(index + 1)"
    }
}
