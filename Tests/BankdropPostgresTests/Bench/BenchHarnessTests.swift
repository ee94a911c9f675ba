import Foundation
import GrafanaDashboards
import Testing

@testable import bankdrop_bench

/// The benchmark harness: its pure helpers, and one real run of the built `bankdrop-bench` at a
/// tiny size against the test cluster, checked through its JSON. Figures are never asserted on
/// time, only on shape and on the row counts that prove the right thing was measured.
@Suite("Benchmark harness")
struct BenchHarnessTests {
    @Test(
        "median and nearest-rank percentiles",
        arguments: [
            ([5.0], 5.0, 5.0, 5.0, 5.0),
            ([3.0, 1.0, 2.0], 2.0, 3.0, 3.0, 1.0),
            ([4.0, 1.0, 3.0, 2.0], 2.5, 4.0, 4.0, 1.0),
            ((1...20).map(Double.init), 10.5, 19.0, 20.0, 1.0),
            ((1...100).map(Double.init).reversed(), 50.5, 95.0, 100.0, 1.0),
        ])
    func statistics(samples: [Double], median: Double, p95: Double, maximum: Double, p0: Double) throws {
        let statistics = try #require(SampleStatistics(samples))
        #expect(statistics.median == median)
        #expect(statistics.percentile(95) == p95)
        #expect(statistics.percentile(100) == maximum)
        #expect(statistics.maximum == maximum)
        #expect(statistics.percentile(0) == p0)
        #expect(statistics.count == samples.count)
    }

    @Test("no samples, no statistics")
    func noSamples() {
        #expect(SampleStatistics([]) == nil)
    }

