import Foundation

/// What `bankdrop --status` reports: the agent, the inbox, the database, and a verdict.
///
/// Built by ``gather(context:options:)``; shown by ``text(_:)`` and ``json()``. Every part says
/// what it could not find out (`couldNotFindOut`) instead of guessing, and the verdict
/// (``health``, ``Health/exitCode``) counts "could not find out" as not healthy.
public struct StatusReport: Sendable, Hashable {
    /// When the report was made.
    public var generatedAt: Date
    /// The configuration file that was read, if any.
    public var configurationFile: String?
    /// The agent watching the inbox.
    public var agent: Agent
    /// The inbox, its queue and failed/.
    public var inbox: Inbox
    /// The database: reachability, schema, imports, accounts, views.
    public var database: Database
    /// Every problem found, most important first (see ``Health``).
    public var problems: [Problem]

    /// Creates a report; ``problems`` is usually filled by ``findProblems()``.
    public init(
        generatedAt: Date, configurationFile: String? = nil, agent: Agent, inbox: Inbox, database: Database,
        problems: [Problem] = []
    ) {
        self.generatedAt = generatedAt
        self.configurationFile = configurationFile
        self.agent = agent
        self.inbox = inbox
        self.database = database
        self.problems = problems
    }

    /// The verdict: the most important problem, or ``Health/healthy``.
    public var health: Health { problems.first?.kind ?? .healthy }
}

extension StatusReport {
    /// One thing that is wrong, and what the report saw.
    public struct Problem: Sendable, Hashable {
        /// Which check failed; decides the exit code.
        public var kind: Health
        /// What was seen, for people (`3 files in failed/`).
        public var message: String

