import BankdropPostgres
import Foundation
import Logging

/// Metric 4 for one size: on the database holding N imported rows, `refresh_materialized_views()`
/// (what the agent runs) and each summary view's `REFRESH MATERIALIZED VIEW`, plain and
/// `CONCURRENTLY`.
struct RefreshBench {
    /// The summary views of migration 0007, for a schema without `summary_views` (before 0008).
    static let defaultViews = ["daily_summary", "monthly_summary", "merchant_summary"]

    var databases: BenchDatabases
    var database: BenchDatabase
    var size: Int
    var runs: Int
    var logger: Logger

    /// Medians over `runs` of each refresh, timed in-process around the statement.
    func run(into report: inout Report) async throws {
        let label = BenchOptions.label(size)
        logger.info("Measuring refreshes", metadata: ["bench.size": "\(label)"])
        let runs = self.runs
        let (views, samples) = try await databases.withConnection(to: database) { connection in
            try await connection.run { conn -> ([String], [String: [Double]]) in
                let views = try Self.views(on: conn)
                var samples: [String: [Double]] = [:]
                for _ in 1...runs {
                    samples["all", default: []].append(
                        try Self.time { try conn.query("SELECT refresh_materialized_views('bench', 'bench')") })
                    for view in views {
                        let name = Self.quotedIdentifier(view)
                        samples[view, default: []].append(
                            try Self.time {
                                try conn.execute("REFRESH MATERIALIZED VIEW \(name)", operation: "REFRESH \(view)")
                            })
                        samples[view + " concurrently", default: []].append(
                            try Self.time {
                                try conn.execute(
                                    "REFRESH MATERIALIZED VIEW CONCURRENTLY \(name)",
                                    operation: "REFRESH CONCURRENTLY \(view)")
                            })
                    }
                }
                return (views, samples)
            }
        }
        func median(_ key: String) -> Double { SampleStatistics(samples[key] ?? [])?.median ?? 0 }
        report.add(
            BenchFigure(
                group: .refresh, size: size, key: "refresh.all",
                metric: "\(label): refresh_materialized_views() (\(views.count) views, CONCURRENTLY)",
                value: median("all"), unit: "ms", runs: runs))
        for view in views {
            report.add(
                BenchFigure(
                    group: .refresh, size: size, key: "refresh.view.plain",
                    metric: "\(label): REFRESH MATERIALIZED VIEW \(view)", value: median(view), unit: "ms", runs: runs))
            report.add(
                BenchFigure(
                    group: .refresh, size: size, key: "refresh.view.concurrently",
                    metric: "\(label): REFRESH MATERIALIZED VIEW CONCURRENTLY \(view) vs plain",
                    value: median(view + " concurrently"), unit: "ms", baseline: median(view), runs: runs))
        }
    }

    /// The views `refresh_materialized_views()` refreshes: `summary_views` (migration 0008) in its
    /// order, else the three of migration 0007.
    static func views(on conn: isolated PostgresConnection) throws -> [String] {
        guard try conn.query("SELECT to_regclass('summary_views') IS NOT NULL").scalar() == "t" else {
            return defaultViews
        }
        return try conn.query("SELECT view_name FROM summary_views ORDER BY position, view_name").rows.compactMap {
            $0[0]
        }
    }

    /// `name` as a double-quoted SQL identifier (a view name from the schema, never file data).
    static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Milliseconds `body` takes.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return (clock.now - start).milliseconds
    }
}
