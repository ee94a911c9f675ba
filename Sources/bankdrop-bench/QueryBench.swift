import BankdropCore
import BankdropPostgres
import Foundation
import GrafanaDashboards
import Logging

/// Metric 5 for one size: every SQL target of the shipped dashboards, expanded as Grafana expands
/// it for the last 90 days and the last 2 years (account variable on "All"), and typical
/// questions asked of a summary view next to the same question asked of `transactions`.
///
/// Each query runs once to warm up, then `queryRuns` times; p50, p95 and max are reported.
struct QueryBench {
    /// A question asked of a view and, as the baseline, of the base table.
    struct ViewQuestion: Sendable {
        var name: String
        var view: String
        var base: String
        var parameters: [SQLValue]
    }

    /// The dashboards measured, in `config/grafana/dashboards`.
    static let dashboardFiles = ["bankdrop.json", "legacy.json"]

    var databases: BenchDatabases
    var database: BenchDatabase
    /// The dashboards by file name without `.json` (`bankdrop`, `legacy`).
    var dashboards: [(name: String, dashboard: GrafanaDashboard)]
    var size: Int
    var queryRuns: Int
    var today: LocalDate
    var logger: Logger

    /// Reads the dashboards from `directory`.
    static func loadDashboards(from directory: URL) throws -> [(name: String, dashboard: GrafanaDashboard)] {
        try dashboardFiles.map { file in
            (
                URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
                try GrafanaDashboard(contentsOf: directory.appendingPathComponent(file))
            )
        }
    }

