import ArgumentParser
import BankdropAgent
import BankdropPostgres
import Foundation

/// `bankdrop refresh`: refresh the summary views now.
struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refresh the summary views now (CONCURRENTLY: dashboards keep reading meanwhile).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try global.context()
        let connection = try await context.connect()
        let record = try await connection.run {
            try ViewRefresher.refresh(trigger: "manual", host: ProcessInfo.processInfo.hostName, on: $0)
        }
        print("views refreshed in \(Int(record.durationMilliseconds.rounded())) ms (refresh \(record.id), covers imports up to \(record.coveredImportID.map(String.init) ?? "none"))")
    }
}
