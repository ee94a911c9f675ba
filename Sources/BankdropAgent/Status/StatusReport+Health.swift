extension StatusReport {
    /// The verdict of `bankdrop --status`, and its exit code.
    ///
    /// When several things are wrong, the exit code names the first in this order, the one that
    /// most likely causes the others: the agent is not running (nothing happens at all; with the
    /// embedded database it also stops the database), the database is unreachable (files wait and
    /// retry), the schema is not migrated (imports fail), files are failing.
    public enum Health: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Everything checked out: exit code 0.
        case healthy
        /// The agent is not running, or hangs, or its state cannot be read: exit code 1.
        case agentNotRunning = "agent_not_running"
        /// The database cannot be reached (or, embedded, is stopped or not created): exit code 2.
        case databaseUnreachable = "database_unreachable"
        /// Migrations are pending, or an applied one changed: exit code 4.
        case schemaNotMigrated = "schema_not_migrated"
        /// Files are in failed/ or waiting to be retried: exit code 3.
        case filesFailing = "files_failing"

        /// The process exit code: 0 healthy, 1 agent not running, 2 database unreachable,
        /// 3 files failing, 4 schema not migrated.
        public var exitCode: Int32 {
            switch self {
            case .healthy: 0
            case .agentNotRunning: 1
            case .databaseUnreachable: 2
            case .filesFailing: 3
            case .schemaNotMigrated: 4
            }
        }

        /// Precedence: a problem earlier in the list wins; `healthy` comes last.
        var precedence: Int {
            switch self {
            case .agentNotRunning: 0
            case .databaseUnreachable: 1
            case .schemaNotMigrated: 2
            case .filesFailing: 3
            case .healthy: 4
            }
        }

        /// Orders by precedence: the verdict is the smallest problem.
        public static func < (lhs: Health, rhs: Health) -> Bool { lhs.precedence < rhs.precedence }

        /// A few words for people: "agent not running".
        public var summary: String {
            switch self {
            case .healthy: "healthy"
            case .agentNotRunning: "agent not running"
            case .databaseUnreachable: "database unreachable"
            case .schemaNotMigrated: "schema not migrated"
            case .filesFailing: "files failing"
            }
        }
    }

    /// The problems the parts show, most important first (stable within one kind).
    public func findProblems() -> [Problem] {
        var found: [Problem] = []
        switch agent.state {
        case .running: break
        case .notRunning: found.append(Problem(.agentNotRunning, "no agent has published its state for this inbox"))
        case .exited:
            found.append(Problem(.agentNotRunning, "the agent (pid \(agent.pid.map(String.init) ?? "?")) has exited"))
        case .unresponsive:
            found.append(
                Problem(
                    .agentNotRunning,
                    "the agent (pid \(agent.pid.map(String.init) ?? "?")) has not updated its state since "
                        + (agent.updatedAt.map { StatusReport.isoTime($0) } ?? "?")))
        case .unknown:
            found.append(
                Problem(.agentNotRunning, "cannot tell whether the agent runs: " + (agent.couldNotFindOut.first ?? "")))
        }

        switch database.state {
        case .reachable: break
        case .unreachable: found.append(Problem(.databaseUnreachable, database.error ?? "the database does not answer"))
        case .stopped: found.append(Problem(.databaseUnreachable, "the embedded database is stopped"))
        case .notCreated: found.append(Problem(.databaseUnreachable, "the embedded database has not been created yet"))
        case .unknown:
            found.append(
                Problem(.databaseUnreachable, "cannot look at the database: " + (database.error ?? "unknown reason")))
        }

        if let schema = database.schema {
            if !schema.pending.isEmpty {
                let versions = schema.pending.map(String.init).joined(separator: ", ")
                found.append(Problem(.schemaNotMigrated, "pending migrations: \(versions) (run `bankdrop migrate up`)"))
            }
            if !schema.changed.isEmpty {
                let versions = schema.changed.map(String.init).joined(separator: ", ")
                found.append(Problem(.schemaNotMigrated, "applied migrations whose files changed since: \(versions)"))
            }
        }

        if let count = inbox.failedCount, count > 0 {
            found.append(
                Problem(.filesFailing, "\(count) \(count == 1 ? "file" : "files") in \(inbox.failedDirectory)"))
        }
        if !agent.retrying.isEmpty {
            let count = agent.retrying.count
            found.append(
                Problem(.filesFailing, "\(count) \(count == 1 ? "file waits" : "files wait") for another attempt"))
        }
        return found.enumerated().sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }.map(\.element)
    }
}