        /// Creates a problem.
        public init(_ kind: Health, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// The agent (`bankdrop watch`) as seen through the state file it publishes (``AgentState``).
    public struct Agent: Sendable, Hashable {
        /// Whether the agent runs.
        public enum State: String, Sendable, Hashable, CaseIterable {
            /// The state file is fresh and its pid is alive.
            case running
            /// There is no state file: no agent ever watched this inbox with this state directory.
            case notRunning = "not_running"
            /// The state file is left over, and its process is gone.
            case exited
            /// The process is alive but has not updated the state file for a while (hung?).
            case unresponsive
            /// The state file could not be read or decoded.
            case unknown
        }

        /// A file waiting for another attempt after a passing failure.
        public struct Retry: Sendable, Hashable {
            /// The file, as the agent shows it.
            public var file: String
            /// Attempts so far.
            public var attempts: Int
            /// The first line of the last error.
            public var lastError: String
            /// When the agent tries again.
            public var nextAttemptAt: Date

            /// Creates a retry entry.
            public init(file: String, attempts: Int, lastError: String, nextAttemptAt: Date) {
                self.file = file
                self.attempts = attempts
                self.lastError = lastError
                self.nextAttemptAt = nextAttemptAt
            }
        }

        /// Running or not.
        public var state: State
        /// The state file looked at.
        public var stateFile: String
        /// The agent's pid, from the state file.
        public var pid: Int32?
        /// When the agent started.
        public var startedAt: Date?
        /// When the agent last wrote the state file.
        public var updatedAt: Date?
        /// The inbox the agent watches.
        public var inbox: String?
        /// `starting`, `watching`, `degraded` (database unreachable: files wait), `stopping`.
        public var phase: String?
        /// The file being imported now.
        public var currentFile: String?
        /// Files seen and not yet finished.
        public var queued: Int?
        /// Files that failed for a passing reason and wait for another attempt.
        public var retrying: [Retry]
        /// A problem watching the inbox (inotify limits).
        public var watchProblem: String?
        /// The agent's last database error, while degraded.
        public var databaseError: String?
        /// The last file outcome the agent saw.
        public var lastImport: AgentState.LastImport?
        /// Imports that committed and that no view refresh covers yet, as the agent counts them.
        public var pendingRefreshImports: Int?
        /// What this part could not find out, and why.
        public var couldNotFindOut: [String]

        /// Creates an agent part with nothing known but its state.
        public init(state: State, stateFile: String, couldNotFindOut: [String] = []) {
            self.state = state
            self.stateFile = stateFile
            self.retrying = []
            self.couldNotFindOut = couldNotFindOut
        }

        /// Seconds since the agent started, as of `now`.
        public func uptime(at now: Date) -> TimeInterval? {
            startedAt.map { max(0, now.timeIntervalSince($0)) }
        }
    }

    /// The inbox folder: what waits, and what failed.
    public struct Inbox: Sendable, Hashable {
        /// A file in the inbox waiting to be imported (or, for anything but a regular file, to be
        /// moved to failed/ by the agent).
        public struct Waiting: Sendable, Hashable {
            /// The path relative to the inbox, safe to print.
            public var path: String
            /// `regular`, `symlink`, `fifo`, ...
            public var type: String
            /// Size in bytes.
            public var size: Int64
            /// Last modification.
            public var modifiedAt: Date

            /// Creates an entry.
            public init(path: String, type: String, size: Int64, modifiedAt: Date) {
                self.path = path
                self.type = type
                self.size = size
                self.modifiedAt = modifiedAt
            }
        }

        /// A file in failed/ with the reason from its `.error.txt`.
        public struct Failed: Sendable, Hashable {
            /// The name in failed/, safe to print.
            public var name: String
            /// The first line of the reason in `<name>.error.txt`; nil when there is no report.
            public var reason: String?
            /// When it was moved there (the report's, else the file's, modification time).
            public var failedAt: Date?

            /// Creates an entry.
            public init(name: String, reason: String?, failedAt: Date?) {
                self.name = name
                self.reason = reason
                self.failedAt = failedAt
            }
        }

        /// The inbox path.
        public var path: String
        /// The failed/ folder path.
        public var failedDirectory: String
        /// How many files wait; nil when the inbox could not be read.
        public var waitingCount: Int?
        /// The waiting files, oldest first, at most ``Options/listLimit``.
        public var waiting: [Waiting]
        /// How many files are in failed/; nil when it could not be read.
        public var failedCount: Int?
        /// The failed files, newest first, at most ``Options/listLimit``.
        public var failed: [Failed]
        /// What this part could not find out, and why.
        public var couldNotFindOut: [String]

        /// Creates an inbox part with nothing found yet.
        public init(path: String, failedDirectory: String) {
            self.path = path
            self.failedDirectory = failedDirectory
            self.waiting = []
            self.failed = []
            self.couldNotFindOut = []
        }
    }

    /// The database, as far as it could be reached within the time limit.
    public struct Database: Sendable, Hashable {
        /// Whether the database answered.
        public enum State: String, Sendable, Hashable, CaseIterable {
            /// Connected and queried.
            case reachable
            /// The connection failed or did not answer in time (see `error`).
            case unreachable
            /// The embedded cluster exists but its server is not running (status never starts it).
            case stopped
            /// The embedded cluster has not been created yet (the agent creates it on first start).
            case notCreated = "not_created"
            /// It could not even be looked at (e.g. no permission to enter the state directory).
            case unknown
        }

        /// Schema migrations: applied versus known.
        public struct Schema: Sendable, Hashable {
            /// The highest applied version; nil when none is (no `schema_migrations`).
            public var appliedVersion: Int?
            /// The highest version in the migrations folder; nil when the folder was not found.
            public var latestKnownVersion: Int?
            /// Known migrations not applied yet.
            public var pending: [Int]
            /// Applied migrations whose file has changed since (an applied migration is never edited).
            public var changed: [Int]
            /// Applied migrations this bankdrop does not know (a newer version migrated the database).
            public var unknownApplied: [Int]

            /// Creates a schema part.
            public init(
                appliedVersion: Int?, latestKnownVersion: Int?, pending: [Int] = [], changed: [Int] = [],
                unknownApplied: [Int] = []
            ) {
                self.appliedVersion = appliedVersion
                self.latestKnownVersion = latestKnownVersion
                self.pending = pending
                self.changed = changed
                self.unknownApplied = unknownApplied
            }
        }

        /// One import (one file's load), from `import_logs`.
        public struct Import: Sendable, Hashable {
            /// `import_logs.id`.
            public var id: Int64
            /// When it finished (or started, while running).
            public var at: Date?
            /// The file name, safe to print.
            public var file: String
            /// `running`, `succeeded`, `failed`, `duplicate`, `initial`.
            public var status: String
            /// The statement format, when detected.
            public var format: String?
            /// Rows this import added.
            public var rowsNew: Int?
            /// Rows of the file that were already in the database.
            public var rowsAlreadyPresent: Int?
            /// The first line of the error, for failed imports.
            public var error: String?

            /// Creates an import entry.
            public init(
                id: Int64, at: Date?, file: String, status: String, format: String? = nil, rowsNew: Int? = nil,
                rowsAlreadyPresent: Int? = nil, error: String? = nil
            ) {
                self.id = id
                self.at = at
                self.file = file
                self.status = status
                self.format = format
                self.rowsNew = rowsNew
                self.rowsAlreadyPresent = rowsAlreadyPresent
                self.error = error
            }
        }

        /// How current one account's data is.
        public struct Account: Sendable, Hashable {
            /// `accounts.name`.
            public var name: String
            /// `accounts.currency`.
            public var currency: String?
            /// The newest booking date among its transactions (`YYYY-MM-DD`); nil when it has none.
            public var latestTransactionDate: String?
            /// When an import that touched it last succeeded.
            public var lastImportAt: Date?

            /// Creates an account entry.
            public init(name: String, currency: String?, latestTransactionDate: String?, lastImportAt: Date?) {
                self.name = name
                self.currency = currency
                self.latestTransactionDate = latestTransactionDate
                self.lastImportAt = lastImportAt
            }
        }

        /// The summary views' freshness, from `view_refreshes` and `import_logs`.
        public struct Views: Sendable, Hashable {
            /// When the last refresh finished; nil when the views were never refreshed.
            public var lastRefreshAt: Date?
            /// How long it took, in milliseconds.
            public var lastRefreshMilliseconds: Double?
            /// The highest succeeded import the last refresh covers.
            public var coveredImportID: Int64?
            /// The highest succeeded import.
            public var latestImportID: Int64?
            /// Succeeded imports that landed after the last refresh (their rows are not in the views yet).
            public var importsSinceRefresh: Int
            /// Whether the views hold every succeeded import.
            public var isFresh: Bool { importsSinceRefresh == 0 }

            /// Creates a views part.
            public init(
                lastRefreshAt: Date?, lastRefreshMilliseconds: Double?, coveredImportID: Int64?, latestImportID: Int64?,
                importsSinceRefresh: Int
            ) {
                self.lastRefreshAt = lastRefreshAt
                self.lastRefreshMilliseconds = lastRefreshMilliseconds
                self.coveredImportID = coveredImportID
                self.latestImportID = latestImportID
                self.importsSinceRefresh = importsSinceRefresh
            }
        }

        /// The database as shown to people: the URL with its password hidden, or "embedded (...)".
        public var target: String
        /// Whether this is the embedded cluster.
        public var embedded: Bool
        /// Reachable or not.
        public var state: State
        /// Why it is not reachable (never holds a password).
        public var error: String?
        /// Schema migrations; nil when unknown.
        public var schema: Schema?
        /// The latest imports, newest first.
        public var recentImports: [Import]
        /// Per-account freshness, by name.
        public var accounts: [Account]
        /// View freshness; nil when unknown.
        public var views: Views?
        /// What this part could not find out, and why.
        public var couldNotFindOut: [String]

        /// Creates a database part with nothing found yet.
        public init(target: String, embedded: Bool, state: State, error: String? = nil) {
            self.target = target
            self.embedded = embedded
            self.state = state
            self.error = error
            self.recentImports = []
            self.accounts = []
            self.couldNotFindOut = []
        }
    }

    /// How the report is gathered.
    public struct Options: Sendable, Hashable {
        /// "Now", for ages and freshness.
        public var now: Date
        /// The longest the whole database part may take; past it the database counts as
        /// unreachable. Keeps `--status` well under 2 s even when a host does not answer (libpq's
        /// own `connect_timeout` is at least 2 s before PostgreSQL 18, and does not cover DNS).
        public var databaseDeadline: Duration
        /// A state file older than this, whose process is alive, means an unresponsive agent. The
        /// agent rewrites it every few seconds.
        public var staleAfter: TimeInterval
        /// How many imports to list.
        public var recentImportLimit: Int
        /// How many waiting and failed files to list (all are counted).
        public var listLimit: Int

        /// Creates options; the defaults are what `bankdrop --status` uses.
        public init(
            now: Date = Date(), databaseDeadline: Duration = .milliseconds(1200), staleAfter: TimeInterval = 30,
            recentImportLimit: Int = 10, listLimit: Int = 50
        ) {
            self.now = now
            self.databaseDeadline = databaseDeadline
            self.staleAfter = staleAfter
            self.recentImportLimit = recentImportLimit
            self.listLimit = listLimit
        }
    }
}