    /// `config/grafana/dashboards` in a parent folder of this executable (a source checkout),
    /// else of the current folder.
    static func defaultDashboardDirectory() -> URL? {
        let starts = [
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        ]
        for start in starts {
            var folder = start
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("config/grafana/dashboards")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(dashboardFiles[0]).path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Typical dashboard questions: per day over 90 days, top merchants, a year by month and category.
    func viewQuestions() -> [ViewQuestion] {
        let today = self.today.description
        let year = String(self.today.year)
        return [
            ViewQuestion(
                name: "spending per day, last 90 days",
                view: """
                    SELECT date, sum(total_spending) FROM daily_summary WHERE date > $1::date - 90
                    GROUP BY date ORDER BY date
                    """,
                base: """
                    SELECT date, coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) FROM transactions
                    WHERE date > $1::date - 90 GROUP BY date ORDER BY date
                    """,
                parameters: [.text(today)]),
            ViewQuestion(
                name: "top 10 merchants by spending, all time",
                view: """
                    SELECT merchant, sum(total_spending) AS spent FROM merchant_summary
                    GROUP BY merchant ORDER BY spent DESC LIMIT 10
                    """,
                base: """
                    SELECT coalesce(nullif(merchant, ''), '(unknown)') AS m, coalesce(sum(-amount) FILTER (WHERE amount < 0), 0) AS spent
                    FROM transactions GROUP BY m ORDER BY spent DESC LIMIT 10
                    """,
                parameters: []),
            ViewQuestion(
                name: "spending per month and category, this year",
                view: """
                    SELECT month, category, sum(total_spending) FROM monthly_summary WHERE year = $1::int
                    GROUP BY month, category ORDER BY month, category
                    """,
                base: """
                    SELECT extract(month FROM date)::int AS month, coalesce(category, 'Uncategorized') AS c,
                           coalesce(sum(-amount) FILTER (WHERE amount < 0), 0)
                    FROM transactions WHERE date >= make_date($1::int, 1, 1) AND date < make_date($1::int + 1, 1, 1)
                    GROUP BY 1, 2 ORDER BY 1, 2
                    """,
                parameters: [.text(year)]),
            ViewQuestion(
                name: "spending per account per month, last 2 years",
                view: """
                    SELECT account_id, year, month, sum(total_spending) FROM monthly_summary
                    WHERE make_date(year, month, 1) >= date_trunc('month', $1::date - 730)
                    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    """,
                base: """
                    SELECT account_id, extract(year FROM date)::int, extract(month FROM date)::int,
                           coalesce(sum(-amount) FILTER (WHERE amount < 0), 0)
                    FROM transactions WHERE date >= date_trunc('month', $1::date - 730)
                    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    """,
                parameters: [.text(today)]),
        ]
    }

    func run(into report: inout Report) async throws {
        let label = BenchOptions.label(size)
        logger.info("Measuring queries", metadata: ["bench.size": "\(label)"])
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let ranges: [(name: String, seconds: TimeInterval)] = [("90 days", 90 * 86400), ("2 years", 730 * 86400)]
        var jobs: [(metric: String, sql: String, parameters: [SQLValue])] = []
        for (name, dashboard) in dashboards {
            var variables: [String: GrafanaInterpolator.Value] = [:]
            for variable in dashboard.variables {
                if let all = variable.allValue { variables[variable.name] = .raw(all) }
            }
            let panelsWithSeveralTargets = Dictionary(grouping: dashboard.queries, by: \.panelTitle).filter {
                $0.value.count > 1
            }
            for range in ranges {
                let interpolator = GrafanaInterpolator(
                    from: now.addingTimeInterval(-range.seconds), to: now,
                    interval: GrafanaInterpolator.automaticInterval(for: range.seconds), variables: variables)
                for query in dashboard.queries {
                    let target = panelsWithSeveralTargets[query.panelTitle] != nil ? " \(query.refID ?? "")" : ""
                    jobs.append(
                        (
                            "\(name)/\(query.panelTitle)\(target)/\(range.name)",
                            try interpolator.interpolate(query.sql), []
                        ))
                }
            }
        }
        let questions = viewQuestions()
        for question in questions {
            jobs.append(("view: " + question.name, question.view, question.parameters))
            jobs.append(("base: " + question.name, question.base, question.parameters))
        }

        let runs = queryRuns
        let planned = jobs
        let timings = try await databases.withConnection(to: database) { connection in
            try await connection.run { conn -> [(samples: [Double], rows: Int)] in
                try planned.map { job in
                    let rows = try conn.query(job.sql, job.parameters, operation: job.metric).rows.count
                    var samples: [Double] = []
                    for _ in 1...runs {
                        samples.append(
                            try RefreshBench.time { try conn.query(job.sql, job.parameters, operation: job.metric) })
                    }
                    return (samples, rows)
                }
            }
        }

        var byMetric: [String: SampleStatistics] = [:]
        for (job, timing) in zip(jobs, timings) {
            byMetric[job.metric] = SampleStatistics(timing.samples)
            if timing.rows == 0 {
                logger.warning(
                    "Query returned no rows", metadata: ["bench.query": "\(job.metric)", "bench.size": "\(label)"])
            }
        }
        for job in jobs where !job.metric.hasPrefix("view: ") && !job.metric.hasPrefix("base: ") {
            guard let statistics = byMetric[job.metric] else { continue }
            add(statistics, key: "queries.dashboard", metric: "\(label): \(job.metric)", baseline: nil, to: &report)
        }
        for question in questions {
            guard let view = byMetric["view: " + question.name], let base = byMetric["base: " + question.name] else {
                continue
            }
            add(
                view, key: "queries.view", metric: "\(label): view vs base table: \(question.name)", baseline: base,
                to: &report)
        }
    }

    /// Three rows: p50, p95 and max, each against the baseline's same statistic.
    private func add(
        _ statistics: SampleStatistics, key: String, metric: String, baseline: SampleStatistics?,
        to report: inout Report
    ) {
        let figures: [(String, (SampleStatistics) -> Double)] = [
            ("p50", { $0.percentile(50) }), ("p95", { $0.percentile(95) }), ("max", { $0.maximum }),
        ]
        for (name, figure) in figures {
            report.add(
                BenchFigure(
                    group: .queries, size: size, key: "\(key).\(name)", metric: "\(metric) \(name)",
                    value: figure(statistics),
                    unit: "ms", baseline: baseline.map(figure), runs: statistics.count))
        }
    }
}
