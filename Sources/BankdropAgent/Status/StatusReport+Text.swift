import Foundation

extension StatusReport {
    /// How ``text(_:)`` renders.
    public struct TextStyle: Sendable {
        /// ANSI colours for states and the verdict (only for a terminal).
        public var color: Bool
        /// The time zone times are shown in.
        public var timeZone: TimeZone

        /// Creates a style; by default without colour, in the machine's time zone.
        public init(color: Bool = false, timeZone: TimeZone = .current) {
            self.color = color
            self.timeZone = timeZone
        }
    }

    /// The report for people: a verdict line with the problems, then the agent, inbox and database
    /// sections with aligned columns. Ends with a line break.
    public func text(_ style: TextStyle = TextStyle()) -> String {
        var out = TextWriter(style: style, now: generatedAt)
        let verdict = health == .healthy ? "healthy" : "\(health.summary) (exit \(health.exitCode))"
        out.line("bankdrop: " + out.paint(verdict, health == .healthy ? .green : .red))
        for problem in problems { out.line("  " + out.paint("!", .red) + " " + problem.message) }
        if let configurationFile { out.line("  config " + configurationFile) }
        out.blank()
        writeAgent(&out)
        out.blank()
        writeInbox(&out)
        out.blank()
        writeDatabase(&out)
        return out.text
    }

    private func writeAgent(_ out: inout TextWriter) {
        let color: TextWriter.Color = agent.state == .running ? .green : .red
        var headline = out.paint(agent.state.rawValue.replacingOccurrences(of: "_", with: " "), color)
        if let pid = agent.pid { headline += "  pid \(pid)" }
        if agent.state == .running, let uptime = agent.uptime(at: generatedAt) {
            headline += ", up " + TextWriter.duration(uptime)
        }
        if let phase = agent.phase, agent.state == .running { headline += ", " + phase }
        out.section("Agent", headline)
        if agent.state != .notRunning {
            if let updated = agent.updatedAt { out.field("updated", out.timeWithAge(updated)) }
            if let inbox = agent.inbox { out.field("inbox", inbox) }
            if let queued = agent.queued { out.field("queued", "\(queued)") }
            if let current = agent.currentFile { out.field("current", current) }
            if let last = agent.lastImport {
                var text = "\(last.file): \(last.outcome)"
                if let new = last.rowsInserted { text += ", \(new) new" }
                if let present = last.rowsAlreadyPresent { text += ", \(present) already present" }
                out.field("last file", text + ", " + out.timeWithAge(last.at))
            }
            if let pending = agent.pendingRefreshImports, pending > 0 {
                out.field("views", "\(pending) \(pending == 1 ? "import" : "imports") waiting for a refresh")
            }
            if let problem = agent.watchProblem { out.field("watching", out.paint(problem, .yellow)) }
            if let error = agent.databaseError { out.field("db error", out.paint(error, .yellow)) }
        } else {
            out.field("state file", agent.stateFile + " (none)")
        }
        if !agent.retrying.isEmpty {
            out.field("retrying", "\(agent.retrying.count)")
            out.table(
                ["FILE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"],
                agent.retrying.map { [$0.file, "\($0.attempts)", out.time($0.nextAttemptAt), $0.lastError] },
                rightAligned: [1])
        }
        out.unknowns(agent.couldNotFindOut)
    }

    private func writeInbox(_ out: inout TextWriter) {
        out.section("Inbox", inbox.path)
        if let count = inbox.waitingCount {
            out.field("waiting", TextWriter.files(count))
            out.table(
                ["FILE", "SIZE", "MODIFIED"],
                inbox.waiting.map {
                    [
                        $0.path + ($0.type == "regular" ? "" : " (\($0.type))"), TextWriter.size($0.size),
                        out.time($0.modifiedAt),
                    ]
                }, rightAligned: [1], more: count - inbox.waiting.count)
        }
        if let count = inbox.failedCount {
            let text = TextWriter.files(count) + " in " + inbox.failedDirectory
            out.field("failed", count > 0 ? out.paint(text, .red) : text)
            out.table(
                ["FILE", "FAILED", "REASON"],
                inbox.failed.map { file -> [String] in
                    let reason = file.reason.map { TextWriter.dropping(file.name, from: $0) } ?? "(no .error.txt)"
                    return [file.name, file.failedAt.map(out.time) ?? "-", reason]
                },
                more: count - inbox.failed.count)
        }
        out.unknowns(inbox.couldNotFindOut)
    }

