/// How to read one bank's CSV layout: which header identifies it and which column holds what.
///
/// Users declare their own in the configuration (`[[csv.profiles]]`, keys as in `CodingKeys`);
/// `CSVReader` tries them before the built-in ones. Column names compare without regard to case
/// or surrounding spaces. Every column the profile names must be in the header, except those in
/// `optionalColumns`; a header may have more columns than the profile names.
public struct CSVProfile: Sendable, Hashable, Codable {
    /// A short name shown in errors and `--status`, e.g. `dkb`.
    public var name: String
    /// The institution, passed on as `StatementAccount.institution`.
    public var institution: String?
    /// Header names that must all be present for the profile to match (besides the columns it maps).
    public var headerContains: [String]
    /// The booking date.
    public var dateColumn: String
    /// The value date, if the layout has one.
    public var valueDateColumn: String?
    /// The signed amount (money out negative). Either this or `debitColumn`/`creditColumn`.
    public var amountColumn: String?
    /// Money out, written with or without a minus sign; read as negative.
    public var debitColumn: String?
    /// Money in; read as positive.
    public var creditColumn: String?
    /// The counterparty. With `payerColumn`, the counterparty of money out only.
    public var payeeColumn: String?
    /// The counterparty of money in (amount above zero), for layouts with a payer and a payee column.
    public var payerColumn: String?
    /// Free text; several columns are joined with `descriptionSeparator`, skipping empty ones.
    public var descriptionColumns: [String]
    /// What joins the description columns (default one space).
    public var descriptionSeparator: String
    /// A category, if the layout has one.
    public var categoryColumn: String?
    /// The account the row belongs to (IBAN or number), for exports that name it on every row.
    public var accountColumn: String?
    /// The ISO 4217 currency of the row.
    public var currencyColumn: String?
    /// The currency when no column states it (e.g. `EUR` for a header `Betrag (€)`).
    public var currency: String?
    /// The bank's own id for the entry (PayPal `Transaktionscode`).
    public var bankIDColumn: String?
    /// The date layout, e.g. `dd.MM.yyyy` (see `LocalDatePattern`).
    public var dateFormat: String
    /// The character between whole units and decimals in amounts.
    public var decimalSeparator: DecimalSeparator
    /// The field delimiter (`,`, `;`, a tab, `|`), or nil to sniff it from the header line.
    public var delimiter: String?
    /// Mapped columns that a header may lack (their values are then nil).
    public var optionalColumns: [String]
    /// Columns a data row may leave out entirely: a row k fields short of the header is read as
    /// if the first k of these columns were missing. Any other short row is an error.
    public var shortRowOmits: [String]
    /// Whether the account is the first IBAN written in the lines before the header.
    public var accountFromPreamble: Bool
    /// A line before the header whose first field starts with this text states the closing
    /// balance in its second field, e.g. `Kontostand vom` for `"Kontostand vom 09.12.2025:";"4.093,32 €"`.
    public var closingBalanceLabel: String?
    /// Whether the file writes money out as positive (some credit-card exports): amounts are negated.
    public var negateAmounts: Bool

