extension StatementEncoder {
    /// OFX 1.02 in SGML, as most banks still send it: a header block, leaf tags left unclosed.
    static func ofxHeader(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        let account = statement.account
        out.ascii(
            """
            OFXHEADER:100
            DATA:OFXSGML
            VERSION:102
            SECURITY:NONE
            ENCODING:UTF-8
            CHARSET:NONE
            COMPRESSION:NONE
            OLDFILEUID:NONE
            NEWFILEUID:NONE

            <OFX>
            <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>
            """)
        ofxTimestamp(statement.lastDay, into: &out)
        out.ascii("<LANGUAGE>ENG<FI><ORG>")
        out.xml(account.institution)
        out.ascii("<FID>")
        out.text(account.bic)
        out.ascii("</FI></SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1><STMTTRNRS><TRNUID>")
        out.digits(statement.year, width: 4)
        out.digits(statement.month, width: 2)
        out.ascii("<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n<STMTRS><CURDEF>")
        out.text(account.currency)
        out.ascii("<BANKACCTFROM><BANKID>")
        out.text(account.bic)
        out.ascii("<ACCTID>")
        out.text(account.identifier)
        out.ascii("<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST><DTSTART>")
        ofxTimestamp(statement.firstDay, into: &out)
        out.ascii("<DTEND>")
        ofxTimestamp(statement.lastDay, into: &out)
        out.byte(0x0A)
    }

    static func ofxRow(_ transaction: GeneratedTransaction, into out: inout ByteWriter) {
        out.ascii("<STMTTRN><TRNTYPE>")
        switch transaction.kind {
        case .purchase: transaction.description == "Direct debit" ? out.ascii("DIRECTDEBIT") : out.ascii("POS")
        case .refund: out.ascii("CREDIT")
        case .salary: out.ascii("DIRECTDEP")
        case .rent: out.ascii("REPEATPMT")
        }
        out.ascii("<DTPOSTED>")
        out.compactDate(transaction.date)
        out.ascii("120000.000[+1:CET]<TRNAMT>")
        out.signed(cents: transaction.amount.units)
        out.ascii("<FITID>")
        out.text(transaction.reference)
        out.ascii("<NAME>")
        out.xml(transaction.payee)
        out.ascii("<MEMO>")
        out.xml(transaction.description)
        out.ascii("</STMTTRN>\n")
    }

    static func ofxFooter(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii("</BANKTRANLIST><LEDGERBAL><BALAMT>")
        out.signed(cents: statement.closingBalance.units)
        out.ascii("<DTASOF>")
        ofxTimestamp(statement.lastDay, into: &out)
        out.ascii("</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n")
    }

    /// `YYYYMMDD235959.000[+1:CET]`: the end of the bank's day; readers take the date as written.
    private static func ofxTimestamp(_ date: LocalDate, into out: inout ByteWriter) {
        out.compactDate(date)
        out.ascii("235959.000[+1:CET]")
    }
}
