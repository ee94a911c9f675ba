import ArgumentParser
import BankdropAgent
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `bankdrop status` (and `bankdrop --status`): is the agent running, what waits, what failed,
/// what was imported, how fresh the data and the views are.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the agent, the inbox queue, failed files, the last imports and data freshness.",
        discussion: exitCodes)

    /// The exit codes, for `--help` (here and on the root command).
    static let exitCodes = """
        Answers within 2 seconds, even when the database is down; never starts the embedded database.
        Exit codes (when several apply, the first in this list wins):
          0   healthy
          1   the agent is not running (or hangs, or its state cannot be read)
          2   the database is unreachable (or, embedded, stopped or not created)
          4   the schema is not migrated (run `bankdrop migrate up`)
          3   files are failing (files in failed/, or waiting to be retried)
          78  the configuration could not be loaded (nothing was checked)
        """

    @OptionGroup var output: OutputOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await Self.report(global: global, json: output.json)
    }

    /// Gathers the report, prints it, and exits with its health's exit code.
    static func report(global: GlobalOptions, json: Bool) async throws {
        let context: AgentContext
        do {
            context = try global.context()
        } catch {
            FileHandle.standardError.write(Data("bankdrop: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let report = await StatusReport.gather(context: context)
        if json {
            print(report.json(), terminator: "")
        } else {
            let color = isatty(STDOUT_FILENO) == 1 && (context.environment["NO_COLOR"] ?? "").isEmpty
            print(report.text(StatusReport.TextStyle(color: color)), terminator: "")
        }
        let code = report.health.exitCode
        if code != 0 { throw ExitCode(code) }
    }
}
