import BankdropCore
import Testing

/// Every generated file must be readable by bankdrop's own readers, and say what the generator meant.
@Suite("Synthetic statement encoder")
struct StatementEncoderTests {
    /// One account per format, overlapping files, over 18 months.
    static let statements: [GeneratedStatement] = {
        let settings = GeneratorSettings(
            transactionCount: 6000, accountCount: 5, seed: 2024, formats: [.csv, .ofx, .camt053, .mt940, .qif],
            overlap: 0.2, startYear: 2024, today: LocalDate(year: 2025, month: 6, day: 15)!)
        return (try? Array(StatementGenerator(settings: settings))) ?? []
    }()

    struct ReadBack {
        var format: StatementFormat?
        var accounts: [StatementAccount] = []
        var transactions: [StatementTransaction] = []
        var balances: [StatementBalance] = []
    }

    /// Detects and reads `bytes` the way the import pipeline does.
    static func readBack(_ bytes: [UInt8], fileName: String) throws -> ReadBack {
        let prefix = Array(bytes.prefix(StatementFormat.detectionPrefixLength))
        let fileExtension = fileName.split(separator: ".").last.map(String.init)
        var result = ReadBack(format: StatementFormat.detect(prefix: prefix, fileExtension: fileExtension))
        guard let format = result.format else { return result }
        var reader = format.reader(over: InMemoryByteSource(bytes, chunkSize: 4096), options: ReaderOptions())
        while let event = try reader.next() {
            switch event {
            case .account(let account): result.accounts.append(account)
            case .transaction(let transaction): result.transactions.append(transaction)
            case .balance(let balance): result.balances.append(balance)
            }
        }
        return result
    }

    @Test("every file of every format reads back: detected format, count, sum, dates, amounts, texts",
          arguments: StatementFormat.allCases)
    func roundTrip(format: StatementFormat) throws {
        let files = Self.statements.filter { $0.account.format == format }
        #expect(files.count == 18)
        for statement in files {
            let bytes = StatementEncoder(format: format).encoded(statement)
            let read = try Self.readBack(bytes, fileName: statement.fileName)
            #expect(read.format == format, "\(statement.fileName)")
            #expect(read.transactions.count == statement.transactions.count, "\(statement.fileName)")
            let sum = read.transactions.reduce(Amount(units: 0, scale: 2)) { $0 + $1.amount }
            #expect(sum == statement.sum, "\(statement.fileName)")
            for (got, want) in zip(read.transactions, statement.transactions) {
                #expect(got.bookingDate == want.date)
                #expect(got.amount == want.amount)
                #expect(got.payee == want.payee)
                #expect(got.description == want.description)
            }
        }
    }

    @Test("formats that carry an account state the account's IBAN; CSV and QIF state none",
          arguments: StatementFormat.allCases)
    func accountIdentifier(format: StatementFormat) throws {
        let statement = try #require(Self.statements.first { $0.account.format == format })
        let read = try Self.readBack(StatementEncoder(format: format).encoded(statement), fileName: statement.fileName)
        let identifiers = Set(read.accounts.map(\.identifier))
        switch format {
        case .csv, .qif: #expect(identifiers == [nil])
        case .ofx, .camt053, .mt940:
            #expect(identifiers == [statement.account.identifier])
            #expect(read.accounts.first?.currency == "EUR")
        }
    }

    @Test("balances in OFX, CAMT and MT940 reconcile: opening + rows = closing", arguments: [
        StatementFormat.ofx, .camt053, .mt940,
    ])
    func balances(format: StatementFormat) throws {
        for statement in Self.statements where statement.account.format == format {
            let read = try Self.readBack(StatementEncoder(format: format).encoded(statement), fileName: statement.fileName)
            let closing = read.balances.first { $0.kind == .closing }
            #expect(closing?.amount == statement.closingBalance)
            if format != .ofx {  // OFX states no opening balance
                let opening = try #require(read.balances.first { $0.kind == .opening })
                #expect(opening.amount + statement.sum == statement.closingBalance)
            }
        }
    }

    @Test("CSV and QIF carry the category")
    func categories() throws {
        for format in [StatementFormat.csv, .qif] {
            let statement = try #require(Self.statements.first { $0.account.format == format })
            let read = try Self.readBack(StatementEncoder(format: format).encoded(statement), fileName: statement.fileName)
            #expect(read.transactions.map(\.category) == statement.transactions.map(\.category))
        }
    }

    @Test("OFX, CAMT and MT940 carry a stable bank id per row, the same in overlapping files")
    func bankIDs() throws {
        for format in [StatementFormat.ofx, .camt053, .mt940] {
            for statement in Self.statements where statement.account.format == format {
                let read = try Self.readBack(StatementEncoder(format: format).encoded(statement), fileName: statement.fileName)
                #expect(read.transactions.map(\.bankID) == statement.transactions.map(\.reference))
            }
        }
    }

    @Test("chunked output is the same bytes as the whole file", arguments: StatementFormat.allCases)
    func chunks(format: StatementFormat) throws {
        let statement = try #require(Self.statements.first { $0.account.format == format })
        var chunks: [[UInt8]] = []
        StatementEncoder(format: format, chunkSize: 1024).encode(statement) { chunks.append($0) }
        #expect(chunks.count > 1)
        #expect(chunks.flatMap { $0 } == StatementEncoder(format: format).encoded(statement))
    }

    @Test("MT940 lines stay within 65 characters and texts with awkward characters survive every format")
    func awkwardText() throws {
        let base = try #require(Self.statements.first)
        let payees = [
            "Smith, Jones & Sons", "Zoë's Café \"Crème\"", "<Tag> & AT&T", "O'Brien's Kitchen",
            "Müller Müller Müller Müller Müller Müller Müller", "A-", "Ends with dash -",
        ]
        for format in StatementFormat.allCases {
            var statement = base
            statement.account.format = format
            statement.repeatedCount = 0
            statement.transactions = payees.enumerated().map { index, payee in
                var row = base.transactions[0]
                row.payee = payee
                row.description = String(repeating: "Purpose text ", count: index + 1) + "-"
                row.sequence = index + 1
                return row
            }
            let bytes = StatementEncoder(format: format).encoded(statement)
            let read = try Self.readBack(bytes, fileName: statement.fileName)
            #expect(read.transactions.map(\.payee) == payees, "\(format)")
            #expect(read.transactions.map(\.description) == statement.transactions.map(\.description), "\(format)")
            if format == .mt940 {
                let lines = bytes.split(separator: 0x0A)
                #expect(lines.allSatisfy { $0.count <= 65 })
                #expect(lines.filter { $0 == [UInt8(ascii: "-")] }.count == 1)
            }
        }
    }
}
