import BankdropCore
import Testing

@Suite("Synthetic statement generator")
struct StatementGeneratorTests {
    static let today = LocalDate(year: 2025, month: 6, day: 15)!

    static func settings(
        transactions: Int = 3000, accounts: Int = 3, seed: UInt64 = 42, formats: [StatementFormat] = [.csv],
        overlap: Double = 0, startYear: Int = 2024
    ) -> GeneratorSettings {
        GeneratorSettings(
            transactionCount: transactions, accountCount: accounts, seed: seed, formats: formats, overlap: overlap,
            startYear: startYear, today: today)
    }

    static func statements(_ settings: GeneratorSettings) throws -> [GeneratedStatement] {
        Array(try StatementGenerator(settings: settings))
    }

    static func bytes(_ settings: GeneratorSettings) throws -> [[UInt8]] {
        try statements(settings).map { StatementEncoder(format: $0.account.format).encoded($0) }
    }

    @Test("the same seed gives the same bytes; another seed gives other bytes")
    func determinism() throws {
        let all = Self.settings(formats: [.csv, .ofx, .camt053, .mt940, .qif], overlap: 0.2)
        let first = try Self.bytes(all)
        #expect(try Self.bytes(all) == first)
        var other = all
        other.seed = 43
        #expect(try Self.bytes(other) != first)
    }

    @Test("the random generators are pinned: xoshiro256** and SplitMix64 reference outputs")
    func pinnedRandom() {
        // SplitMix64 from seed 0: the first output of the published reference implementation.
        var mixer = SplitMix64(seed: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)
        // xoshiro256** from the state {1, 2, 3, 4}: the reference implementation's first outputs.
        var reference = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in reference.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        var a = Xoshiro256StarStar(seed: 7)
        var b = Xoshiro256StarStar(seed: 7)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(Set(first).count == 100)
        var bounded = Xoshiro256StarStar(seed: 1)
        #expect((0..<10_000).allSatisfy { _ in (0..<7).contains(bounded.below(7)) })
    }

    @Test("exactly the requested transactions, spread over the accounts", arguments: [
        (0, 1), (1, 1), (7, 3), (100, 5), (3001, 4), (20_000, 3),
    ])
    func counts(transactions: Int, accounts: Int) throws {
        let generator = try StatementGenerator(settings: Self.settings(transactions: transactions, accounts: accounts))
        #expect(generator.accounts.count == accounts)
        #expect(generator.accounts.reduce(0) { $0 + $1.transactionCount } == transactions)
        var totals = GenerationTotals()
        var perAccount: [String: Int] = [:]
        for statement in generator {
            totals.add(statement)
            perAccount[statement.account.identifier, default: 0] += statement.transactions.count
        }
        #expect(totals.transactions == transactions)
        #expect(totals.rowsWritten == transactions)
        for account in generator.accounts where account.transactionCount > 0 {
            #expect(perAccount[account.identifier] == account.transactionCount)
        }
    }

    @Test("accounts have valid, distinct IBANs; the file sits in a folder named after it")
    func identifiers() throws {
        let generator = try StatementGenerator(settings: Self.settings(accounts: 12))
        let identifiers = generator.accounts.map(\.identifier)
        #expect(Set(identifiers).count == 12)
        for identifier in identifiers {
            #expect(identifier.count == 22 && identifier.hasPrefix("DE"))
            // ISO 13616: the IBAN with its first four characters moved to the end is 1 mod 97.
            let rearranged = identifier.dropFirst(4) + "1314" + identifier.dropFirst(2).prefix(2)
            #expect(rearranged.utf8.reduce(0) { ($0 * 10 + Int($1 - 48)) % 97 } == 1, "\(identifier)")
        }
        let statement = try #require(try Self.statements(Self.settings()).first)
        #expect(statement.relativePath == statement.account.identifier + "/" + statement.fileName)
        #expect(statement.fileName == statement.account.identifier + "-2024-01.csv")
    }

