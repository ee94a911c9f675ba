import Foundation
import Logging

/// The PostgreSQL server the bench databases go in: `--database`, or bankdrop's embedded cluster
/// under `<work>/state`, started with `bankdrop db start` and stopped at the end if the harness
/// started it (unless `--keep`).
struct BenchServer: Sendable {
    /// The server's connection string.
    var url: String
    /// The embedded cluster's state folder, when the harness started it.
    var startedStateDirectory: URL?
    var keep: Bool
    var tools: BenchTools

    /// Uses `database`, or starts (or reuses) the embedded cluster under `work`.
    static func start(
        database: String?, work: URL, keep: Bool, tools: BenchTools, logger: Logger
    ) async throws -> BenchServer {
        if let database { return BenchServer(url: database, startedStateDirectory: nil, keep: keep, tools: tools) }
        let state = work.appendingPathComponent("state")
        let stateOption = ["--state-dir", state.path]
        let wasRunning = try await tools.bankdropSucceeds(["db", "status"] + stateOption, label: "db-status")
        if !wasRunning {
            logger.info("Starting the embedded cluster", metadata: ["bench.state_dir": "\(state.path)"])
            try await tools.runBankdrop(["db", "start"] + stateOption, label: "db-start")
        }
        let url = try await tools.bankdropOutput(["db", "url"] + stateOption, label: "db-url")
        return BenchServer(url: url, startedStateDirectory: wasRunning ? nil : state, keep: keep, tools: tools)
    }

    /// Stops the embedded cluster if the harness started it and `--keep` was not given.
    func stopIfStarted(logger: Logger) async {
        guard let state = startedStateDirectory, !keep else { return }
        do {
            try await tools.runBankdrop(["db", "stop", "--state-dir", state.path], label: "db-stop")
        } catch {
            logger.warning("Cannot stop the embedded cluster", metadata: ["error": "\(error)"])
        }
    }
}
