import ArgumentParser
import Foundation

/// The groups of measurements `--only` selects.
enum BenchGroup: String, CaseIterable, Sendable, Codable {
    /// `bankdrop import` against bare `\copy` and the in-SQL staging path; re-imports.
    case `import`
    /// `refresh_materialized_views()` and each view, plain and CONCURRENTLY.
    case refresh
    /// Every dashboard query, and view queries against the base table.
    case queries
    /// Files dropped at once into an inbox the agent watches.
    case burst
}

/// The command line of `bankdrop-bench`.
struct BenchOptions: ParsableArguments {
    @Option(help: "Row counts to measure, comma-separated (k = thousand, M = million).")
    var sizes: String = "10k,100k,1M"

    @Flag(name: .customLong("with-10m"), help: "Also measure 10M rows (slow: tens of minutes, several GB of disk).")
    var with10M = false

    @Option(help: "Runs per import and refresh figure (each import on a fresh database); the median is reported.")
    var runs: Int = 3

    @Option(help: "Runs of each query after one warm-up, for p50/p95/max.")
    var queryRuns: Int = 30

    @Option(help: "Files dropped at once into the watched inbox (0 skips the burst).")
    var burst: Int = 500

    @Option(help: "Rows over 3 accounts generated and dropped at once into the watched inbox (0 skips it).")
    var burstRows: Int = 100_000

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 1

    @Option(help: "Groups to run, comma-separated: import, refresh, queries, burst. Default: all.")
    var only: String?

    @Option(help: "Scratch folder (generated data, embedded cluster, logs). Default: $TMPDIR/bankdrop-bench-<uid>.")
    var work: String?

    @Option(help: "The bankdrop binary to measure. Default: the bankdrop beside this executable (same build).")
    var bankdrop: String?

    @Option(
        help:
            "PostgreSQL connection string or URL of a server to create the bench_ databases in (needs CREATEDB). Default: an embedded cluster under --work."
    )
    var database: String?

    @Option(
        help:
            "The folder holding bankdrop.json and legacy.json. Default: config/grafana/dashboards of the checkout the binaries were built in."
    )
    var dashboards: String?

    @Option(help: "Also write the table as Markdown to this file.")
    var markdown: String?

    @Option(
        help:
            "Also write the figures as JSON to this file: [{group, size, key, metric, value, unit, baseline, ratio, runs}]."
    )
    var json: String?

    @Flag(help: "Keep the bench_ databases and the generated files (their names are logged).")
    var keep = false

    /// The row counts, in the order given, 10M added by `--with-10m`.
    func rowCounts() throws -> [Int] {
        var counts: [Int] = []
        for item in sizes.split(separator: ",") {
            let text = item.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let count = Self.rowCount(text), count > 0 else {
                throw ValidationError("--sizes: \(text) is not a row count (e.g. 2000, 10k, 1M)")
            }
            counts.append(count)
        }
        if with10M, !counts.contains(10_000_000) { counts.append(10_000_000) }
        return counts
    }

    /// The selected groups (all by default).
    func groups() throws -> Set<BenchGroup> {
        guard let only else { return Set(BenchGroup.allCases) }
        var groups: Set<BenchGroup> = []
        for item in only.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let group = BenchGroup(rawValue: name) else {
                throw ValidationError("--only: unknown group \(name); use import, refresh, queries, burst")
            }
            groups.insert(group)
        }
        return groups
    }

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard queryRuns >= 1 else { throw ValidationError("--query-runs must be at least 1") }
        guard burst >= 0, burstRows >= 0 else { throw ValidationError("--burst and --burst-rows must not be negative") }
        _ = try rowCounts()
        _ = try groups()
    }

    /// `2000` → 2000, `10k` → 10,000, `1M` → 1,000,000, `2.5k` → 2,500.
    static func rowCount(_ text: String) -> Int? {
        let multipliers: [Character: Double] = ["k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6]
        var number = Substring(text)
        var factor = 1.0
        if let last = number.last, let multiplier = multipliers[last] {
            factor = multiplier
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0 else { return nil }
        let count = (value * factor).rounded()
        return count == value * factor && count < 1e12 ? Int(count) : nil
    }

    /// `10000` → `10k`, `1000000` → `1M`, `2500` → `2500`.
    static func label(_ count: Int) -> String {
        if count >= 1_000_000, count % 1_000_000 == 0 { return "\(count / 1_000_000)M" }
        if count >= 1_000, count % 1_000 == 0 { return "\(count / 1_000)k" }
        return String(count)
    }
}
