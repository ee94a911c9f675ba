/// The synthetic data generator behind `bankdrop generate`: realistic monthly bank statements for
/// a number of accounts, deterministic from a seed. Pure: it returns statements; the caller
/// encodes them (``StatementEncoder``) and writes the files.
///
/// What the data looks like:
/// - dates from 1 January of ``GeneratorSettings/startYear`` to ``GeneratorSettings/today``, each
///   account's rows spread over the months by their number of days;
/// - purchases from a pool of thousands of merchants drawn Zipf-like (a few very often, most
///   rarely), with categories, prices in cents, and card-terminal noise in some payees
///   (`SQ *`, `POS`, store numbers);
/// - identical same-day twins (two coffees, two tickets), occasional refunds, a monthly salary and
///   a monthly rent per account;
/// - with ``GeneratorSettings/overlap`` > 0, each file first repeats that share of the previous
///   month's last rows, as overlapping exports do.
///
/// Statements come account by account, month by month, each once; memory holds one month of one
/// account.
public struct StatementGenerator: Sequence, IteratorProtocol {
    /// The settings, checked.
    public let settings: GeneratorSettings
    /// The accounts, in order.
    public let accounts: [GeneratedAccount]
    /// The merchant pool.
    public let pool: MerchantPool

    private let months: [Month]
    private let totalDays: Int
    private var accountIndex = 0
    private var monthIndex = 0
    private var state: AccountState?

    /// Share of purchases that come back as a refund.
    static let refundShare = 0.015
    /// Chance that a purchase of a twin-prone category (coffee, tickets) is bought twice the same day.
    static let twinShare = 0.18

    private struct Month {
        var year: Int
        var month: Int
        /// The last day with data: the month's end, or today's day in the current month.
        var lastDay: Int
    }

    /// Per-account state while its months are generated.
    private struct AccountState {
        var random: Xoshiro256StarStar
        var sequence = 0
        var balanceCents: Int64
        var previous: [GeneratedTransaction] = []
        var daysBefore = 0
        var salaryCents: Int64
        var rentCents: Int64
        var salaryDay: Int
        var rentDay: Int
        var employer: String
        var landlord: String
    }

    /// Checks `settings` and plans the accounts.
    /// - Throws: ``GeneratorError`` naming the setting that cannot be honoured.
    public init(settings: GeneratorSettings) throws(GeneratorError) {
        guard settings.transactionCount >= 0 else {
            throw GeneratorError(setting: "--transactions", message: "must be 0 or more, not \(settings.transactionCount)")
        }
        guard settings.accountCount >= 1, settings.accountCount <= 10_000 else {
            throw GeneratorError(setting: "--accounts", message: "must be 1...10000, not \(settings.accountCount)")
        }
        guard settings.overlap >= 0, settings.overlap <= 1 else {
            throw GeneratorError(setting: "--overlap", message: "must be a share between 0 and 1, not \(settings.overlap)")
        }
        guard !settings.formats.isEmpty else {
            throw GeneratorError(setting: "--formats", message: "name at least one of csv, ofx, camt, mt940, qif")
        }
        guard settings.startYear >= 1971, settings.startYear <= settings.today.year else {
            throw GeneratorError(
                setting: "--start-year", message: "must be 1971...\(settings.today.year) (today's year), not \(settings.startYear)")
        }
        self.settings = settings
        var months: [Month] = []
        for year in settings.startYear...settings.today.year {
            for month in 1...(year == settings.today.year ? settings.today.month : 12) {
                let isCurrent = year == settings.today.year && month == settings.today.month
                months.append(
                    Month(year: year, month: month, lastDay: isCurrent ? settings.today.day : LocalDate.daysIn(month: month, year: year)))
            }
        }
        self.months = months
        self.totalDays = months.reduce(0) { $0 + $1.lastDay }
        self.pool = MerchantPool(seed: settings.seed)
        self.accounts = (0..<settings.accountCount).map { index in
            var random = Self.random(forAccount: index, seed: settings.seed)
            let bank = GeneratedAccount.banks[index % GeneratedAccount.banks.count]
            // The account index in the last digits keeps identifiers distinct.
            let number = random.below(100_000) * 100_000 + index
            let digits = String(number)
            let accountNumber = String(repeating: "0", count: 10 - digits.count) + digits
            let count = settings.transactionCount / settings.accountCount
                + (index < settings.transactionCount % settings.accountCount ? 1 : 0)
            return GeneratedAccount(
                index: index, identifier: GeneratedAccount.germanIBAN(bankCode: bank.code, accountNumber: accountNumber),
                format: settings.format(ofAccount: index), currency: "EUR", institution: bank.name, bic: bank.bic,
                transactionCount: count)
        }
    }

    /// The next statement, or nil when every account's months are done.
    public mutating func next() -> GeneratedStatement? {
        while accountIndex < accounts.count {
            if state == nil { state = makeState(for: accounts[accountIndex]) }
            guard monthIndex < months.count, var current = state else {
                accountIndex += 1
                monthIndex = 0
                state = nil
                continue
            }
            let statement = generateMonth(months[monthIndex], account: accounts[accountIndex], state: &current)
            state = current
            monthIndex += 1
            if let statement { return statement }
        }
        return nil
    }

    private static func random(forAccount index: Int, seed: UInt64) -> Xoshiro256StarStar {
        var mixer = SplitMix64(seed: seed)
        return Xoshiro256StarStar(seed: mixer.next() &+ UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03)
    }

