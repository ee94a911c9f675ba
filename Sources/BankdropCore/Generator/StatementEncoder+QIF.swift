extension StatementEncoder {
    /// A bank-account QIF: no account line (the inbox folder names the account), ISO dates so no
    /// day/month order has to be guessed, decimal point.
    static func qifHeader(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii("!Type:Bank\n")
    }

    static func qifRow(_ transaction: GeneratedTransaction, into out: inout ByteWriter) {
        out.byte(UInt8(ascii: "D"))
        out.isoDate(transaction.date)
        out.ascii("\nT")
        out.signed(cents: transaction.amount.units)
        out.ascii("\nP")
        out.text(transaction.payee)
        out.ascii("\nM")
        out.text(transaction.description)
        out.ascii("\nL")
        out.text(transaction.category)
        out.ascii("\n^\n")
    }
}
