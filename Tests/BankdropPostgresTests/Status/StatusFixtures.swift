import BankdropAgent
import BankdropCore
import Foundation
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A state directory with an inbox inside it, removed when done: what `bankdrop --status` looks at.
final class StatusFolder {
    let root: String
    var stateDirectory: URL { URL(fileURLWithPath: root + "/state") }
    var inbox: URL { URL(fileURLWithPath: root + "/inbox") }
    var failed: URL { inbox.appendingPathComponent("failed") }

    init(creatingInbox: Bool = true) throws {
        var template = Array("/tmp/bankdrop-status-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        root = String(cString: try #require(created))
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        if creatingInbox { try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The context `bankdrop status --state-dir <state> [--database <url>]` would build, with the
    /// inbox at `<root>/inbox` and the repository's migrations.
    func context(database: String? = nil) -> AgentContext {
        AgentContext(
            configuration: BankdropConfiguration(
                database: .init(url: database), inbox: .init(path: inbox.path), stateDir: stateDirectory.path),
            environment: ["BANKDROP_MIGRATIONS_DIR": TestDatabase.migrationsDirectory.path],
            logger: TestDatabase.logger)
    }

    /// Publishes an agent state as the running agent would.
    @discardableResult
    func writeAgentState(
        pid: Int32 = getpid(), updatedAgo: TimeInterval = 1, retrying: [AgentState.Retry] = [],
        _ change: (inout AgentState) -> Void = { _ in }
    ) throws -> AgentState {
        var state = AgentState(pid: pid, startedAt: Date().addingTimeInterval(-3600), inbox: inbox.path)
        state.updatedAt = Date().addingTimeInterval(-updatedAgo)
        state.phase = .watching
        state.retrying = retrying
        change(&state)
        try state.write(to: AgentState.file(stateDirectory: stateDirectory, inbox: inbox))
        return state
    }

    /// Writes a file under the inbox; `name` may hold any bytes but `/` and NUL.
    func drop(_ name: [UInt8], _ text: String, in folder: URL? = nil) throws {
        let path = Array((folder ?? inbox).path.utf8) + [UInt8(ascii: "/")] + name
        let descriptor = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == bytes.count)
    }
}

/// A TCP port that accepts connections (the kernel completes the handshake into the backlog) and
/// never answers: a database server that hangs.
final class SilentServer {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(descriptor >= 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0 && listen(descriptor, 16) == 0)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        try #require(named == 0)
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(descriptor)
    }
}