    private static let employers = [
        "Acme Industries GmbH", "Globex Corporation", "Initech Ltd", "Umbrella Logistics", "Stark Engineering AG",
        "Wayne Enterprises", "Hooli Europe BV", "Vandelay Import Export",
    ]

    private static let landlords = [
        "Hausverwaltung Schmidt", "Parkview Apartments LLC", "Riverside Property Management", "Lindenhof Wohnbau eG",
        "Harbour Lettings Ltd", "Immobilien Weber KG",
    ]

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    private func makeState(for account: GeneratedAccount) -> AccountState {
        var random = Self.random(forAccount: account.index, seed: settings.seed)
        _ = random.below(100_000)  // the draw behind the account number
        let rent = Int64(650 + random.below(121) * 10) * 100
        // A salary that roughly covers the month's purchases and the rent, so balances stay plausible.
        let purchasesPerMonth = totalDays > 0 ? Double(account.transactionCount) * 30.44 / Double(totalDays) : 0
        let spending = purchasesPerMonth * pool.meanPurchaseCents * (1.0 + random.unit() * 0.08)
        let salary = Swift.max(1_800_00, (Int64(spending) + rent) / 100_00 * 100_00 + Int64(random.below(40)) * 25_00)
        return AccountState(
            random: random, balanceCents: Int64(500 + random.below(4500)) * 100 + Int64(random.below(100)),
            salaryCents: salary, rentCents: rent, salaryDay: 25 + account.index % 4, rentDay: 1 + account.index % 3,
            employer: Self.employers[random.below(Self.employers.count)],
            landlord: Self.landlords[random.below(Self.landlords.count)])
    }

    /// One month of one account; nil when the month has no rows at all.
    private func generateMonth(_ month: Month, account: GeneratedAccount, state: inout AccountState) -> GeneratedStatement? {
        let daysThrough = state.daysBefore + month.lastDay
        let rows = totalDays == 0 ? 0 : (account.transactionCount * daysThrough / totalDays) - (account.transactionCount * state.daysBefore / totalDays)
        state.daysBefore = daysThrough

        var repeated: [GeneratedTransaction] = []
        if settings.overlap > 0, !state.previous.isEmpty {
            let share = settings.overlap * Double(state.previous.count)
            let count = Swift.min(state.previous.count, Int(share.rounded(.up)))
            repeated = Array(state.previous.suffix(count))
        }
        let repeatedSum = repeated.reduce(Int64(0)) { $0 + $1.amount.units }
        let opening = state.balanceCents - repeatedSum

        var transactions = repeated
        transactions.reserveCapacity(repeated.count + rows)
        let withFixed = rows >= 4
        let hasRent = withFixed && month.lastDay >= state.rentDay
        let hasSalary = withFixed && month.lastDay >= state.salaryDay
        var purchases = rows - (hasRent ? 1 : 0) - (hasSalary ? 1 : 0)
        var perDay = [Int](repeating: 0, count: month.lastDay + 1)
        while purchases > 0 {
            perDay[1 + state.random.below(month.lastDay)] += 1
            purchases -= 1
        }
        let prefix = account.referencePrefix
        func append(
            _ date: LocalDate, _ cents: Int64, _ payee: String, _ text: String, _ category: String,
            _ kind: GeneratedTransaction.Kind, state: inout AccountState
        ) {
            state.sequence += 1
            state.balanceCents += cents
            transactions.append(
                GeneratedTransaction(
                    date: date, amount: Amount(units: cents, scale: 2), payee: payee, description: text,
                    category: category, kind: kind, sequence: state.sequence, referencePrefix: prefix))
        }
        let period = Self.monthNames[month.month - 1] + " " + String(month.year)
        for day in 1...month.lastDay {
            guard let date = LocalDate(year: month.year, month: month.month, day: day) else { continue }
            if hasRent, day == state.rentDay {
                append(date, -state.rentCents, state.landlord, "Rent " + period, MerchantCategory.housingName, .rent, state: &state)
            }
            var left = perDay[day]
            while left > 0 {
                let merchant = pool.merchants[pool.sample(using: &state.random)]
                let category = merchant.category
                let payee = merchant.payees[merchant.payees.count == 1 ? 0 : state.random.below(merchant.payees.count)]
                let price = merchant.price(using: &state.random)
                if state.random.chance(Self.refundShare) {
                    append(date, price, payee, "Refund", category.name, .refund, state: &state)
                    left -= 1
                } else if category.twins, left >= 2, state.random.chance(Self.twinShare) {
                    append(date, -price, payee, category.purchaseText, category.name, .purchase, state: &state)
                    append(date, -price, payee, category.purchaseText, category.name, .purchase, state: &state)
                    left -= 2
                } else {
                    append(date, -price, payee, category.purchaseText, category.name, .purchase, state: &state)
                    left -= 1
                }
            }
            if hasSalary, day == state.salaryDay {
                append(date, state.salaryCents, state.employer, "Salary " + period, MerchantCategory.incomeName, .salary, state: &state)
            }
        }
        state.previous = Array(transactions[repeated.count...])
        guard !transactions.isEmpty,
            let first = transactions.first?.date ?? LocalDate(year: month.year, month: month.month, day: 1),
            let last = LocalDate(year: month.year, month: month.month, day: month.lastDay)
        else { return nil }
        return GeneratedStatement(
            account: account, year: month.year, month: month.month, transactions: transactions,
            repeatedCount: repeated.count, openingBalance: Amount(units: opening, scale: 2),
            closingBalance: Amount(units: state.balanceCents, scale: 2),
            firstDay: Swift.min(first, LocalDate(year: month.year, month: month.month, day: 1) ?? first), lastDay: last)
    }
}
