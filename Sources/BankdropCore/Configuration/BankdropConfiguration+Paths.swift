extension BankdropConfiguration {
    /// The state directory: `state_dir`, else systemd's `$STATE_DIRECTORY` (its first entry),
    /// else `$XDG_STATE_HOME/bankdrop`, else `$HOME/.local/state/bankdrop`, else `/var/lib/bankdrop`.
    ///
    /// A leading `~/` is the home directory. Pure: the environment is passed in, nothing is read.
    /// - Parameter runningAsRoot: root skips the home-based defaults and uses `/var/lib/bankdrop`:
    ///   the embedded server runs as an unprivileged user, who cannot enter `/root`.
    public func stateDirectory(environment: [String: String], runningAsRoot: Bool = false) -> String {
        if let stateDir, !stateDir.isEmpty { return Self.expandingHome(stateDir, environment: environment) }
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !systemd.isEmpty {
            return String(systemd)
        }
        if runningAsRoot { return "/var/lib/bankdrop" }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return Self.joining(xdg, "bankdrop")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return Self.joining(home, ".local/state/bankdrop")
        }
        return "/var/lib/bankdrop"
    }

    /// The inbox: `inbox.path`, else `<state directory>/inbox`.
    public func inboxDirectory(environment: [String: String], runningAsRoot: Bool = false) -> String {
        if let path = inbox.path, !path.isEmpty { return Self.expandingHome(path, environment: environment) }
        return Self.joining(stateDirectory(environment: environment, runningAsRoot: runningAsRoot), "inbox")
    }

    /// Where imported files go: `inbox.done_dir` (relative to the inbox), else `<inbox>/done`.
    public func doneDirectory(environment: [String: String], runningAsRoot: Bool = false) -> String {
        insideInbox(inbox.doneDir ?? Inbox.defaultDoneDir, environment: environment, runningAsRoot: runningAsRoot)
    }

    /// Where files that cannot be imported go: `inbox.failed_dir` (relative to the inbox), else
    /// `<inbox>/failed`.
    public func failedDirectory(environment: [String: String], runningAsRoot: Bool = false) -> String {
        insideInbox(inbox.failedDir ?? Inbox.defaultFailedDir, environment: environment, runningAsRoot: runningAsRoot)
    }

    private func insideInbox(_ path: String, environment: [String: String], runningAsRoot: Bool) -> String {
        let expanded = Self.expandingHome(path, environment: environment)
        if expanded.hasPrefix("/") { return expanded }
        return Self.joining(inboxDirectory(environment: environment, runningAsRoot: runningAsRoot), expanded)
    }

    /// `path` with a leading `~` or `~/` replaced by `$HOME` (when it is set).
    public static func expandingHome(_ path: String, environment: [String: String]) -> String {
        guard let home = environment["HOME"], !home.isEmpty else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return joining(home, String(path.dropFirst(2))) }
        return path
    }

    /// `base/relative` with exactly one `/` between them.
    static func joining(_ base: String, _ relative: String) -> String {
        var base = base
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        if relative.isEmpty { return base }
        return base == "/" ? "/" + relative : base + "/" + relative
    }
}
