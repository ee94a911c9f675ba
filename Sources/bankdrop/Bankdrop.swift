import ArgumentParser
import BankdropAgent

/// `bankdrop`: argument parsing and wiring only; the work happens in BankdropAgent.
@main
struct Bankdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bankdrop",
        abstract: "Drop bank exports into a folder; get clean, deduplicated rows in PostgreSQL.",
        discussion: "bankdrop --status (or bankdrop status) tells whether all is well.\n" + StatusCommand.exitCodes,
        subcommands: [
            StatusCommand.self, WatchCommand.self, ImportCommand.self, RefreshCommand.self, MigrateCommand.self,
            DatabaseCommand.self, GenerateCommand.self,
        ])

    @Flag(name: .long, help: "Show the status report (the same as `bankdrop status`); exit codes below.")
    var status = false

    // The root parses every argument it knows, wherever it stands (`bankdrop import --json` too),
    // and hands its option groups to the subcommands that declare the same group type: so `--json`
    // lives in OutputOptions, and a subcommand with a `--json` flag must take OutputOptions too: a
    // `@Flag var json` of its own would never be set.
    @OptionGroup var output: OutputOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard status else { throw CleanExit.helpRequest(self) }
        try await StatusCommand.report(global: global, json: output.json)
    }
}

/// `--json`, shared by the root (`bankdrop --status --json`) and every subcommand that prints JSON.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of text.")
    var json = false
}
