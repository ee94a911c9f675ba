extension CSVProfile {
    /// The profiles bankdrop ships, tried after the user's own, in this order.
    public static let builtIn: [CSVProfile] = [commerzbank, dkb, ing, payPal, generic]

    /// Commerzbank: `Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;IBAN Kontoinhaber;Kategorie`,
    /// UTF-8 with BOM, decimal comma, the account IBAN on every row.
    public static let commerzbank = CSVProfile(
        name: "commerzbank", institution: "Commerzbank",
        headerContains: ["Buchungstag", "Wertstellung", "Umsatzart", "Buchungstext", "Betrag", "Währung"],
        dateColumn: "Buchungstag", valueDateColumn: "Wertstellung", amountColumn: "Betrag",
        descriptionColumns: ["Buchungstext"], categoryColumn: "Kategorie", accountColumn: "IBAN Kontoinhaber",
        currencyColumn: "Währung", dateFormat: "dd.MM.yyyy", decimalSeparator: .comma,
        optionalColumns: ["Kategorie", "IBAN Kontoinhaber"]
    )

    /// DKB (layout since 2023): a preamble with the IBAN and `Kontostand vom ...`, every field quoted,
    /// two-digit years, payer and payee columns, `Betrag (€)`.
    public static let dkb = CSVProfile(
        name: "dkb", institution: "DKB",
        headerContains: ["Buchungsdatum", "Wertstellung", "Status", "Verwendungszweck", "Umsatztyp", "IBAN"],
        dateColumn: "Buchungsdatum", valueDateColumn: "Wertstellung", amountColumn: "Betrag (€)",
        payeeColumn: "Zahlungsempfänger*in", payerColumn: "Zahlungspflichtige*r",
        descriptionColumns: ["Verwendungszweck"], currency: "EUR",
        dateFormat: "dd.MM.yy", decimalSeparator: .comma, delimiter: ";",
        accountFromPreamble: true, closingBalanceLabel: "Kontostand vom"
    )

    /// ING Germany: a metadata preamble with the IBAN, Latin-1, decimal comma. A row that lacks one
    /// of the text columns is read as lacking `Buchungstext` (seen in real exports).
    public static let ing = CSVProfile(
        name: "ing", institution: "ING",
        headerContains: [
            "Buchung", "Wertstellungsdatum", "Auftraggeber/Empfänger", "Buchungstext", "Verwendungszweck",
        ],
        dateColumn: "Buchung", valueDateColumn: "Wertstellungsdatum", amountColumn: "Betrag",
        payeeColumn: "Auftraggeber/Empfänger", descriptionColumns: ["Verwendungszweck"],
        currencyColumn: "Währung", dateFormat: "dd.MM.yyyy", decimalSeparator: .comma, delimiter: ";",
        shortRowOmits: ["Buchungstext"], accountFromPreamble: true
    )

    /// PayPal (German activity download): `,` delimiter with quoted decimal-comma amounts; the
    /// amount is `Netto` (after fees), the bank id `Transaktionscode`. No account in the file.
    public static let payPal = CSVProfile(
        name: "paypal", institution: "PayPal",
        headerContains: ["Datum", "Uhrzeit", "Zeitzone", "Name", "Typ", "Status", "Brutto", "Netto"],
        dateColumn: "Datum", amountColumn: "Netto", payeeColumn: "Name",
        descriptionColumns: ["Typ", "Betreff"], descriptionSeparator: " / ",
        currencyColumn: "Währung", bankIDColumn: "Transaktionscode",
        dateFormat: "dd.MM.yyyy", decimalSeparator: .comma, delimiter: ",",
        optionalColumns: ["Betreff"]
    )

    /// A plain `date,amount,payee,description` layout (English names, any case, extra columns
    /// allowed, optional `category` and `currency`), ISO dates, decimal point, delimiter sniffed.
    public static let generic = CSVProfile(
        name: "generic",
        dateColumn: "date", amountColumn: "amount", payeeColumn: "payee", descriptionColumns: ["description"],
        categoryColumn: "category", currencyColumn: "currency",
        dateFormat: "yyyy-MM-dd", decimalSeparator: .point,
        optionalColumns: ["category", "currency"]
    )
}
