import BankdropAgent
import BankdropCore
import BankdropPostgres
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Metric 6: files dropped at once into an inbox that `bankdrop watch` watches (default settle
/// and refresh timings), timed from the first rename to "every file has a final import record and
/// a finished refresh covers the last import".
struct BurstBench {
    /// Rows per generated monthly file in the file burst.
    static let rowsPerFile = 100

    var tools: BenchTools
    var databases: BenchDatabases
    var work: URL
    var seed: UInt64
    var today: LocalDate
    var keep: Bool
    var logger: Logger

    /// What one burst gave.
    struct Outcome {
        var files: Int
        var untilImported: Double
        var untilRefreshed: Double
        var refreshes: Int
        var rowsInserted: Int
        var failedFiles: Int
    }

    /// `count` monthly files of about ``rowsPerFile`` rows, over as many accounts as it takes
    /// (each account has one file per month since January 2023).
    func files(_ count: Int, into report: inout Report) async throws {
        let months = (today.year - 2023) * 12 + today.month
        let accounts = (count + months - 1) / months
        let settings = GeneratorSettings(
            transactionCount: accounts * months * Self.rowsPerFile, accountCount: accounts, seed: seed, formats: [.csv],
            startYear: 2023, today: today)
        let outcome = try await measure(settings, taking: count, label: "files")
        let metric =
            "burst: \(outcome.files) files (\(accounts) account\(accounts == 1 ? "" : "s"), ~\(Self.rowsPerFile) rows each) "
            + "dropped at once"
        add(outcome, key: "burst.files", metric: metric, to: &report)
    }

    /// `rows` rows over 3 accounts (the issue's "100,000 rows, 3 accounts"), every file dropped at once.
    func rows(_ rows: Int, into report: inout Report) async throws {
        let settings = GeneratorSettings(
            transactionCount: rows, accountCount: 3, seed: seed, formats: [.csv], startYear: 2023, today: today)
        let outcome = try await measure(settings, taking: nil, label: "rows")
        let metric = "drop: \(BenchOptions.label(rows)) rows, 3 accounts (\(outcome.files) files) dropped at once"
        add(outcome, key: "burst.rows", metric: metric, to: &report)
    }

    private func add(_ outcome: Outcome, key: String, metric: String, to report: inout Report) {
        func add(_ suffix: String, _ text: String, _ value: Double, _ unit: String, baseline: Double? = nil) {
            report.add(
                BenchFigure(
                    group: .burst, size: nil, key: "\(key).\(suffix)", metric: "\(metric): \(text)", value: value,
                    unit: unit,
                    baseline: baseline, runs: 1))
        }
        add("imported", "until every file is imported", outcome.untilImported, "ms")
        add("refreshed", "until imported and the views refreshed", outcome.untilRefreshed, "ms")
        add(
            "refreshes", "view refreshes vs files", Double(outcome.refreshes), "refreshes",
            baseline: Double(outcome.files))
        add("rows_inserted", "rows inserted", Double(outcome.rowsInserted), "rows")
        add(
            "rows_per_second", "throughput until refreshed",
            Double(outcome.rowsInserted) / max(outcome.untilRefreshed, 0.001) * 1000, "rows/s")
        add("failed", "files failed", Double(outcome.failedFiles), "files")
    }

    /// Generates `settings` beside the inbox, starts the agent on a fresh database, renames the
    /// files (the first `taking`, or all) into `inbox/<account>/`, and waits.
    private func measure(_ settings: GeneratorSettings, taking: Int?, label: String) async throws -> Outcome {
        let directory = work.appendingPathComponent("burst-\(label)")
        try? FileManager.default.removeItem(at: directory)
        let generated = directory.appendingPathComponent("generated")
        let inbox = directory.appendingPathComponent("inbox")
        let state = directory.appendingPathComponent("state")
        for folder in [inbox, state] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        _ = try GeneratedInboxWriter(directory: generated).write(settings)
        var files = try Workload.monthlyFiles(in: generated)
        if let taking { files = Array(files.prefix(taking)) }
        // Account folders exist before the agent starts: the burst is the files alone.
        for account in Set(files.map(\.account)) {
            try FileManager.default.createDirectory(
                at: inbox.appendingPathComponent(account), withIntermediateDirectories: true)
        }
        logger.info("Measuring a burst", metadata: ["bench.burst": "\(label)", "bench.files": "\(files.count)"])
        let outcome = try await databases.withFresh("burst_\(label)") { database in
            let agent = try tools.startBankdrop(
                ["watch", "--state-dir", state.path, "--database", database.url, inbox.path], label: "watch-\(label)")
            do {
                let outcome = try await databases.withConnection(to: database) { connection in
                    try await waitUntilWatching(agent, state: state, inbox: inbox)
                    let before = try await Self.integer(
                        "SELECT coalesce(max(id), 0) FROM view_refreshes", on: connection)
                    let clock = ContinuousClock()
                    let start = clock.now
                    for file in files {
                        let target = inbox.appendingPathComponent(file.account).appendingPathComponent(
                            file.url.lastPathComponent)
                        guard rename(file.url.path, target.path) == 0 else {
                            throw BenchError(
                                "cannot move \(file.url.path) into the inbox: \(String(cString: strerror(errno)))")
                        }
                    }
                    return try await waitForImportsAndRefresh(
                        files: files.count, refreshesBefore: before, start: start, agent: agent, on: connection)
                }
                agent.send(SIGTERM)
                let ending = await agent.wait()
                guard ending.succeeded else {
                    throw BenchError(
                        "the agent did not stop cleanly on SIGTERM: \(ending.summary)\n\(agent.outputTail())")
                }
                return outcome
            } catch {
                if agent.termination == nil {
                    agent.send(SIGKILL)
                    _ = await agent.wait()
                }
                throw error
            }
        }
        if !keep { try? FileManager.default.removeItem(at: directory) }
        return outcome
    }

    /// Polls the agent's published state until it watches the inbox (startup scan done).
    private func waitUntilWatching(_ agent: ChildProcess, state: URL, inbox: URL) async throws {
        let file = AgentState.file(stateDirectory: state, inbox: inbox)
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while ContinuousClock.now < deadline {
            if let ending = agent.termination {
                throw BenchError("the agent \(ending.summary) before watching:\n\(agent.outputTail())")
            }
            if let published = AgentState.read(from: file), published.pid == agent.pid, published.phase == .watching {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("the agent did not start watching within 2 minutes:\n\(agent.outputTail())")
    }

    /// Polls the database every 10 ms until `files` imports are final and a finished refresh
    /// covers the last succeeded one.
    private func waitForImportsAndRefresh(
        files: Int, refreshesBefore: Int, start: ContinuousClock.Instant, agent: ChildProcess,
        on connection: PostgresConnection
    ) async throws -> Outcome {
        let clock = ContinuousClock()
        let deadline = start.advanced(by: .seconds(600 + files))
        var imported: Duration?
        while clock.now < deadline {
            if let ending = agent.termination {
                throw BenchError("the agent \(ending.summary) during the burst:\n\(agent.outputTail())")
            }
            let row = try await connection.run { conn in
                try conn.query(
                    """
                    SELECT count(*) FILTER (WHERE status IN ('succeeded', 'duplicate', 'failed')),
                           count(*) FILTER (WHERE status = 'failed'),
                           coalesce(max(id) FILTER (WHERE status = 'succeeded'), 0),
                           coalesce(sum(rows_inserted) FILTER (WHERE status = 'succeeded'), 0),
                           (SELECT coalesce(max(covered_import_id), 0) FROM view_refreshes
                            WHERE id > $1::bigint AND finished_at IS NOT NULL),
                           (SELECT count(*) FROM view_refreshes WHERE id > $1::bigint)
                    FROM import_logs
                    """,
                    [.int(refreshesBefore)], operation: "poll imports"
                ).rows.first?.map { Int($0 ?? "") ?? 0 } ?? []
            }
            guard row.count == 6 else { throw BenchError("unexpected answer polling the imports") }
            let (final, failed, lastSucceeded, rows, covered, refreshes) = (
                row[0], row[1], row[2], row[3], row[4], row[5]
            )
            if final >= files {
                let now = clock.now
                if imported == nil { imported = now - start }
                if failed == final {
                    throw BenchError("every file of the burst failed:\n\(agent.outputTail())")
                }
                if covered >= lastSucceeded {
                    return Outcome(
                        files: files, untilImported: (imported ?? now - start).milliseconds,
                        untilRefreshed: (now - start).milliseconds, refreshes: refreshes, rowsInserted: rows,
                        failedFiles: failed)
                }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchError("the burst of \(files) files was not imported and refreshed in time:\n\(agent.outputTail())")
    }

    private static func integer(_ sql: String, on connection: PostgresConnection) async throws -> Int {
        try await connection.run { Int(try $0.query(sql).scalar() ?? "") ?? 0 }
    }
}
