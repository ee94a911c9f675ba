extension StatementEncoder {
    /// ISO 20022 camt.053.001.02: one `Stmt` with opening (`OPBD`) and closing (`CLBD`) balances,
    /// one booked `Ntry` per row with `AcctSvcrRef`, counterparty and remittance text.
    static func camtHeader(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        let account = statement.account
        out.ascii(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <BkToCstmrStmt>
            <GrpHdr><MsgId>
            """)
        statementID(statement, into: &out)
        out.ascii("</MsgId><CreDtTm>")
        out.isoDate(statement.lastDay)
        out.ascii("T23:59:59</CreDtTm></GrpHdr>\n<Stmt>\n<Id>")
        statementID(statement, into: &out)
        out.ascii("</Id>\n<ElctrncSeqNb>")
        out.digits(statement.month)
        out.ascii("</ElctrncSeqNb>\n<CreDtTm>")
        out.isoDate(statement.lastDay)
        out.ascii("T23:59:59</CreDtTm>\n<FrToDt><FrDtTm>")
        out.isoDate(statement.firstDay)
        out.ascii("T00:00:00</FrDtTm><ToDtTm>")
        out.isoDate(statement.lastDay)
        out.ascii("T23:59:59</ToDtTm></FrToDt>\n<Acct><Id><IBAN>")
        out.text(account.identifier)
        out.ascii("</IBAN></Id><Ccy>")
        out.text(account.currency)
        out.ascii("</Ccy><Svcr><FinInstnId><BIC>")
        out.text(account.bic)
        out.ascii("</BIC></FinInstnId></Svcr></Acct>\n")
        camtBalance("OPBD", statement.openingBalance.units, statement.firstDay, account.currency, into: &out)
        camtBalance("CLBD", statement.closingBalance.units, statement.lastDay, account.currency, into: &out)
    }

    static func camtRow(_ transaction: GeneratedTransaction, _ statement: GeneratedStatement, into out: inout ByteWriter) {
        let credit = transaction.amount.units > 0
        out.ascii("<Ntry>\n<Amt Ccy=\"")
        out.text(statement.account.currency)
        out.ascii("\">")
        out.magnitude(cents: transaction.amount.units)
        out.ascii(credit ? "</Amt>\n<CdtDbtInd>CRDT</CdtDbtInd>\n" : "</Amt>\n<CdtDbtInd>DBIT</CdtDbtInd>\n")
        out.ascii("<Sts>BOOK</Sts>\n<BookgDt><Dt>")
        out.isoDate(transaction.date)
        out.ascii("</Dt></BookgDt>\n<ValDt><Dt>")
        out.isoDate(transaction.date)
        out.ascii("</Dt></ValDt>\n<AcctSvcrRef>")
        out.text(transaction.reference)
        out.ascii("</AcctSvcrRef>\n<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>")
        switch transaction.kind {
        case .purchase: out.ascii("CCRD</Cd><SubFmlyCd>POSD")
        case .refund: out.ascii("CCRD</Cd><SubFmlyCd>RIMB")
        case .salary: out.ascii("RCDT</Cd><SubFmlyCd>SALA")
        case .rent: out.ascii("ICDT</Cd><SubFmlyCd>STDO")
        }
        out.ascii("</SubFmlyCd></Fmly></Domn></BkTxCd>\n<NtryDtls><TxDtls>\n<RltdPties>")
        // The counterparty is the debtor of money in and the creditor of money out.
        out.ascii(credit ? "<Dbtr><Nm>" : "<Cdtr><Nm>")
        out.xml(transaction.payee)
        out.ascii(credit ? "</Nm></Dbtr>" : "</Nm></Cdtr>")
        out.ascii("</RltdPties>\n<RmtInf><Ustrd>")
        out.xml(transaction.description)
        out.ascii("</Ustrd></RmtInf>\n</TxDtls></NtryDtls>\n</Ntry>\n")
    }

    static func camtFooter(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii("</Stmt>\n</BkToCstmrStmt>\n</Document>\n")
    }

    private static func camtBalance(
        _ code: StaticString, _ cents: Int64, _ date: LocalDate, _ currency: String, into out: inout ByteWriter
    ) {
        out.ascii("<Bal><Tp><CdOrPrtry><Cd>")
        out.ascii(code)
        out.ascii("</Cd></CdOrPrtry></Tp><Amt Ccy=\"")
        out.text(currency)
        out.ascii("\">")
        out.magnitude(cents: cents)
        out.ascii(cents < 0 ? "</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>" : "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>")
        out.isoDate(date)
        out.ascii("</Dt></Dt></Bal>\n")
    }

    /// `<IBAN>-<YYYY>-<MM>`: unique per account and month, 30 characters (35 allowed).
    private static func statementID(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.text(statement.account.identifier)
        out.byte(UInt8(ascii: "-"))
        out.digits(statement.year, width: 4)
        out.byte(UInt8(ascii: "-"))
        out.digits(statement.month, width: 2)
    }
}
