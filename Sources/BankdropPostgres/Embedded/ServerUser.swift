import Foundation

/// The OS user the embedded server runs as: ourselves, or an unprivileged user when we are root.
struct ServerUser {
    /// nil: the current user. Otherwise the account name we switch to with `runuser`.
    let name: String?
    let uid: uid_t
    let gid: gid_t

    static func current() throws -> ServerUser {
        guard geteuid() == 0 else { return ServerUser(name: nil, uid: geteuid(), gid: getegid()) }
        for candidate in ["postgres", "nobody"] {
            if let entry = getpwnam(candidate) {
                return ServerUser(name: candidate, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
            }
        }
        throw EmbeddedClusterError(
            message: "running as root, but neither a `postgres` nor a `nobody` user exists to run the embedded server")
    }

    /// Gives `directory` to the server user with `mode`.
    func prepare(_ directory: URL, mode: mode_t) throws {
        if name != nil, chown(directory.path, uid, gid) != 0 {
            throw EmbeddedClusterError(message: "cannot hand \(directory.path) to user \(name ?? ""): errno \(errno)")
        }
        chmod(directory.path, mode)
    }

    /// Checks that the server user can reach `directory` through its parents (root's home is 0700).
    func checkReachable(_ directory: URL) throws {
        guard let name else { return }
        var path = directory.deletingLastPathComponent()
        while path.path != "/" {
            var info = stat()
            if stat(path.path, &info) == 0, info.st_uid != uid, info.st_mode & 0o001 == 0 {
                throw EmbeddedClusterError(
                    message: "the embedded database runs as user \(name), who cannot enter \(path.path); "
                        + "choose a state directory it can reach (--state-dir, BANKDROP_STATE_DIR), e.g. /var/lib/bankdrop")
            }
            path = path.deletingLastPathComponent()
        }
    }

    /// Runs a tool as this user and returns its standard output; throws with its output on failure.
    @discardableResult
    func run(_ tool: URL, _ arguments: [String]) throws -> String {
        if let name {
            // `env -C /`: runuser keeps our working directory, which the server user may not be
            // allowed to enter (initdb and pg_ctl fail then).
            return try Self.capture(
                URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", name, "--", "/usr/bin/env", "-C", "/", tool.path] + arguments)
        }
        return try Self.capture(tool, arguments)
    }

    /// Runs `tool` and returns what it printed (stdout and stderr together).
    ///
    /// Output goes to an unlinked temporary file, not a pipe: `pg_ctl start` leaves a server
    /// running that could inherit a pipe's write end and keep a reader waiting forever. The child
    /// is reaped with `waitpid` directly (posix_spawn), which stays reliable when the process
    /// leaves a daemon behind.
    static func capture(_ tool: URL, _ arguments: [String]) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/bankdrop-tool-XXXXXX").utf8CString)
        let outputFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard outputFD >= 0 else { throw EmbeddedClusterError(message: "cannot create a temporary file: errno \(errno)") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        defer { close(outputFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)

        let argv = ([tool.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool.path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw EmbeddedClusterError(message: "cannot run \(tool.path): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        lseek(outputFD, 0, SEEK_SET)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            output.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: output, as: UTF8.self)
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            // Name the real tool, not the `runuser` wrapper.
            let shown = tool.lastPathComponent == "runuser" ? arguments.dropFirst(6).first ?? tool.path : tool.path
            throw EmbeddedClusterError(
                message: "\(URL(fileURLWithPath: shown).lastPathComponent) failed (status \(status)): "
                    + text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return text
    }
}