    @Test(
        "row counts on the command line",
        arguments: [
            ("2000", 2000), ("10k", 10_000), ("100K", 100_000), ("1M", 1_000_000), ("2.5k", 2500), ("10m", 10_000_000),
            ("0", nil), ("-5", nil), ("1.5", nil), ("abc", nil), ("k", nil),
        ] as [(String, Int?)])
    func rowCount(text: String, expected: Int?) {
        #expect(BenchOptions.rowCount(text) == expected)
        if let expected { #expect(BenchOptions.rowCount(BenchOptions.label(expected)) == expected) }
    }

    @Test(
        "numbers in the table",
        arguments: [(1234.5, "1,235"), (2000, "2,000"), (12.345, "12.3"), (5, "5"), (2.345, "2.35"), (0.1234, "0.123")])
    func format(value: Double, text: String) {
        #expect(Report.format(value) == text)
    }

    @Test("ratios in the table never round a small one to 0", arguments: [(3.0512, "3.05"), (0.5, "0.50"), (0.002, "0.002")])
    func formatRatio(ratio: Double, text: String) {
        #expect(Report.formatRatio(ratio) == text)
    }

    @Test(
        "a bench database's connection string keeps everything but the database",
        arguments: [
            (
                "host=/tmp/run port=5432 user=bankdrop dbname=bankdrop",
                "host=/tmp/run port=5432 user=bankdrop dbname=bankdrop dbname=bench_x"
            ),
            (
                "postgresql://me@db.example:5433/money?sslmode=require",
                "postgresql://me@db.example:5433/bench_x?sslmode=require"
            ),
            ("postgres://db.example", "postgres://db.example/bench_x"),
            ("postgres://db.example?application_name=a", "postgres://db.example/bench_x?application_name=a"),
        ])
    func databaseURL(server: String, expected: String) {
        #expect(BenchDatabases.url(server, database: "bench_x") == expected)
    }

    @Test("a tiny run measures every group against its baselines and gets the row counts right")
    func tinyRun() async throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "bankdrop-bench-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let json = work.appendingPathComponent("figures.json")
        let markdown = work.appendingPathComponent("figures.md")
        let burst = 20
        try await TestDatabase.withDatabase { conninfo in
            let run = try BenchRun.start(
                [
                    "--sizes", "2000", "--runs", "1", "--query-runs", "3", "--burst", String(burst),
                    // The drop of 100k rows shares the burst's code; at 2,000 rows it would still be
                    // 141 files and double the test's time.
                    "--burst-rows", "0",
                    "--database", conninfo, "--work", work.appendingPathComponent("work").path,
                    "--bankdrop", try BankdropExecutable.url.get().path, "--dashboards",
                    GrafanaDashboard.configDirectory.appendingPathComponent("dashboards").path,
                    "--json", json.path, "--markdown", markdown.path,
                ], log: work.appendingPathComponent("bench.log"))
            let status = try await run.wait(timeout: .seconds(180))
            #expect(status == 0, "bankdrop-bench exited with \(status):\n\(run.outputTail())")
        }

        let figures = try JSONDecoder().decode([BenchFigure].self, from: Data(contentsOf: json))
        #expect(Set(figures.map(\.group)) == Set(BenchGroup.allCases))
        for figure in figures {
            #expect(figure.value.isFinite && figure.value >= 0, "\(figure.metric)")
            if ["ms", "rows/s", "MiB"].contains(figure.unit) { #expect(figure.value > 0, "\(figure.metric)") }
            if let baseline = figure.baseline, baseline > 0 {
                let ratio = try #require(figure.ratio, "\(figure.metric)")
                #expect(abs(ratio - figure.value / baseline) < 1e-9, "\(figure.metric)")
            }
            #expect(figure.runs >= 1)
        }
        func values(_ key: String) -> [Double] { figures.filter { $0.key == key }.map(\.value) }
        func value(_ key: String) throws -> Double { try #require(values(key).first, "no \(key)") }

        let generated = try value("import.generated_rows")
        #expect(generated == 2000)
        #expect(try value("import.folder.rows_inserted") == generated)
        #expect(try value("import.whole.rows_inserted") == generated)
        #expect(try value("reimport.overlap.rows_inserted") == 0)
        let duplicates = try #require(figures.first { $0.key == "reimport.duplicates.files" })
        #expect(duplicates.value == duplicates.baseline && duplicates.value > 0)
        #expect(figures.filter { $0.key == "import.folder.wall" }.compactMap(\.baseline).count == 2)
        #expect(values("refresh.view.concurrently").count >= 3)
        #expect(values("refresh.view.plain").count == values("refresh.view.concurrently").count)

        // Every query of both dashboards, for both ranges, with p50, p95 and max.
        let dashboardQueries = try ["bankdrop.json", "legacy.json"].map(GrafanaDashboard.load).reduce(0) {
            $0 + $1.queries.count
        }
        #expect(values("queries.dashboard.p50").count == dashboardQueries * 2)
        #expect(values("queries.dashboard.max").count == dashboardQueries * 2)
        #expect(figures.filter { $0.key == "queries.view.p50" }.allSatisfy { $0.baseline != nil })

        let refreshes = try value("burst.files.refreshes")
        #expect(refreshes >= 1 && refreshes <= Double(burst) / 4, "refreshes: \(refreshes)")
        #expect(try value("burst.files.failed") == 0)
        #expect(try value("burst.files.rows_inserted") > 0)
        #expect(values("burst.rows.refreshed").isEmpty, "--burst-rows 0 skips the drop")

        let table = try String(contentsOf: markdown, encoding: .utf8)
        #expect(table.contains("| metric | value | unit | baseline | ratio |"))
        #expect(table.contains("PostgreSQL "))
        #expect(table.components(separatedBy: "\n").filter { $0.hasPrefix("| ") }.count == figures.count + 1)
    }
}

/// A run of the built `bankdrop-bench` binary, its output in a log file.
private struct BenchRun {
    var process: Process
    var log: URL

    /// Starts `bankdrop-bench arguments...`.
    static func start(_ arguments: [String], log: URL) throws -> BenchRun {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw AgentTestError("cannot create \(log.path)")
        }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = try BenchExecutable.url.get()
        process.arguments = arguments
        process.environment = AgentSandbox.childEnvironment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
        return BenchRun(process: process, log: log)
    }

    /// Waits for the exit status, polling; SIGKILL after `timeout`.
    func wait(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw AgentTestError("bankdrop-bench ran longer than \(timeout):\n\(outputTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    /// The last lines it wrote.
    func outputTail(_ count: Int = 40) -> String {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(count).joined(
            separator: "\n")
    }
}

/// The `bankdrop-bench` executable, found or built like ``BankdropExecutable``.
private enum BenchExecutable {
    static let url: Result<URL, AgentTestError> = Result { () throws(AgentTestError) in
        try BankdropExecutable.locate("bankdrop-bench")
    }
}
