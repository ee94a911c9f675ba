import Foundation
import Glibc

/// A run of the real `bankdrop` binary as a child process, its standard output and error going
/// to a log file (a pipe nobody reads could fill up and block the agent).
///
/// Tests must always end what they start: ``stop(within:)`` sends SIGTERM and, if the process
/// is still there after the deadline, SIGKILL. ``AgentSandbox`` does it for every process it
/// started, whether the test passed or not.
final class AgentProcess: Sendable {
    /// How a process ended.
    enum Ending: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        /// Still running when the wait ended.
        case running

        var description: String {
            switch self {
            case .exited(let code): "exited with status \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            case .running: "still running"
            }
        }
    }

    let arguments: [String]
    let logFile: URL
    private let process: Process

    /// The child's pid.
    var pid: Int32 { process.processIdentifier }

    /// Starts `bankdrop arguments...` with `environment`, output appended to `logFile`.
    init(_ arguments: [String], environment: [String: String], logFile: URL) throws {
        self.arguments = arguments
        self.logFile = logFile
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw AgentTestError("cannot create \(logFile.path)")
        }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = try BankdropExecutable.url.get()
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()
        self.process = process
    }

    /// Waits until the process ends or `timeout` passes, polling (never blocking a thread).
    @discardableResult
    func waitForExit(within timeout: Duration) async -> Ending {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return ending
    }

    /// How the process ended so far.
    var ending: Ending {
        if process.isRunning { return .running }
        switch process.terminationReason {
        case .exit: return .exited(process.terminationStatus)
        case .uncaughtSignal: return .signalled(process.terminationStatus)
        @unknown default: return .exited(process.terminationStatus)
        }
    }

    /// Sends a signal (SIGTERM for a graceful shutdown, SIGKILL for a crash).
    func send(_ signal: Int32) {
        guard process.isRunning else { return }
        _ = kill(pid, signal)
    }

    /// SIGTERM, then SIGKILL if the process is still running after `timeout`. Returns how it ended.
    @discardableResult
    func stop(within timeout: Duration = .seconds(20)) async -> Ending {
        guard process.isRunning else { return ending }
        send(SIGTERM)
        let ended = await waitForExit(within: timeout)
        guard ended == .running else { return ended }
        send(SIGKILL)
        return await waitForExit(within: .seconds(10))
    }

    /// Everything the process wrote so far.
    var output: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// The last `count` lines of the output, for failure messages.
    func outputTail(_ count: Int = 40) -> String {
        output.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}

/// Finds the `bankdrop` executable the tests run: beside the test binary (SwiftPM puts every
/// product of a build in one folder), else in `<repo>/.build/debug/`. When neither exists it is
/// built once with `swift build --product bankdrop` in a scratch folder of its own (the test run
/// may hold the lock on `.build`), and a failed build is an error that says so: the tests are
/// never silently skipped.
enum BankdropExecutable {
    static let url: Result<URL, AgentTestError> = Result { () throws(AgentTestError) in try locate("bankdrop") }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The built `product` (`bankdrop`, `bankdrop-bench`), found or built as described above.
    static func locate(_ product: String) throws(AgentTestError) -> URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [
            testBinary.deletingLastPathComponent().appendingPathComponent(product),
            repositoryRoot.appendingPathComponent(".build/debug/\(product)"),
        ]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        return try build(product)
    }

    private static func build(_ product: String) throws(AgentTestError) -> URL {
        let scratch = repositoryRoot.appendingPathComponent(".build/agent-tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--product", product, "--scratch-path", scratch.path]
        process.currentDirectoryURL = repositoryRoot
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AgentTestError("the \(product) executable is missing and `swift build` could not be started: \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let built = scratch.appendingPathComponent("debug/\(product)")
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: built.path) else {
            throw AgentTestError(
                "the \(product) executable is missing (run `swift build` first); building it failed:\n\(text.suffix(2000))"
            )
        }
        return built
    }
}

/// A failure of the end-to-end harness itself (a timeout, a missing binary), with context.
struct AgentTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
