import ArgumentParser
import BankdropAgent
import BankdropCore
import Foundation

/// `bankdrop generate`: realistic synthetic bank exports, written as an inbox holds them.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic synthetic bank exports: DIR/<account>/<account>-YYYY-MM.<ext>, one file per account and month.",
        discussion: """
            The same options and seed always give the same files, up to today's date, which ends the data. \
            Formats rotate over the accounts; each account's folder is named after the identifier its OFX, \
            CAMT and MT940 files state (an IBAN), so CSV and QIF files in it belong to the same account.

            The "import check" line is what loading every file must give: afterwards \
            `SELECT count(*), sum(amount) FROM transactions` matches it (repeated rows deduplicate away).
            """)

    @Option(help: "Distinct transactions in all (rows repeated by --overlap come on top).")
    var transactions: Int

    @Option(help: "Number of accounts.")
    var accounts: Int = 1

    @Option(help: "Output folder (created when missing); one subfolder per account.")
    var out: String

    @Option(help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(help: "Formats assigned to the accounts in turn, comma-separated: csv, ofx, camt, mt940, qif.")
    var formats: String = "csv"

    @Option(help: "Share (0-1) of the previous month's last rows each file repeats, as overlapping exports do.")
    var overlap: Double = 0

    @Option(help: "First year with data (from 1 January); the data ends today.")
    var startYear: Int = 2023

    func run() throws {
        var parsed: [StatementFormat] = []
        for name in formats.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let format = GeneratorSettings.format(named: name) else {
                throw ValidationError("unknown format \(name): use csv, ofx, camt, mt940 or qif")
            }
            parsed.append(format)
        }
        guard let today = LocalDate.today() else { throw ValidationError("cannot read today's date from the system clock") }
        let settings = GeneratorSettings(
            transactionCount: transactions, accountCount: accounts, seed: seed, formats: parsed, overlap: overlap,
            startYear: startYear, today: today)
        let writer = GeneratedInboxWriter(directory: URL(fileURLWithPath: out))
        let clock = ContinuousClock()
        let start = clock.now
        let totals: GenerationTotals
        do {
            totals = try writer.write(settings)
        } catch let error as GeneratorError {
            throw ValidationError(error.description)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(totals.rowsWritten) / seconds) : totals.rowsWritten
        print(
            "wrote \(totals.files) files, \(totals.rowsWritten) rows, \(totals.accounts.count) accounts in "
                + String(format: "%.2f", seconds) + " s (\(rate) rows/s) to \(out)")
        let span = "\(totals.firstDate?.description ?? "-") to \(totals.lastDate?.description ?? "-")"
        print(
            "import check: \(totals.transactions) distinct transactions, sum \(totals.sum) EUR, \(span)"
                + (totals.repeatedRows > 0 ? "; \(totals.repeatedRows) more rows repeat earlier ones (overlap)" : ""))
        for account in totals.accounts {
            print("  \(account.identifier)  \(account.format.rawValue)  \(account.files) files  \(account.transactions) transactions  sum \(account.sum)")
        }
    }
}
