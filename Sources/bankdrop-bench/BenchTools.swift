import Foundation
import Synchronization

/// The real programs the harness measures and drives: the `bankdrop` binary and `psql`, run as
/// child processes with a neutral environment and a configuration file of their own, each run's
/// output kept in a log file under `<work>/logs`.
final class BenchTools: Sendable {
    /// The `bankdrop` binary measured.
    let bankdrop: URL
    /// The `psql` used for the baselines.
    let psql: URL
    /// An empty configuration file given to every `bankdrop` run, so that a user's
    /// `~/.config/bankdrop/bankdrop.toml` (category rules, CSV profiles, timings) cannot change
    /// what is measured.
    let configFile: URL
    /// Where each child's output goes, one file per run.
    let logDirectory: URL
    /// This process's environment less what would point `bankdrop` elsewhere.
    let environment: [String: String]
    private let runCount = Atomic<Int>(0)

    /// Finds the binaries and prepares `<work>/logs` (emptied) and `<work>/bankdrop.toml`.
    /// - Parameter bankdrop: `--bankdrop`, or nil for the `bankdrop` beside this executable.
    /// - Throws: ``BenchError`` when a binary is missing.
    init(bankdrop: String?, work: URL) throws {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let binary =
            bankdrop.map { URL(fileURLWithPath: $0) }
            ?? own.deletingLastPathComponent().appendingPathComponent("bankdrop")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchError(
                "no bankdrop binary at \(binary.path): build it in the same build (swift build -c release --scratch-path "
                    + ".build-release builds both products) or name it with --bankdrop")
        }
        self.bankdrop = binary
        psql = try Self.locatePSQL()
        logDirectory = work.appendingPathComponent("logs")
        try? FileManager.default.removeItem(at: logDirectory)
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        configFile = work.appendingPathComponent("bankdrop.toml")
        try "# bankdrop-bench: defaults only\n".write(to: configFile, atomically: true, encoding: .utf8)
        environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("BANKDROP_") && !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"].contains($0.key)
        }
    }

    /// `psql` from `PATH`, else the newest `/usr/lib/postgresql/*/bin/psql`.
    private static func locatePSQL() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("psql")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let candidate = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin/psql")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BenchError("psql not found on PATH or in /usr/lib/postgresql/*/bin (apt-get install postgresql-client)")
    }

    /// A new log file named after `label`.
    func logFile(_ label: String) -> URL {
        let number = runCount.add(1, ordering: .relaxed).newValue
        let safe = String(label.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        return logDirectory.appendingPathComponent(String(format: "%04d-", number) + safe + ".log")
    }

    /// Runs `bankdrop <arguments> --config <bench config>` to its end.
    /// - Throws: ``BenchError`` with its last output lines unless it exits 0.
    @discardableResult
    func runBankdrop(_ arguments: [String], label: String) async throws -> ChildProcess.Termination {
        let child = try startBankdrop(arguments, label: label)
        let ending = await child.wait()
        guard ending.succeeded else {
            throw BenchError("`bankdrop \(arguments.first ?? "")` \(ending.summary):\n\(child.outputTail())")
        }
        return ending
    }

    /// Starts `bankdrop <arguments> --config <bench config>`.
    func startBankdrop(_ arguments: [String], label: String) throws -> ChildProcess {
        try ChildProcess(
            bankdrop, arguments + ["--config", configFile.path], environment: environment, logFile: logFile(label))
    }

    /// What `bankdrop <arguments>` prints on standard output (its log lines on standard error are dropped).
    /// - Throws: ``BenchError`` unless it exits 0.
    func bankdropOutput(_ arguments: [String], label: String) async throws -> String {
        let child = try ChildProcess(
            bankdrop, arguments + ["--config", configFile.path], environment: environment, logFile: logFile(label),
            keepErrors: false)
        let ending = await child.wait()
        guard ending.succeeded else {
            throw BenchError("`bankdrop \(arguments.joined(separator: " "))` \(ending.summary)")
        }
        let text = (try? String(contentsOf: child.logFile, encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `bankdrop <arguments>` exits 0.
    func bankdropSucceeds(_ arguments: [String], label: String) async throws -> Bool {
        let child = try startBankdrop(arguments, label: label)
        return await child.wait().succeeded
    }

    /// Runs `psql -X -q -v ON_ERROR_STOP=1 -d <database> <arguments>` to its end.
    /// - Throws: ``BenchError`` with its last output lines unless it exits 0.
    @discardableResult
    func runPSQL(database: String, _ arguments: [String], label: String) async throws -> ChildProcess.Termination {
        let child = try ChildProcess(
            psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database] + arguments, environment: environment,
            logFile: logFile(label))
        let ending = await child.wait()
        guard ending.succeeded else {
            throw BenchError("`psql` (\(label)) \(ending.summary):\n\(child.outputTail())")
        }
        return ending
    }
}