    @Test("formats rotate over the accounts, with the extension format detection expects")
    func formatsRotate() throws {
        let generator = try StatementGenerator(settings: Self.settings(accounts: 7, formats: [.ofx, .mt940, .qif]))
        #expect(generator.accounts.map(\.format) == [.ofx, .mt940, .qif, .ofx, .mt940, .qif, .ofx])
        #expect(StatementFormat.allCases.map(GeneratedStatement.fileExtension(for:)) == ["csv", "ofx", "qif", "xml", "sta"])
        #expect(["csv", "OFX", "qfx", "camt", "camt053", "mt940", "qif"].map(GeneratorSettings.format(named:))
            == [.csv, .ofx, .ofx, .camt053, .camt053, .mt940, .qif])
        #expect(GeneratorSettings.format(named: "pdf") == nil)
    }

    @Test("every date lies between 1 January of the start year and today; files are in date order")
    func datesInRange() throws {
        let start = try #require(LocalDate(year: 2024, month: 1, day: 1))
        let statements = try Self.statements(Self.settings(transactions: 5000, overlap: 0.3))
        var months: Set<String> = []
        for statement in statements {
            months.insert("\(statement.year)-\(statement.month)")
            let dates = statement.transactions.map(\.date)
            #expect(dates.allSatisfy { $0 >= start && $0 <= Self.today })
            #expect(dates == dates.sorted())
            #expect(statement.transactions[statement.repeatedCount...].allSatisfy {
                $0.date.year == statement.year && $0.date.month == statement.month
            })
        }
        #expect(months.count == 18)  // January 2024 to June 2025
        let latest = statements.flatMap(\.transactions).map(\.date).max()
        #expect(latest.map { $0 > LocalDate(year: 2025, month: 6, day: 1)! } == true)
    }

    @Test("money in exists: a monthly salary and occasional refunds; purchases are money out with cents")
    func moneyIn() throws {
        let rows = try Self.statements(Self.settings(transactions: 20_000)).flatMap(\.transactions)
        let salaries = rows.filter { $0.kind == .salary }
        #expect(salaries.count >= 3 * 17)
        #expect(salaries.allSatisfy { $0.amount.units > 0 && $0.category == "Income" })
        let refunds = rows.filter { $0.kind == .refund }
        #expect(!refunds.isEmpty)
        #expect(refunds.allSatisfy { $0.amount.units > 0 })
        #expect(rows.filter { $0.kind == .rent }.allSatisfy { $0.amount.units < 0 && $0.category == "Housing" })
        let purchases = rows.filter { $0.kind == .purchase }
        #expect(purchases.allSatisfy { $0.amount.units < 0 && $0.amount.scale == 2 })
        #expect(purchases.contains { $0.amount.units % 100 != 0 })
    }

    @Test("identical same-day twins exist in one file, with distinct bank ids")
    func twins() throws {
        var twins = 0
        for statement in try Self.statements(Self.settings(transactions: 20_000)) {
            for (a, b) in zip(statement.transactions, statement.transactions.dropFirst())
            where a.date == b.date && a.amount == b.amount && a.payee == b.payee && a.description == b.description {
                #expect(a.reference != b.reference)
                twins += 1
            }
        }
        #expect(twins > 50)
    }

    @Test("with overlap, each file starts with the previous month's last rows, unchanged", arguments: [0.1, 0.5, 1.0])
    func overlap(share: Double) throws {
        let statements = try Self.statements(Self.settings(transactions: 4000, accounts: 2, overlap: share))
        var previous: GeneratedStatement?
        var repeatedFiles = 0
        for statement in statements {
            defer { previous = statement }
            guard let previous, previous.account == statement.account else {
                #expect(statement.repeatedCount == 0)
                continue
            }
            let own = Array(previous.transactions[previous.repeatedCount...])
            let expected = Int((share * Double(own.count)).rounded(.up))
            #expect(statement.repeatedCount == expected)
            #expect(Array(statement.transactions.prefix(statement.repeatedCount)) == Array(own.suffix(expected)))
            // The opening balance is the balance before the first repeated row.
            let repeatedSum = own.suffix(expected).reduce(Int64(0)) { $0 + $1.amount.units }
            #expect(statement.openingBalance.units == previous.closingBalance.units - repeatedSum)
            repeatedFiles += 1
        }
        #expect(repeatedFiles == statements.count - 2)
        var totals = GenerationTotals()
        statements.forEach { totals.add($0) }
        #expect(totals.transactions == 4000)
        #expect(totals.repeatedRows > 0)
    }

    @Test("without overlap nothing repeats, and balances chain from file to file")
    func noOverlap() throws {
        let statements = try Self.statements(Self.settings(transactions: 2000, accounts: 1))
        #expect(statements.allSatisfy { $0.repeatedCount == 0 })
        for (a, b) in zip(statements, statements.dropFirst()) {
            #expect(b.openingBalance == a.closingBalance)
            #expect(a.openingBalance + a.sum == a.closingBalance)
        }
        #expect(Set(statements.flatMap(\.transactions).map(\.reference)).count == 2000)
    }

    @Test("merchants: thousands of names, long-tail frequencies, card-terminal noise")
    func merchants() throws {
        let pool = MerchantPool(seed: 9)
        #expect(pool.merchants.count >= 3000)
        #expect(Set(pool.merchants.map(\.name)).count == pool.merchants.count)
        #expect(Set(pool.merchants.map(\.category.name)).count == MerchantCategory.all.count)
        let rows = try Self.statements(Self.settings(transactions: 20_000)).flatMap(\.transactions)
            .filter { $0.kind == .purchase }
        var frequency: [String: Int] = [:]
        for row in rows { frequency[row.payee, default: 0] += 1 }
        let sorted = frequency.values.sorted(by: >)
        #expect(frequency.count > 1000)
        // Long tail: the most frequent payee is far above the median one, and many appear once.
        #expect(sorted[0] > 20 * sorted[sorted.count / 2])
        #expect(sorted.filter { $0 == 1 }.count > 200)
        #expect(rows.contains { $0.payee.hasPrefix("SQ *") })
        #expect(rows.contains { $0.payee.hasPrefix("POS ") })
        #expect(rows.contains { $0.payee.contains(" #") })
        #expect(Set(rows.map(\.category)).count == MerchantCategory.all.count)
    }

    @Test("settings that cannot be honoured name the option", arguments: [
        (GeneratorSettings(transactionCount: -1, accountCount: 1, today: today), "--transactions"),
        (GeneratorSettings(transactionCount: 10, accountCount: 0, today: today), "--accounts"),
        (GeneratorSettings(transactionCount: 10, accountCount: 1, overlap: 1.5, today: today), "--overlap"),
        (GeneratorSettings(transactionCount: 10, accountCount: 1, overlap: -0.1, today: today), "--overlap"),
        (GeneratorSettings(transactionCount: 10, accountCount: 1, formats: [], today: today), "--formats"),
        (GeneratorSettings(transactionCount: 10, accountCount: 1, startYear: 2026, today: today), "--start-year"),
    ])
    func invalidSettings(settings: GeneratorSettings, option: String) {
        #expect(throws: GeneratorError.self) { try StatementGenerator(settings: settings) }
        do {
            _ = try StatementGenerator(settings: settings)
        } catch {
            #expect(error.setting == option)
            #expect(error.description.hasPrefix(option))
        }
    }
}
