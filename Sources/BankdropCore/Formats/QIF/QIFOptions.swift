/// The order of day and month in QIF dates, which the format itself does not say.
public enum QIFDateOrder: String, Sendable, Hashable, Codable, CaseIterable {
    /// `D03.11.25` is 3 November 2025 (German and most European exports).
    case dayMonthYear = "dmy"
    /// `D11/03'25` is 3 November 2025 (Quicken US).
    case monthDayYear = "mdy"
}

/// What a user may tell the QIF reader about their files (configuration table `[qif]`).
public struct QIFOptions: Sendable, Hashable, Codable {
    /// The date order, or nil to infer it (see `QIFReader`).
    public var dateOrder: QIFDateOrder?
    /// The decimal separator of `T`/`U` amounts, or nil to infer it per amount (see `QIFReader`).
    public var decimalSeparator: DecimalSeparator?

    /// The configuration keys.
    public enum CodingKeys: String, CodingKey {
        case dateOrder = "date_order"
        case decimalSeparator = "decimal_separator"
    }

    /// Creates options; nil means infer.
    public init(dateOrder: QIFDateOrder? = nil, decimalSeparator: DecimalSeparator? = nil) {
        self.dateOrder = dateOrder
        self.decimalSeparator = decimalSeparator
    }
}
