import BankdropCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The running agent's live state, published in the state directory for `bankdrop --status`.
///
/// The agent rewrites it atomically (``write(to:)``) whenever something changes and at least every
/// few seconds (`updatedAt` tells a reader how fresh it is; a stale file whose pid is gone means
/// the agent is not running).
public struct AgentState: Codable, Sendable, Hashable {
    /// `starting`, `watching`, `degraded` (database unreachable: files wait), `stopping`.
    public enum Phase: String, Codable, Sendable {
        case starting, watching, degraded, stopping
    }

    /// A file that failed transiently and waits for its next attempt.
    public struct Retry: Codable, Sendable, Hashable {
        public var file: String
        public var attempts: Int
        public var lastError: String
        public var nextAttemptAt: Date

        public init(file: String, attempts: Int, lastError: String, nextAttemptAt: Date) {
            self.file = file
            self.attempts = attempts
            self.lastError = lastError
            self.nextAttemptAt = nextAttemptAt
        }
    }

    /// The last file outcome the agent saw.
    public struct LastImport: Codable, Sendable, Hashable {
        public var file: String
        /// `imported`, `duplicate`, `refused`.
        public var outcome: String
        public var rowsInserted: Int?
        public var rowsAlreadyPresent: Int?
        public var at: Date

        public init(file: String, outcome: String, rowsInserted: Int? = nil, rowsAlreadyPresent: Int? = nil, at: Date) {
            self.file = file
            self.outcome = outcome
            self.rowsInserted = rowsInserted
            self.rowsAlreadyPresent = rowsAlreadyPresent
            self.at = at
        }
    }

    public var pid: Int32
    public var startedAt: Date
    public var updatedAt: Date
    public var inbox: String
    public var phase: Phase
    /// Files seen in the inbox and not yet finished.
    public var queued: Int
    /// The file being imported now.
    public var current: String?
    public var lastImport: LastImport?
    public var retrying: [Retry]
    /// Set when the kernel's inotify limits stop the agent from watching everything.
    public var watchProblem: String?
    /// The last database error, while degraded.
    public var databaseError: String?
    /// Imports that committed and no refresh covers yet.
    public var pendingRefreshImports: Int
    public var lastRefreshAt: Date?
    public var refreshCount: Int

    public init(pid: Int32, startedAt: Date, inbox: String) {
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = startedAt
        self.inbox = inbox
        self.phase = .starting
        self.queued = 0
        self.retrying = []
        self.pendingRefreshImports = 0
        self.refreshCount = 0
    }

    /// The state file of the agent watching `inbox`, under `stateDirectory`: one file per inbox,
    /// so agents on different inboxes can share a state directory.
    public static func file(stateDirectory: URL, inbox: URL) -> URL {
        let key = FileDigest.hex(FileDigest.sha256(Array(inbox.standardizedFileURL.path.utf8))).prefix(12)
        return stateDirectory.appendingPathComponent("agent-\(key).json")
    }

    /// Writes the state crash-safely: a temporary file in the same folder, fsync, then rename over
    /// the old one, so a reader sees either the old or the new state, never half of one, even after
    /// a power cut.
    public func write(to file: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0, rename(temporary.path, file.path) == 0 else {
            unlink(temporary.path)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Reads a state file, or nil when there is none or it cannot be decoded.
    public static func read(from file: URL) -> AgentState? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(AgentState.self, from: data)
    }
}
