import ArgumentParser
import BankdropAgent

/// `bankdrop`: argument parsing and wiring only; the work happens in BankdropAgent.
@main
struct Bankdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bankdrop",
        abstract: "Drop bank exports into a folder; get clean, deduplicated rows in PostgreSQL.",
        subcommands: [WatchCommand.self, ImportCommand.self, RefreshCommand.self, MigrateCommand.self, DatabaseCommand.self])
}
