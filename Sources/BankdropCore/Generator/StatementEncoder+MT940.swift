extension StatementEncoder {
    /// Lines of SWIFT MT940 are at most 65 characters; longer `:86:` content continues on the next line.
    static let mt940LineLength = 65

    /// MT940 in the German DK layout: `:20:`, `:25:` with the IBAN, `:28C:`, `:60F:`, then one
    /// `:61:` + structured `:86:` per row (`?00` posting text, `?20`... purpose, `?32`/`?33` name),
    /// `:62F:` and the `-` terminator.
    static func mt940Header(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii(":20:STARTUMS")
        out.digits(statement.year % 100, width: 2)
        out.digits(statement.month, width: 2)
        out.ascii("\n:25:")
        out.text(statement.account.identifier)
        out.ascii("\n:28C:")
        out.digits(statement.month)
        out.ascii("/1\n:60F:")
        mt940Balance(statement.openingBalance.units, statement.firstDay, statement.account.currency, into: &out)
    }

    static func mt940Row(_ transaction: GeneratedTransaction, into out: inout ByteWriter, scratch: inout ByteWriter) {
        let cents = transaction.amount.units
        out.ascii(":61:")
        out.swiftDate(transaction.date)
        out.digits(transaction.date.month, width: 2)
        out.digits(transaction.date.day, width: 2)
        out.byte(cents < 0 ? UInt8(ascii: "D") : UInt8(ascii: "C"))
        out.magnitude(cents: cents, separator: UInt8(ascii: ","))
        let code: StaticString
        let posting: StaticString
        switch transaction.kind {
        case .purchase where transaction.description == "Direct debit":
            out.ascii("NDDT")
            (code, posting) = ("105", "LASTSCHRIFT")
        case .purchase:
            out.ascii("NMSC")
            (code, posting) = ("106", "KARTENZAHLUNG")
        case .refund:
            out.ascii("NMSC")
            (code, posting) = ("166", "GUTSCHRIFT")
        case .salary:
            out.ascii("NTRF")
            (code, posting) = ("153", "LOHN GEHALT")
        case .rent:
            out.ascii("NSTO")
            (code, posting) = ("117", "DAUERAUFTRAG")
        }
        out.ascii("NONREF//")
        out.text(transaction.reference)
        out.byte(0x0A)

        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.ascii(code)
        scratch.ascii("?00")
        scratch.ascii(posting)
        subfields(transaction.description, first: 20, last: 29, into: &scratch)
        subfields(transaction.payee, first: 32, last: 33, into: &scratch)
        out.ascii(":86:")
        wrap(scratch.bytes, into: &out)
    }

    static func mt940Footer(_ statement: GeneratedStatement, into out: inout ByteWriter) {
        out.ascii(":62F:")
        mt940Balance(statement.closingBalance.units, statement.lastDay, statement.account.currency, into: &out)
        out.ascii("-\n")
    }

    private static func mt940Balance(_ cents: Int64, _ date: LocalDate, _ currency: String, into out: inout ByteWriter) {
        out.byte(cents < 0 ? UInt8(ascii: "D") : UInt8(ascii: "C"))
        out.swiftDate(date)
        out.text(currency)
        out.magnitude(cents: cents, separator: UInt8(ascii: ","))
        out.byte(0x0A)
    }

    /// `text` cut into subfields of at most 27 bytes (`?20`, `?21`, ...), never inside a UTF-8
    /// character; what does not fit by `last` goes into the last subfield whole.
    private static func subfields(_ text: String, first: Int, last: Int, into out: inout ByteWriter) {
        let bytes = Array(text.utf8)
        var start = 0
        var code = first
        while start < bytes.count {
            var end = code == last ? bytes.count : min(bytes.count, start + 27)
            while end < bytes.count, end > start, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            out.byte(UInt8(ascii: "?"))
            out.digits(code, width: 2)
            out.bytes.append(contentsOf: bytes[start..<end])
            start = end
            code += 1
        }
    }

    /// Writes `content` as lines of at most 65 bytes (the first after the 4-byte tag). A break
    /// never cuts a UTF-8 character, never falls beside a space (readers may trim line ends), and
    /// never leaves a last line that is a lone `-`, which would read as the statement's end.
    private static func wrap(_ content: [UInt8], into out: inout ByteWriter) {
        let space = UInt8(ascii: " ")
        var start = 0
        var room = mt940LineLength - 4
        while start < content.count {
            var end = min(content.count, start + room)
            while end < content.count, end > start + 1,
                content[end] & 0xC0 == 0x80 || content[end] == space || content[end - 1] == space
                    || (content.count - end == 1 && content[end] == UInt8(ascii: "-"))
            {
                end -= 1
            }
            out.bytes.append(contentsOf: content[start..<end])
            out.byte(0x0A)
            start = end
            room = mt940LineLength
        }
    }
}
