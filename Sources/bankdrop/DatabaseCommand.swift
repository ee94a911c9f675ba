import ArgumentParser
import BankdropAgent
import BankdropPostgres

/// `bankdrop db`: the embedded default database.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL cluster (used when no database is configured).",
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (if needed) and start the embedded cluster. Idempotent.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            try context.embeddedCluster.start(logger: context.logger)
            print("embedded database running: \(context.embeddedCluster.connectionString())")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster's server.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            try context.embeddedCluster.stop()
            print("embedded database stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether the embedded cluster exists and runs (exit 0 running, 3 stopped, 4 not created).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            let cluster = context.embeddedCluster
            switch cluster.state() {
            case .running(let pid):
                print("running (pid \(pid)), data in \(cluster.dataDirectory.path), socket in \(cluster.socketDirectory.path)")
            case .stopped:
                print("stopped, data in \(cluster.dataDirectory.path)")
                throw ExitCode(3)
            case .notInitialized:
                print("not created yet (bankdrop db start creates it in \(cluster.root.path))")
                throw ExitCode(4)
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the libpq connection string of the database in use (for psql).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let context = try global.context()
            if context.usesEmbeddedDatabase {
                print(context.embeddedCluster.connectionString())
            } else {
                print(context.databaseDescription)
            }
        }
    }
}