    private func writeDatabase(_ out: inout TextWriter) {
        let color: TextWriter.Color = database.state == .reachable ? .green : .red
        out.section(
            "Database",
            out.paint(database.state.rawValue.replacingOccurrences(of: "_", with: " "), color) + "  " + database.target)
        if let error = database.error { out.field("error", error) }
        if let schema = database.schema {
            var text = "version " + (schema.appliedVersion.map(String.init) ?? "none")
            if let latest = schema.latestKnownVersion {
                text +=
                    schema.pending.isEmpty ? ", up to date" : ", " + out.paint("\(schema.pending.count) pending", .red)
                text += " (latest known \(latest))"
            }
            if !schema.changed.isEmpty {
                text +=
                    "; "
                    + out.paint(
                        "changed since applied: " + schema.changed.map(String.init).joined(separator: ", "), .red)
            }
            if !schema.unknownApplied.isEmpty {
                text +=
                    "; applied by a newer bankdrop: " + schema.unknownApplied.map(String.init).joined(separator: ", ")
            }
            out.field("schema", text)
        }
        if let views = database.views {
            var text = views.lastRefreshAt.map { "refreshed " + out.timeWithAge($0) } ?? "never refreshed"
            if let milliseconds = views.lastRefreshMilliseconds {
                text += " in " + TextWriter.milliseconds(milliseconds)
            }
            text +=
                views.isFresh
                ? "; " + out.paint("fresh", .green)
                : "; " + out.paint("stale", .yellow) + ": \(views.importsSinceRefresh) "
                    + (views.importsSinceRefresh == 1 ? "import" : "imports") + " since"
            out.field("views", text)
        }
        if database.state == .reachable {
            out.field("accounts", database.accounts.isEmpty ? "none" : "\(database.accounts.count)")
            out.table(
                ["ACCOUNT", "LATEST ROW", "LAST IMPORT"],
                database.accounts.map {
                    [$0.name, $0.latestTransactionDate ?? "-", $0.lastImportAt.map(out.time) ?? "-"]
                })
            out.field("imports", database.recentImports.isEmpty ? "none yet" : "last \(database.recentImports.count)")
            out.table(
                ["TIME", "STATUS", "NEW", "PRESENT", "FILE"],
                database.recentImports.map { entry -> [String] in
                    let error = entry.error.map { ": " + TextWriter.dropping(entry.file, from: $0) } ?? ""
                    let new = entry.rowsNew.map(String.init) ?? "-"
                    let present = entry.rowsAlreadyPresent.map(String.init) ?? "-"
                    return [entry.at.map(out.time) ?? "-", entry.status, new, present, entry.file + error]
                }, rightAligned: [2, 3])
        }
        out.unknowns(database.couldNotFindOut)
    }
}

/// Builds the text layout: sections, indented fields, aligned tables, optional colour.
private struct TextWriter {
    enum Color: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    let style: StatusReport.TextStyle
    let now: Date
    private(set) var text = ""
    private let formatter: DateFormatter

    init(style: StatusReport.TextStyle, now: Date) {
        self.style = style
        self.now = now
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = style.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    }

    mutating func line(_ line: String) { text += line + "\n" }

    mutating func blank() { text += "\n" }

    /// `Agent     running ...`
    mutating func section(_ name: String, _ headline: String) {
        line(name.padding(toLength: 10, withPad: " ", startingAt: 0) + headline)
    }

    /// `  queued     3`
    mutating func field(_ name: String, _ value: String) {
        line("  " + name.padding(toLength: 11, withPad: " ", startingAt: 0) + value)
    }

    mutating func unknowns(_ items: [String]) {
        for item in items { line("  " + paint("?", .yellow) + " could not find out " + item) }
    }

    /// A table indented under the fields; nothing for no rows. `more` adds "... and N more".
    mutating func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = [], more: Int = 0) {
        guard !rows.isEmpty else { return }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                // The last column is not padded: no trailing spaces.
                guard column < row.count - 1 else { return cell }
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }
            line("    " + cells.joined(separator: "  "))
        }
        if more > 0 { line("    ... and \(more) more") }
    }

    func paint(_ text: String, _ color: Color) -> String {
        style.color ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    func time(_ date: Date) -> String { formatter.string(from: date) }

    func timeWithAge(_ date: Date) -> String {
        let age = now.timeIntervalSince(date)
        return time(date) + (age >= 0 ? " (\(Self.duration(age)) ago)" : "")
    }

    /// `45s`, `12m 5s`, `3h 4m`, `2d 3h`.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded(.down))
        let (days, hours, minutes, rest) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return "\(rest)s"
    }

    static func milliseconds(_ value: Double) -> String {
        value < 1000 ? "\(Int(value.rounded())) ms" : String(format: "%.1f s", value / 1000)
    }

    static func size(_ bytes: Int64) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    /// `message` without a leading `name` (errors name their file; the table already does).
    static func dropping(_ name: String, from message: String) -> String {
        guard message.hasPrefix(name + " ") || message.hasPrefix(name + ":") else { return message }
        let rest = message.dropFirst(name.count).drop { $0 == " " || $0 == ":" }
        return rest.isEmpty ? message : String(rest)
    }

    static func files(_ count: Int) -> String { "\(count) \(count == 1 ? "file" : "files")" }
}
