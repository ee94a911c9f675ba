extension StatementEncoder {
    /// The built-in `generic` profile's layout, with its optional `category` and `currency` columns.
    static func csvHeader(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii("date,amount,payee,description,category,currency\n")
    }

    static func csvRow(_ transaction: GeneratedTransaction, _ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.isoDate(transaction.date)
        out.byte(UInt8(ascii: ","))
        out.signed(cents: transaction.amount.units)
        out.byte(UInt8(ascii: ","))
        out.csv(transaction.payee)
        out.byte(UInt8(ascii: ","))
        out.csv(transaction.description)
        out.byte(UInt8(ascii: ","))
        out.csv(transaction.category)
        out.byte(UInt8(ascii: ","))
        out.text(statement.account.currency)
        out.byte(0x0A)
    }
}
