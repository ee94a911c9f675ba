import ArgumentParser
import BankdropCore
import Foundation
import GrafanaDashboards
import Logging

/// `bankdrop-bench`: measures the real `bankdrop` binary against baselines measured in the same
/// run, and prints one table. It reports figures; it never passes or fails on time.
@main
struct BankdropBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bankdrop-bench",
        abstract: "Measure bankdrop's import, refresh, dashboard queries and agent bursts against baselines.",
        discussion: """
            Build both binaries in release mode first (a debug build gives meaningless figures):
              swift build -c release --scratch-path .build-release
              .build-release/release/bankdrop-bench --sizes 10k,100k
            Every load runs on a fresh database (CREATE DATABASE bench_..., bankdrop migrate up), dropped
            afterwards. Progress goes to standard error; the table to standard output. Exit status 1
            when a measurement could not be taken (the table shows the others).
            """)

    @OptionGroup var options: BenchOptions

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "bankdrop-bench")
        let groups = try options.groups()
        let work = URL(
            fileURLWithPath: options.work
                ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bankdrop-bench-\(getuid())")
                .path)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let tools = try BenchTools(bankdrop: options.bankdrop, work: work)
        var dashboards: [(name: String, dashboard: GrafanaDashboard)] = []
        if groups.contains(.queries) {
            guard
                let directory = options.dashboards.map(URL.init(fileURLWithPath:))
                    ?? QueryBench.defaultDashboardDirectory()
            else {
                throw ValidationError("cannot find config/grafana/dashboards: name the folder with --dashboards")
            }
            dashboards = try QueryBench.loadDashboards(from: directory)
        }

        let bankdropBuild = Machine.build(of: tools.bankdrop)
        var warnings: [String] = []
        if bankdropBuild == "debug" || Machine.harnessBuild == "debug" {
            warnings.append(
                "debug build (bankdrop: \(bankdropBuild), bankdrop-bench: \(Machine.harnessBuild)): these figures are "
                    + "meaningless. Build with `swift build -c release --scratch-path .build-release` and run "
                    + "`.build-release/release/bankdrop-bench`.")
        }
        warn(warnings)

        let server = try await BenchServer.start(
            database: options.database, work: work, keep: options.keep, tools: tools, logger: logger)
        let report: Report
        do {
            let databases = try await BenchDatabases.connect(
                serverURL: server.url, keep: options.keep, tools: tools, logger: logger)
            let header = Machine.current(work: work).header(
                postgres: try await databases.serverVersion(), bankdrop: tools.bankdrop, bankdropBuild: bankdropBuild,
                date: Date())
            report = await measure(
                Report(header: header, warnings: warnings), groups: groups, dashboards: dashboards, work: work,
                tools: tools, databases: databases, logger: logger)
            await databases.close()
        } catch {
            await server.stopIfStarted(logger: logger)
            throw error
        }
        await server.stopIfStarted(logger: logger)
        print(report.markdown, terminator: "")
        try write(report)
        // Again at the end, where it is seen after the progress lines.
        warn(warnings)
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    /// Every selected group: the sizes, then the bursts. A group that fails is recorded in the
    /// report and the others go on.
    private func measure(
        _ start: Report, groups: Set<BenchGroup>, dashboards: [(name: String, dashboard: GrafanaDashboard)], work: URL,
        tools: BenchTools, databases: BenchDatabases, logger: Logger
    ) async -> Report {
        var report = start
        let today: LocalDate
        let sizes: [Int]
        do {
            guard let now = LocalDate.today() else { throw ValidationError("cannot read today's date from the system clock") }
            today = now
            sizes = try options.rowCounts()
        } catch {
            record(error, while: "setting up", in: &report, logger: logger)
            return report
        }
        for size in sizes where !groups.isDisjoint(with: [.import, .refresh, .queries]) {
            let label = BenchOptions.label(size)
            do {
                logger.info("Generating data", metadata: ["bench.size": "\(label)"])
                let workload = try Workload.prepare(
                    rows: size, seed: options.seed, today: today, in: work.appendingPathComponent("data-\(label)"))
                try await measure(
                    workload, groups: groups, dashboards: dashboards, today: today, tools: tools, databases: databases,
                    report: &report, logger: logger)
                if !options.keep { try? FileManager.default.removeItem(at: workload.directory) }
            } catch {
                record(error, while: "\(label) rows", in: &report, logger: logger)
            }
            save(report, logger: logger)
        }

        if groups.contains(.burst) {
            let burst = BurstBench(
                tools: tools, databases: databases, work: work, seed: options.seed, today: today, keep: options.keep,
                logger: logger)
            if options.burst > 0 {
                do {
                    try await burst.files(options.burst, into: &report)
                } catch {
                    record(error, while: "the burst of \(options.burst) files", in: &report, logger: logger)
                }
            }
            if options.burstRows > 0 {
                do {
                    try await burst.rows(options.burstRows, into: &report)
                } catch {
                    record(error, while: "the drop of \(options.burstRows) rows", in: &report, logger: logger)
                }
            }
        }
        return report
    }

    /// Import, refresh and query figures of one size; the database imported by the import group
    /// (or, without it, by one untimed `bankdrop import`) serves refresh and queries.
    private func measure(
        _ workload: Workload, groups: Set<BenchGroup>, dashboards: [(name: String, dashboard: GrafanaDashboard)],
        today: LocalDate, tools: BenchTools, databases: BenchDatabases, report: inout Report, logger: Logger
    ) async throws {
        var database: BenchDatabase?
        do {
            if groups.contains(.import) {
                database = try await ImportBench(
                    tools: tools, databases: databases, workload: workload, runs: options.runs, logger: logger
                ).run(into: &report)
            }
            guard !groups.isDisjoint(with: [.refresh, .queries]) else {
                if let database { await databases.drop(database) }
                return
            }
            let loaded: BenchDatabase
            if let database {
                loaded = database
            } else {
                loaded = try await databases.create("data")
                database = loaded
                try await tools.runBankdrop(
                    ["import", "--database", loaded.url, "--no-refresh", workload.folder.path],
                    label: "load-\(workload.label)")
            }
            // Steady state, as autovacuum leaves a table some time after a bulk load: statistics and
            // the visibility map up to date. Not timed.
            try await databases.withConnection(to: loaded) { connection in
                try await connection.run { try $0.execute("VACUUM ANALYZE", operation: "VACUUM ANALYZE") }
            }
            if groups.contains(.refresh) {
                try await RefreshBench(
                    databases: databases, database: loaded, size: workload.rows, runs: options.runs, logger: logger
                )
                .run(into: &report)
            }
            if groups.contains(.queries) {
                try await databases.withConnection(to: loaded) { connection in
                    try await connection.run { _ = try $0.query("SELECT refresh_materialized_views('bench', 'bench')") }
                    try await connection.run { try $0.execute("ANALYZE", operation: "ANALYZE") }
                }
                try await QueryBench(
                    databases: databases, database: loaded, dashboards: dashboards, size: workload.rows,
                    queryRuns: options.queryRuns, today: today, logger: logger
                ).run(into: &report)
            }
            await databases.drop(loaded)
        } catch {
            if let database { await databases.drop(database) }
            throw error
        }
    }

    private func record(_ error: any Error, while what: String, in report: inout Report, logger: Logger) {
        logger.error("Measurement failed", metadata: ["bench.what": "\(what)", "error": "\(error)"])
        report.failures.append("\(what): \(error)")
    }

    /// ``write(_:)`` after each size, so that a long run that stops leaves what it measured; a
    /// failure here is only logged (the final write reports it).
    private func save(_ report: Report, logger: Logger) {
        do {
            try write(report)
        } catch {
            logger.warning("Cannot write the results yet", metadata: ["error": "\(error)"])
        }
    }

    private func warn(_ warnings: [String]) {
        for warning in warnings {
            FileHandle.standardError.write(Data("\n*** WARNING: \(warning)\n\n".utf8))
        }
    }

    /// Writes `--markdown` and `--json`.
    private func write(_ report: Report) throws {
        if let markdown = options.markdown {
            try report.markdown.write(toFile: markdown, atomically: true, encoding: .utf8)
        }
        if let json = options.json {
            try report.json().write(to: URL(fileURLWithPath: json), options: .atomic)
        }
    }
}
