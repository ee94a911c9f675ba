/// What readers need from the user's configuration.
public struct ReaderOptions: Sendable, Hashable {
    /// User CSV profiles, tried before the built-in ones.
    public var csvProfiles: [CSVProfile]
    /// QIF date order and decimal separator.
    public var qif: QIFOptions

    public init(csvProfiles: [CSVProfile] = [], qif: QIFOptions = QIFOptions()) {
        self.csvProfiles = csvProfiles
        self.qif = qif
    }
}

/// A reader of any format, behind one concrete type.
public struct AnyStatementReader: StatementReader {
    private var base: any StatementReader

    public init(_ base: any StatementReader) {
        self.base = base
    }

    public mutating func next() throws(StatementError) -> StatementEvent? {
        try base.next()
    }
}

extension StatementFormat {
    /// How many leading bytes format detection looks at.
    public static let detectionPrefixLength = 8 * 1024

    /// A reader of this format over `source`.
    public func reader(over source: some ByteSource, options: ReaderOptions) -> AnyStatementReader {
        switch self {
        case .csv: AnyStatementReader(CSVReader(source: source, profiles: options.csvProfiles + CSVProfile.builtIn))
        case .qif: AnyStatementReader(QIFReader(source: source, options: options.qif))
        case .ofx: AnyStatementReader(OFXReader(source))
        case .camt053: AnyStatementReader(CAMTReader(source))
        case .mt940: AnyStatementReader(MT940Reader(source))
        }
    }
}