    /// The configuration keys.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case institution
        case headerContains = "header_contains"
        case dateColumn = "date_column"
        case valueDateColumn = "value_date_column"
        case amountColumn = "amount_column"
        case debitColumn = "debit_column"
        case creditColumn = "credit_column"
        case payeeColumn = "payee_column"
        case payerColumn = "payer_column"
        case descriptionColumns = "description_columns"
        case descriptionSeparator = "description_separator"
        case categoryColumn = "category_column"
        case accountColumn = "account_column"
        case currencyColumn = "currency_column"
        case currency
        case bankIDColumn = "bank_id_column"
        case dateFormat = "date_format"
        case decimalSeparator = "decimal_separator"
        case delimiter
        case optionalColumns = "optional_columns"
        case shortRowOmits = "short_row_omits"
        case accountFromPreamble = "account_from_preamble"
        case closingBalanceLabel = "closing_balance_label"
        case negateAmounts = "negate_amounts"
    }

    /// Creates a profile; only the name, the date column and an amount column (or debit/credit
    /// columns) are required.
    public init(
        name: String, institution: String? = nil, headerContains: [String] = [],
        dateColumn: String, valueDateColumn: String? = nil,
        amountColumn: String? = nil, debitColumn: String? = nil, creditColumn: String? = nil,
        payeeColumn: String? = nil, payerColumn: String? = nil,
        descriptionColumns: [String] = [], descriptionSeparator: String = " ",
        categoryColumn: String? = nil, accountColumn: String? = nil,
        currencyColumn: String? = nil, currency: String? = nil, bankIDColumn: String? = nil,
        dateFormat: String = "yyyy-MM-dd", decimalSeparator: DecimalSeparator = .point, delimiter: String? = nil,
        optionalColumns: [String] = [], shortRowOmits: [String] = [],
        accountFromPreamble: Bool = false, closingBalanceLabel: String? = nil, negateAmounts: Bool = false
    ) {
        self.name = name
        self.institution = institution
        self.headerContains = headerContains
        self.dateColumn = dateColumn
        self.valueDateColumn = valueDateColumn
        self.amountColumn = amountColumn
        self.debitColumn = debitColumn
        self.creditColumn = creditColumn
        self.payeeColumn = payeeColumn
        self.payerColumn = payerColumn
        self.descriptionColumns = descriptionColumns
        self.descriptionSeparator = descriptionSeparator
        self.categoryColumn = categoryColumn
        self.accountColumn = accountColumn
        self.currencyColumn = currencyColumn
        self.currency = currency
        self.bankIDColumn = bankIDColumn
        self.dateFormat = dateFormat
        self.decimalSeparator = decimalSeparator
        self.delimiter = delimiter
        self.optionalColumns = optionalColumns
        self.shortRowOmits = shortRowOmits
        self.accountFromPreamble = accountFromPreamble
        self.closingBalanceLabel = closingBalanceLabel
        self.negateAmounts = negateAmounts
    }

    /// Decodes a profile from configuration; absent keys take the defaults of `init(name:...)`.
    /// - Throws: `DecodingError.dataCorrupted` when the profile is unusable (see `validate()`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func optional<T: Decodable>(_ key: CodingKeys) throws -> T? {
            try container.decodeIfPresent(T.self, forKey: key)
        }
        self.init(
            name: try container.decode(String.self, forKey: .name),
            institution: try optional(.institution),
            headerContains: try optional(.headerContains) ?? [],
            dateColumn: try container.decode(String.self, forKey: .dateColumn),
            valueDateColumn: try optional(.valueDateColumn),
            amountColumn: try optional(.amountColumn),
            debitColumn: try optional(.debitColumn),
            creditColumn: try optional(.creditColumn),
            payeeColumn: try optional(.payeeColumn),
            payerColumn: try optional(.payerColumn),
            descriptionColumns: try optional(.descriptionColumns) ?? [],
            descriptionSeparator: try optional(.descriptionSeparator) ?? " ",
            categoryColumn: try optional(.categoryColumn),
            accountColumn: try optional(.accountColumn),
            currencyColumn: try optional(.currencyColumn),
            currency: try optional(.currency),
            bankIDColumn: try optional(.bankIDColumn),
            dateFormat: try optional(.dateFormat) ?? "yyyy-MM-dd",
            decimalSeparator: try optional(.decimalSeparator) ?? .point,
            delimiter: try optional(.delimiter),
            optionalColumns: try optional(.optionalColumns) ?? [],
            shortRowOmits: try optional(.shortRowOmits) ?? [],
            accountFromPreamble: try optional(.accountFromPreamble) ?? false,
            closingBalanceLabel: try optional(.closingBalanceLabel),
            negateAmounts: try optional(.negateAmounts) ?? false
        )
        do {
            try validate()
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// The delimiters tried when a profile names none, in the order they are tried on a tie.
    public static let sniffedDelimiters: [String] = [";", ",", "\t", "|"]

    /// Checks that the profile can read anything.
    /// - Throws: `ValueParseError` naming the problem: no amount column, both an amount and
    ///   debit/credit columns, an unusable date format or delimiter, an empty column name.
    public func validate() throws(ValueParseError) {
        let problem = { (message: String) in ValueParseError("CSV profile \"\(name)\": \(message)") }
        if name.isEmpty { throw ValueParseError("a CSV profile needs a name") }
        if amountColumn == nil, debitColumn == nil, creditColumn == nil {
            throw problem("set amount_column, or debit_column and credit_column")
        }
        if amountColumn != nil, debitColumn != nil || creditColumn != nil {
            throw problem("set either amount_column or debit_column/credit_column, not both")
        }
        do {
            _ = try LocalDatePattern(dateFormat)
        } catch {
            throw problem(error.message)
        }
        if let delimiter, delimiterByte == nil {
            throw problem("delimiter \"\(delimiter)\" must be one ASCII character such as \";\", \",\" or a tab")
        }
        if mappedColumns.contains(where: { $0.trimmingBlanks().isEmpty })
            || headerContains.contains(where: { $0.isEmpty })
        {
            throw problem("a column name is empty")
        }
        for column in shortRowOmits where !allColumns.contains(where: { $0.matchesColumn(column) }) {
            throw problem("short_row_omits names \"\(column)\", which is not in header_contains or a mapped column")
        }
    }

    /// The delimiter as a byte, when one is set and usable.
    var delimiterByte: UInt8? {
        guard let delimiter else { return nil }
        let bytes = Array(delimiter.utf8)
        guard bytes.count == 1, let byte = bytes.first, byte < 0x80, byte != UInt8(ascii: "\""),
            byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r")
        else { return nil }
        return byte
    }

    /// Every column the profile reads.
    var mappedColumns: [String] {
        [dateColumn]
            + [valueDateColumn, amountColumn, debitColumn, creditColumn, payeeColumn, payerColumn].compactMap { $0 }
            + descriptionColumns + [categoryColumn, accountColumn, currencyColumn, bankIDColumn].compactMap { $0 }
    }

    /// Every column the profile mentions.
    var allColumns: [String] { headerContains + mappedColumns }
}
