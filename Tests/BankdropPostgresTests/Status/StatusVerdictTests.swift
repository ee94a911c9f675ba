import BankdropAgent
import Foundation
import Testing

/// The verdict and exit code of `bankdrop --status`, the conninfo it connects with, and its text.
@Suite("Status verdict")
struct StatusVerdictTests {
    /// What the parts of a report show; builds the report as `gather` would fill it.
    struct Situation: Sendable, CustomTestStringConvertible {
        var agent: StatusReport.Agent.State = .running
        var database: StatusReport.Database.State = .reachable
        var pending: [Int] = []
        var failed = 0
        var retrying = 0

        var testDescription: String {
            "agent \(agent.rawValue), database \(database.rawValue), pending \(pending), failed \(failed), retrying \(retrying)"
        }

        var report: StatusReport {
            var agentPart = StatusReport.Agent(state: agent, stateFile: "/var/lib/bankdrop/agent-x.json")
            agentPart.retrying = (0..<retrying).map {
                .init(file: "f\($0).csv", attempts: 1, lastError: "database down", nextAttemptAt: Date())
            }
            var inbox = StatusReport.Inbox(path: "/srv/bankdrop/inbox", failedDirectory: "/srv/bankdrop/inbox/failed")
            inbox.failedCount = failed
            var databasePart = StatusReport.Database(target: "embedded", embedded: true, state: database)
            if database == .reachable {
                databasePart.schema = .init(appliedVersion: 7 - pending.count, latestKnownVersion: 7, pending: pending)
            }
            var report = StatusReport(generatedAt: Date(), agent: agentPart, inbox: inbox, database: databasePart)
            report.problems = report.findProblems()
            return report
        }
    }

    @Test(
        "each kind of problem has its exit code",
        arguments: [
            (Situation(), Int32(0)),
            (Situation(agent: .notRunning), 1), (Situation(agent: .exited), 1), (Situation(agent: .unresponsive), 1),
            (Situation(agent: .unknown), 1),
            (Situation(database: .unreachable), 2), (Situation(database: .stopped), 2),
            (Situation(database: .notCreated), 2), (Situation(database: .unknown), 2),
            (Situation(failed: 1), 3), (Situation(retrying: 2), 3),
            (Situation(pending: [6, 7]), 4),
        ] as [(Situation, Int32)])
    func exitCode(situation: Situation, expected: Int32) {
        let report = situation.report
        #expect(report.health.exitCode == expected)
        #expect((report.health == .healthy) == report.problems.isEmpty)
    }

    @Test(
        "several problems: agent, then database, then schema, then files",
        arguments: [
            (Situation(agent: .exited, database: .stopped, failed: 2), Int32(1)),
            (Situation(database: .unreachable, failed: 1, retrying: 1), 2),
            (Situation(pending: [7], failed: 3), 4),
            (Situation(agent: .notRunning, pending: [7]), 1),
        ] as [(Situation, Int32)])
    func precedence(situation: Situation, expected: Int32) {
        let report = situation.report
        #expect(report.health.exitCode == expected)
        let kinds = report.problems.map(\.kind)
        #expect(kinds == kinds.sorted())
        #expect(report.problems.count >= 2)
    }

