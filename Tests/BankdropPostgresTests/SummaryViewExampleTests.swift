import BankdropAgent
import BankdropCore
import BankdropPostgres
import Foundation
import Testing

/// docs/database-architecture.md, "How to add a new summary view": its SQL, run as written.
@Suite("Summary view example (docs)")
struct SummaryViewExampleTests {
    /// The doc's fenced SQL blocks, by the comment on their first line
    /// (`-- migrations/0010_weekday_summary.up.sql`, `-- panel: Spending by weekday`).
    static func sqlBlocks() throws -> [String: String] {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/database-architecture.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let section = try #require(text.range(of: "## How to add a new summary view")).upperBound
        var blocks: [String: String] = [:]
        for block in text[section...].components(separatedBy: "```sql\n").dropFirst() {
            guard let end = block.range(of: "```") else { continue }
            let body = String(block[..<end.lowerBound])
            guard let first = body.split(separator: "\n").first, first.hasPrefix("-- ") else { continue }
            blocks[String(first.dropFirst(3))] = body
        }
        return blocks
    }

    @Test("the worked example's migration, refresh, panel and down migration work as documented")
    func workedExample() async throws {
        let blocks = try Self.sqlBlocks()
        let up = try #require(blocks["migrations/0010_weekday_summary.up.sql"])
        let down = try #require(blocks["migrations/0010_weekday_summary.down.sql"])
        let panel = try #require(blocks["panel: Spending by weekday"])
        try await ImporterTests.withImporter { (importer: Importer, db: PostgresConnection) async throws in
            let registered = try await db.run { Int(try $0.query("SELECT count(*) FROM summary_views").scalar() ?? "") }
            try await db.run { conn in try conn.withTransaction { try conn.execute(up, operation: "0010 up") } }
            // 6 and 13 January 2025 were Mondays, the 7th a Tuesday.
            let csv = "date,amount,payee,description\n2025-01-06,-3.20,Cafe,x\n2025-01-13,-4.80,Cafe,x\n2025-01-07,-9.99,Shop,x"
            guard case .imported = await importer.importFile(MemoryFile("w.csv", csv, account: "A")) else {
                Issue.record("the example's rows did not import")
                return
            }
            let refresh = try await db.run { try $0.query("SELECT refresh_materialized_views()").scalar() }
            #expect(refresh != nil)
            let monday = try await db.run { try $0.query("SELECT total_spending FROM weekday_summary WHERE weekday = 1").scalar() }
            #expect(monday == "8.000")
            // The panel, with the account variable as Grafana sends "All" (its allValue).
            let rows = try await db.run {
                try $0.query(panel.replacingOccurrences(of: "$account", with: "SELECT id FROM accounts")).rows
            }
            #expect(rows.map { $0[0] } == ["Mon", "Tue"])
            #expect(rows.map { $0[1] } == ["8.000", "9.990"])

            try await db.run { conn in try conn.withTransaction { try conn.execute(down, operation: "0010 down") } }
            let views = try await db.run { Int(try $0.query("SELECT count(*) FROM summary_views").scalar() ?? "") }
            #expect(views == registered)
            let after = try await db.run { try $0.query("SELECT refresh_materialized_views()").scalar() }
            #expect(after != nil)
        }
    }
}
