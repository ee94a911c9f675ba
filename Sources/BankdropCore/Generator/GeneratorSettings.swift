/// What `bankdrop generate` should produce: how many rows over how many accounts, in which
/// formats, over which dates, from which seed.
public struct GeneratorSettings: Sendable, Hashable {
    /// Distinct transactions in all (rows repeated by ``overlap`` come on top).
    public var transactionCount: Int
    /// Accounts; each gets one folder and one file per month.
    public var accountCount: Int
    /// The seed: the same settings and seed give the same bytes.
    public var seed: UInt64
    /// File formats, assigned to accounts in turn (account 1 the first, account 2 the second, ...).
    public var formats: [StatementFormat]
    /// Share (0...1) of the previous month's last rows that each monthly file repeats at its start,
    /// as overlapping exports do.
    public var overlap: Double
    /// The first year with data (from 1 January).
    public var startYear: Int
    /// The last day with data: "today", passed in so the generator stays pure.
    public var today: LocalDate

    /// Creates settings; ``StatementGenerator/init(settings:)`` checks them.
    public init(
        transactionCount: Int, accountCount: Int, seed: UInt64 = 1, formats: [StatementFormat] = [.csv],
        overlap: Double = 0, startYear: Int = 2023, today: LocalDate
    ) {
        self.transactionCount = transactionCount
        self.accountCount = accountCount
        self.seed = seed
        self.formats = formats
        self.overlap = overlap
        self.startYear = startYear
        self.today = today
    }

    /// The format of the account at `index` (counting from 0).
    public func format(ofAccount index: Int) -> StatementFormat {
        formats.isEmpty ? .csv : formats[index % formats.count]
    }

    /// Parses a format name as the command line takes it: `csv`, `ofx`, `qfx`, `qif`, `camt`,
    /// `camt053`, `mt940`, `sta` (any case).
    public static func format(named name: String) -> StatementFormat? {
        switch name.lowercased() {
        case "csv": .csv
        case "ofx", "qfx": .ofx
        case "qif": .qif
        case "camt", "camt053", "camt.053": .camt053
        case "mt940", "sta": .mt940
        default: nil
        }
    }
}
