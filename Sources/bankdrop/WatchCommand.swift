import ArgumentParser
import BankdropAgent
import BankdropCore
import ServiceLifecycle

/// `bankdrop watch`: the agent, as the systemd unit runs it.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the inbox and import every statement dropped into it (what the systemd unit runs).",
        discussion: """
            Files in the inbox (and in <inbox>/<account>/ subfolders) are imported once complete, then
            moved to done/YYYY/MM/, or to failed/ with <name>.error.txt. The schema is migrated on start.
            Stop with SIGTERM or Ctrl-C: the file in hand is finished first.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The inbox folder (default: inbox.path from the configuration, else <state dir>/inbox).")
    var inbox: String?

    func run() async throws {
        let context = try global.context(inbox: inbox)
        let configuration = context.configuration
        let agent = try InboxAgent(
            context: context,
            options: InboxAgent.Options(
                settle: configuration.inbox.settle,
                refresh: .init(quiet: configuration.refresh.quiet, maxDelay: configuration.refresh.maxDelay)),
            // Taken from the environment and unset, so the embedded PostgreSQL server, which is
            // linked with libsystemd, does not send its own READY=1 to the unit.
            notifier: SystemdNotifier.takingProcessEnvironment())
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: AgentService(agent: agent))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: context.logger))
        try await group.run()
    }
}
