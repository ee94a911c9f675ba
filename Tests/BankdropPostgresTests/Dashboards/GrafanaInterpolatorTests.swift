import Foundation
import GrafanaDashboards
import Testing

/// The stand-in for Grafana's query interpolation must expand exactly as Grafana does, or the
/// dashboard test and the benchmark's query figures prove nothing.
@Suite("Grafana query interpolation")
struct GrafanaInterpolatorTests {
    static let interpolator = GrafanaInterpolator(
        from: Date(timeIntervalSince1970: 1_735_689_600),  // 2025-01-01T00:00:00Z
        to: Date(timeIntervalSince1970: 1_740_832_200.5),  // 2025-03-01T12:30:00.5Z
        interval: "2h",
        variables: ["account": .values(["1", "2", "O'Brien"]), "all": .raw("SELECT id FROM accounts")])

    @Test("macros and variables expand as Grafana's PostgreSQL data source expands them", arguments: [
        ("WHERE $__timeFilter(date)", "WHERE date BETWEEN '2025-01-01T00:00:00Z' AND '2025-03-01T12:30:00.5Z'"),
        ("$__timeFrom()::date", "'2025-01-01T00:00:00Z'::date"),
        ("$__timeTo()", "'2025-03-01T12:30:00.5Z'"),
        ("SELECT $__timeGroupAlias(date, '1d'), 1", "SELECT floor(extract(epoch from date)/86400)*86400 AS \"time\", 1"),
        ("$__timeGroup(date, '1d') AS t", "floor(extract(epoch from date)/86400)*86400 AS t"),
        ("SELECT $__timeGroup(date,'1d'), sum(x)", "SELECT floor(extract(epoch from date)/86400)*86400 AS \"time\", sum(x)"),
        ("$__timeGroupAlias(\"timestamp\", $__interval)", "floor(extract(epoch from \"timestamp\")/7200)*7200 AS \"time\""),
        ("$__unixEpochFilter(ts)", "ts >= 1735689600 AND ts <= 1740832200"),
        ("$__unixEpochFrom() - $__unixEpochTo()", "1735689600 - 1740832200"),
        ("$__time(t)", "t AS \"time\""),
        ("account_id IN ($account)", "account_id IN ('1','2','O''Brien')"),
        ("IN (${account}) OR IN ([[account]])", "IN ('1','2','O''Brien') OR IN ('1','2','O''Brien')"),
        ("account_id IN ($all)", "account_id IN (SELECT id FROM accounts)"),
        ("$__interval_ms", "7200000"),
        ("SELECT '$unknown'", "SELECT '$unknown'"),
    ])
    func expands(sql: String, expected: String) throws {
        #expect(try Self.interpolator.interpolate(sql) == expected)
    }

    @Test("a misspelt macro is an error, as in Grafana", arguments: ["$__timeFliter(date)", "$__timeGroup(date)"])
    func unknownMacro(sql: String) {
        #expect(throws: GrafanaInterpolator.Failure.self) { try Self.interpolator.interpolate(sql) }
    }

    @Test("the automatic interval follows the range")
    func automaticInterval() {
        #expect(GrafanaInterpolator.automaticInterval(for: 90 * 86400) == "2h")
        #expect(GrafanaInterpolator.automaticInterval(for: 730 * 86400) == "12h")
        #expect(GrafanaInterpolator.automaticInterval(for: 3600) == "1s")
    }
}
