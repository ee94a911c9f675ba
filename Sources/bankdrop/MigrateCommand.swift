import ArgumentParser
import BankdropAgent
import BankdropPostgres

/// `bankdrop migrate`: schema migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, roll back and list schema migrations (migrations/NNNN_name.{up,down}.sql).",
        subcommands: [Up.self, Down.self, Status.self, Baseline.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations, each in its own transaction.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Stop after this version.") var to: Int?

        func run() async throws {
            let context = try global.context()
            let migrator = try context.migrator()
            let connection = try await context.connect()
            let applied = try await connection.run { try migrator.up(to: to, on: $0) }
            print(applied.isEmpty ? "nothing to apply: the schema is up to date" : "applied \(applied.map(String.init).joined(separator: ", "))")
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll back the last migration (or --steps N, or --all).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many migrations to roll back.") var steps: Int = 1
        @Flag(help: "Roll back every migration, the baseline included.") var all = false

        func run() async throws {
            let context = try global.context()
            let migrator = try context.migrator()
            let connection = try await context.connect()
            let steps: Int? = all ? nil : steps
            let undone = try await connection.run { try migrator.down(steps: steps, on: $0) }
            print(undone.isEmpty ? "nothing to roll back" : "rolled back \(undone.map(String.init).joined(separator: ", "))")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List migrations and whether each is applied (exit 0 when all are applied and unchanged, 1 otherwise).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            let migrator = try context.migrator()
            let connection = try await context.connect()
            let entries = try await connection.run { try migrator.status(on: $0) }
            for entry in entries {
                let version = String(entry.version).leftPadded(to: 4, with: "0")
                print("\(version)  \(entry.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(entry.name)\(entry.appliedAt.map { "  (\($0))" } ?? "")")
            }
            if entries.contains(where: { $0.state != .applied }) { throw ExitCode(1) }
        }
    }

    struct Baseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark the baseline (0001) applied on a database that already has the accounts and transactions tables.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            let migrator = try context.migrator()
            let connection = try await context.connect()
            let marked = try await connection.run { try migrator.baseline(on: $0) }
            print(marked ? "baseline marked applied; run `bankdrop migrate up` next" : "baseline was already recorded")
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character) -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
