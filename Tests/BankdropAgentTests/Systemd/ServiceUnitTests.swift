import Foundation
import Testing

/// `config/bankdrop.service`: the settings the agent relies on, and systemd's own checks.
@Suite("systemd unit")
struct ServiceUnitTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unitFile = repositoryRoot.appendingPathComponent("config/bankdrop.service")

    /// `systemd-analyze`, when installed (it comes with Debian's `systemd` package, which
    /// `scripts/install-packages` does not need).
    static let analyzer: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The unit's `[Service]` assignments, in order (a key may repeat).
    static func assignments() throws -> [(key: String, value: String)] {
        let text = try String(contentsOf: unitFile, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    @Test(
        "the unit runs the agent as a notifying, watched, sandboxed service",
        arguments: [
            ("Type", "notify"), ("NotifyAccess", "main"), ("ExecStart", "/usr/local/bin/bankdrop watch"),
            ("WatchdogSec", "30"), ("Restart", "on-failure"), ("User", "bankdrop"), ("StateDirectory", "bankdrop"),
            ("ProtectSystem", "strict"), ("ReadWritePaths", "/srv/bankdrop/inbox"), ("NoNewPrivileges", "yes"),
            ("PrivateTmp", "yes"), ("ProtectHome", "yes"), ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"),
            ("SystemCallFilter", "@system-service"), ("KillSignal", "SIGTERM"), ("TimeoutStopSec", "60"),
            ("Environment", "BANKDROP_CONFIG=/etc/bankdrop/bankdrop.toml"),
        ])
    func setting(key: String, value: String) throws {
        let values = try Self.assignments().filter { $0.key == key }.map(\.value)
        #expect(values.contains(value), "\(key)=\(value) missing; the unit has \(values)")
    }

    @Test("no credentials in the unit")
    func noCredentials() throws {
        for (key, value) in try Self.assignments() {
            #expect(!value.lowercased().contains("password"), "\(key) mentions a password")
            #expect(!(value.contains("://") && value.contains("@")), "\(key) holds a URL with user info")
        }
    }

    @Test("systemd-analyze verify accepts the unit without a single warning", .enabled(if: analyzer != nil))
    func verify() throws {
        let root = try VerifyRoot()
        let result = try root.analyze(["verify"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.isEmpty, "systemd-analyze verify warned:\n\(result.output)")
    }

    @Test("systemd-analyze verify does report a broken copy (the check above can fail)", .enabled(if: analyzer != nil))
    func verifyCatchesMistakes() throws {
        let broken = try String(contentsOf: Self.unitFile, encoding: .utf8)
            .replacingOccurrences(of: "WatchdogSec=30", with: "WatchdogSecs=30")
        let root = try VerifyRoot(unitText: broken)
        let result = try root.analyze(["verify"])
        #expect(result.output.contains("WatchdogSecs"))
    }

    @Test(
        "systemd-analyze security rates the sandbox's exposure at most 2.0",
        .enabled(if: analyzer != nil && VerifyRoot.supportsOfflineSecurity))
    func exposure() throws {
        let root = try VerifyRoot()
        let result = try root.analyze(["security", "--offline=yes", "--no-pager"])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(
            line.split(separator: " ").compactMap { Double($0) }.first, "no score in: \(line)")
        #expect(score <= 2.0, "\(line)")
    }
}

/// A throw-away file system root for `systemd-analyze --root`: the unit at
/// `/etc/systemd/system/bankdrop.service`, systemd's own units (copied from the machine, for
/// `sysinit.target` and friends), and an executable stub at `/usr/local/bin/bankdrop`, because
/// verify checks that `ExecStart=` names an executable and the real binary is not installed here.
/// The unit itself is the repository's, byte for byte (unless a test passes another text).
final class VerifyRoot {
    let path: String

    static let supportsOfflineSecurity: Bool = {
        guard let analyzer = ServiceUnitTests.analyzer,
            let help = try? VerifyRoot.run(analyzer, ["--help"]).output
        else { return false }
        return help.contains("--offline")
    }()

    init(unitText: String? = nil) throws {
        path = NSTemporaryDirectory() + "/bankdrop-unit-\(UUID().uuidString)"
        let manager = FileManager.default
        for folder in ["etc/systemd/system", "usr/local/bin", "usr/lib/systemd"] {
            try manager.createDirectory(atPath: path + "/" + folder, withIntermediateDirectories: true)
        }
        let unit = try unitText ?? String(contentsOf: ServiceUnitTests.unitFile, encoding: .utf8)
        try unit.write(toFile: path + "/etc/systemd/system/bankdrop.service", atomically: true, encoding: .utf8)
        try "#!/bin/sh\nexit 0\n".write(toFile: path + "/usr/local/bin/bankdrop", atomically: true, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/usr/local/bin/bankdrop")
        // cp -a keeps the symlinks (aliases, masks) as they are on the machine.
        let copy = try Self.run("/bin/cp", ["-a", "/usr/lib/systemd/system", path + "/usr/lib/systemd/"])
        try #require(copy.status == 0, "\(copy.output)")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `systemd-analyze <arguments> --root=<root> /etc/systemd/system/bankdrop.service`.
    func analyze(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let analyzer = try #require(ServiceUnitTests.analyzer)
        return try Self.run(analyzer, arguments + ["--root=" + path, "/etc/systemd/system/bankdrop.service"])
    }

    /// Runs a tool and returns its exit status and its standard output and error together.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SYSTEMD_LOG_COLOR"] = "0"
        environment["SYSTEMD_PAGER"] = ""
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