    @Test("exit codes are the documented ones, each used once")
    func documentedCodes() {
        let codes = StatusReport.Health.allCases.map { ($0.rawValue, $0.exitCode) }
        #expect(
            codes.sorted { $0.1 < $1.1 }.map(\.0)
                == ["healthy", "agent_not_running", "database_unreachable", "files_failing", "schema_not_migrated"])
    }

    @Test(
        "connect_timeout is added to URLs and key=value strings alike",
        arguments: [
            ("postgres://u@db/money", "postgres://u@db/money?connect_timeout=1"),
            ("postgresql://u@db/money?sslmode=require", "postgresql://u@db/money?sslmode=require&connect_timeout=1"),
            ("POSTGRES://db/money?", "POSTGRES://db/money?connect_timeout=1"),
            ("postgres://db/money?a=b&", "postgres://db/money?a=b&connect_timeout=1"),
            ("postgres://db/money?connect_timeout=30", "postgres://db/money?connect_timeout=30&connect_timeout=1"),
            ("host=db dbname=money", "host=db dbname=money connect_timeout=1"),
            ("host='/run/my socket' dbname=money", "host='/run/my socket' dbname=money connect_timeout=1"),
            ("service=bankdrop", "service=bankdrop connect_timeout=1"),
            ("", "connect_timeout=1"),
            ("  ", "connect_timeout=1"),
        ])
    func connectTimeout(conninfo: String, expected: String) {
        #expect(StatusReport.conninfo(conninfo, connectTimeout: 1) == expected)
    }

    @Test("the text shows the verdict and problems first, aligned tables, and no colour unless asked")
    func text() throws {
        var report = Situation(failed: 1).report
        report.inbox.failed = [.init(name: "bad\\u{1B}.csv", reason: "line 3, field amount", failedAt: Date())]
        report.database.recentImports = [
            .init(id: 1, at: Date(), file: "a.csv", status: "succeeded", rowsNew: 12, rowsAlreadyPresent: 3),
            .init(id: 2, at: Date(), file: "b.csv", status: "failed", error: "line 3"),
        ]
        let text = report.text(.init(timeZone: TimeZone(identifier: "UTC") ?? .current))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "bankdrop: files failing (exit 3)")
        #expect(lines[1] == "  ! 1 file in /srv/bankdrop/inbox/failed")
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("\u{1B}"))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        // Counts are right-aligned under their heading; text columns are left-aligned.
        let header = try #require(lines.firstIndex { $0.contains("TIME") && $0.contains("STATUS") })
        let newEnd = try #require(lines[header].range(of: "NEW")).upperBound.utf16Offset(in: lines[header])
        #expect(lines[header + 1].prefix(newEnd).hasSuffix(" 12"))
        #expect(lines[header + 2].prefix(newEnd).hasSuffix(" -"))
        let fileStart = try #require(lines[header].range(of: "FILE")).lowerBound.utf16Offset(in: lines[header])
        #expect(lines[header + 1].dropFirst(fileStart).hasPrefix("a.csv"))
        #expect(lines[header + 2].dropFirst(fileStart) == "b.csv: line 3")
    }

    /// The `bankdrop` executable built beside the test bundle, when it was built.
    static let executable: String? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        let candidate = folder.appendingPathComponent("bankdrop").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }()

    @Test(
        "the bankdrop command exits with the report's code, for --status, status and --json",
        .enabled(if: executable != nil),
        arguments: [["--status"], ["status"], ["--status", "--json"], ["status", "--json"]])
    func command(arguments: [String]) throws {
        let folder = try StatusFolder()
        try folder.writeAgentState()
        // An empty configuration file: no machine-wide /etc/bankdrop/bankdrop.toml gets in the way.
        let configuration = folder.root + "/bankdrop.toml"
        try "".write(toFile: configuration, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        // An embedded database that does not exist: database unreachable, exit 2.
        process.arguments = arguments + ["--config", configuration, "--state-dir", folder.stateDirectory.path]
        process.environment = [
            "PATH": "/usr/bin:/bin", "BANKDROP_INBOX": folder.inbox.path, "HOME": folder.root,
            "BANKDROP_MIGRATIONS_DIR": TestDatabase.migrationsDirectory.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        let text = String(decoding: data, as: UTF8.self)
        if arguments.contains("--json") {
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect(json?["exit_code"] as? Int == 2)
            #expect(json?["health"] as? String == "database_unreachable")
        } else {
            #expect(text.hasPrefix("bankdrop: database unreachable (exit 2)"))
        }
    }

    @Test("a configuration that cannot be loaded exits 78, not a health code", .enabled(if: executable != nil))
    func badConfiguration() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        process.arguments = ["--status", "--config", "/nonexistent/bankdrop.toml"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 78)
    }

    @Test(
        "the root's --json reaches a subcommand's --json (import --dry-run --json prints JSON)",
        .enabled(if: executable != nil))
    func jsonReachesSubcommands() throws {
        let folder = try StatusFolder()
        let file = folder.root + "/statement.csv"
        try "date,amount,payee,description\n2025-01-05,-3.20,Coffee,flat white\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        process.arguments = ["import", "--dry-run", "--json", "--account", "Checking", file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            (try? JSONSerialization.jsonObject(with: data)) != nil, "not JSON: \(String(decoding: data, as: UTF8.self))"
        )
    }

    enum Outage: String, CaseIterable {
        /// No agent, no embedded database.
        case nothing
        /// A configured server that refuses connections.
        case refused
        /// A configured server that accepts connections and never answers.
        case hanging
    }

    @Test(
        "bankdrop --status answers in well under 2 s when nothing runs, or the database is down or hangs",
        .enabled(if: executable != nil), arguments: Outage.allCases)
    func answersQuickly(outage: Outage) throws {
        let folder = try StatusFolder()
        let server = try SilentServer()
        let configuration = folder.root + "/bankdrop.toml"
        try "".write(toFile: configuration, atomically: true, encoding: .utf8)
        var arguments = ["--status", "--config", configuration, "--state-dir", folder.stateDirectory.path]
        // With an agent running, the exit code says what is wrong with the database.
        if outage != .nothing { try folder.writeAgentState() }
        switch outage {
        case .nothing: break
        case .refused: arguments += ["--database", "postgres://x:secret@127.0.0.1:1/x?sslmode=disable"]
        case .hanging:
            arguments += ["--database", "host=127.0.0.1 port=\(server.port) user=x dbname=x sslmode=disable"]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.executable))
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "BANKDROP_INBOX": folder.inbox.path, "HOME": folder.root]
        let output = Pipe()
        process.standardOutput = output
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = clock.now - start
        #expect(elapsed < .milliseconds(1900), "took \(elapsed)")
        #expect(process.terminationStatus == (outage == .nothing ? 1 : 2))
        let text = String(decoding: data, as: UTF8.self)
        switch outage {
        case .nothing: #expect(text.contains("Database  not created"))
        case .refused: #expect(text.contains("Connection refused") && !text.contains("secret"))
        case .hanging: #expect(text.contains("no answer within 1.2 s"))
        }
    }
}
