import BankdropCore
import BankdropInbox
import BankdropPostgres
import Foundation
import Logging

/// The agent behind `bankdrop watch`: watches the inbox, imports each file once it is complete,
/// retries passing failures with backoff, and refreshes the views through the debouncer.
///
/// Three loops share this actor's state: the watcher's events, the import worker (one file at a
/// time), and the refresher (its own connection, one refresh at a time). A fourth publishes the
/// live state for `bankdrop --status`.
public actor InboxAgent {
    /// Timings, from the configuration.
    public struct Options: Sendable {
        public var settle: Duration
        public var refresh: RefreshDebouncer<ContinuousClock.Instant>.Configuration
        /// Longest wait between attempts at a file that keeps failing transiently.
        public var maxRetryDelay: Duration = .seconds(300)
        /// How often the state file is rewritten when nothing happens.
        public var publishInterval: Duration = .seconds(2)

        public init(settle: Duration, refresh: RefreshDebouncer<ContinuousClock.Instant>.Configuration) {
            self.settle = settle
            self.refresh = refresh
        }
    }

    private struct Retry {
        var attempts: Int
        var due: ContinuousClock.Instant
        var lastError: String
    }

    private let context: AgentContext
    private let options: Options
    private let logger: Logger
    private let clock = ContinuousClock()
    private let inboxPath: String
    private let stateFile: URL
    private let notifier: SystemdNotifier

    private var inbox: InboxDirectory
    private var queue: [InboxPath] = []
    private var settle: SettleTracker<ContinuousClock.Instant>
    private var retries: [InboxPath: Retry] = [:]
    private var debouncer: RefreshDebouncer<ContinuousClock.Instant>
    private var refreshDue: ContinuousClock.Instant?
    private var refreshRequested: Int64?
    private var importer: Importer?
    private var reconnectAttempts = 0
    private var reconnectDue: ContinuousClock.Instant?
    private var refreshConnection: PostgresConnection?
    private var state: AgentState
    private var stopping = false
    private var lock: InboxLock?

    private let work = Doorbell()
    private let refreshBell = Doorbell()

    public init(context: AgentContext, options: Options, notifier: SystemdNotifier = SystemdNotifier()) throws {
        self.context = context
        self.options = options
        self.logger = context.logger
        self.notifier = notifier
        self.inboxPath = context.inboxDirectory.path
        try FileManager.default.createDirectory(atPath: inboxPath, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: context.stateDirectory, withIntermediateDirectories: true)
        self.inbox = try InboxDirectory(path: inboxPath)
        self.stateFile = AgentState.file(stateDirectory: context.stateDirectory, inbox: context.inboxDirectory)
        self.settle = SettleTracker(settlePeriod: options.settle)
        self.debouncer = RefreshDebouncer(configuration: options.refresh)
        self.state = AgentState(pid: getpid(), startedAt: Date(), inbox: inboxPath)
    }

    /// Watches until the task is cancelled (graceful shutdown), then finishes the file in hand
    /// and runs a pending refresh if it is quick.
    /// - Throws: `InboxLockError` when another agent watches this inbox; `InboxWatcherError` when
    ///   the inbox cannot be watched at all.
    public func run() async throws {
        lock = try InboxLock.acquire(inbox: inboxPath)
        defer { lock?.release() }
        let watcher = try await InboxWatcher.start(
            inbox: inboxPath, excluding: [context.doneDirectory.path, context.failedDirectory.path], logger: logger)
        logger.info("Watching inbox", metadata: ["inbox.path": "\(inboxPath)"])
        // Watch first, then scan: nothing that arrives in between is missed.
        rescan(reason: "startup")
        state.phase = .watching
        publish()
        try? notifier.ready(status: statusLine)

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.consume(watcher.events) }
            group.addTask { await self.importLoop() }
            group.addTask { await self.refreshLoop() }
            group.addTask { await self.publishLoop() }
            // Runs until cancelled (graceful shutdown).
            group.addTask {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            }
            await group.next()
            await self.beginStopping()
            group.cancelAll()
            await watcher.stop()
        }
        let cancelled = Task.isCancelled
        await finalRefresh()
        state.phase = .stopping
        publish()
        logger.info("Stopped watching", metadata: ["inbox.path": "\(inboxPath)"])
        // Ending without being asked to is a failure: under systemd, Restart=on-failure starts again.
        if !cancelled { throw AgentStopped() }
    }

    private func beginStopping() async {
        stopping = true
        try? notifier.stopping()
        await work.ring()
        await refreshBell.ring()
    }

    // MARK: Events

    private func consume(_ events: AsyncStream<InboxEvent>) async {
        for await event in events {
            if stopping { break }
            handle(event)
            await work.ring()
        }
    }

    private func handle(_ event: InboxEvent) {
        switch event {
        case .ready(let path):
            logger.debug("File ready", metadata: ["file.name": "\(path.displayName)"])
            settle.forget(path)
            enqueue(path)
        case .changed(let path):
            observe(path)
        case .rescan(let reason):
            logger.warning("Rescanning inbox", metadata: ["inbox.rescan_reason": "\(reason)"])
            if reason == .inboxRestored, let reopened = try? InboxDirectory(path: inboxPath) { inbox = reopened }
            if reason == .watchesRestored || reason == .inboxRestored { state.watchProblem = nil }
            if reason == .inboxRestored { relock() }
            rescan(reason: reason.description)
        case .watchLimitReached(let error):
            logger.error("Inbox watch limit reached", metadata: ["error": "\(error)"])
            state.watchProblem = "\(error)"
            rescan(reason: "watch limit")
        }
    }

    /// The lock file went with the old inbox folder: lock the new one, or a second agent could
    /// watch it too. Our old lock goes first (the folder may be the same one, moved back).
    private func relock() {
        lock?.release()
        do {
            lock = try InboxLock.acquire(inbox: inboxPath)
        } catch {
            lock = nil
            logger.error(
                "Cannot lock the restored inbox", metadata: ["inbox.path": "\(inboxPath)", "error": "\(error)"])
            state.watchProblem = "\(error)"
        }
    }

    private func rescan(reason: String) {
        do {
            for file in try InboxScanner.scan(
                inbox: inboxPath, excluding: [context.doneDirectory.path, context.failedDirectory.path], logger: logger)
            {
                if file.type == .regular {
                    if !queue.contains(file.path) { _ = settle.observe(file.path, file.snapshot, at: clock.now) }
                } else {
                    router.refuse(file.path, refusal: .notARegularFile(kind: file.type.description))
                    recordOutcome(file.path.displayName, "refused")
                }
            }
        } catch {
            logger.error("Cannot scan inbox", metadata: ["inbox.path": "\(inboxPath)", "error": "\(error)"])
        }
    }

    private func observe(_ path: InboxPath) {
        guard !queue.contains(path) else { return }
        let snapshot = (try? inbox.inspect(path))??.snapshot
        _ = settle.observe(path, snapshot, at: clock.now)
    }

    private func enqueue(_ path: InboxPath) {
        guard !path.isTemporary, !queue.contains(path) else { return }
        retries[path] = nil
        queue.append(path)
    }

    private var router: FileRouter {
        FileRouter(
            mover: InboxMover(inbox: inbox, done: context.doneDirectory.path, failed: context.failedDirectory.path),
            logger: logger)
    }

    // MARK: Import worker

    private func importLoop() async {
        while !stopping {
            let now = clock.now
            for path in settle.due(at: now) {
                let snapshot = (try? inbox.inspect(path))??.snapshot
                if case .ready = settle.observe(path, snapshot, at: now) {
                    settle.forget(path)
                    enqueue(path)
                }
            }
            for (path, retry) in retries where retry.due <= now && !queue.contains(path) { queue.append(path) }
            state.queued = queue.count + settle.trackedPaths.count
            // Connect (and migrate) at start and again after a failure, file or no file: the schema
            // is ready before the first file, and `--status` shows an unreachable database at once.
            let importer = await connectedImporter()
            if !queue.isEmpty, let importer {
                let path = queue.removeFirst()
                await importOne(path, with: importer)
                continue
            }
            let deadlines = [settle.nextDeadline, retries.values.map(\.due).min(), importer == nil ? reconnectDue : nil]
            await work.wait(until: deadlines.compactMap { $0 }.min())
        }
    }

    private func connectedImporter() async -> Importer? {
        if let importer { return importer }
        if let reconnectDue, reconnectDue > clock.now { return nil }
        do {
            let conninfo = try context.connectionString()
            let connection = try await PostgresConnection.connect(conninfo, logger: logger)
            // A fresh machine or a new version: bring the schema up to date before the first import.
            let migrator = try context.migrator()
            try await connection.run { _ = try migrator.up(on: $0) }
            let uncovered = await Self.importNotInViews(on: connection)
            await connection.close()
            importer = try await Importer.connect(conninfo: conninfo, settings: context.importerSettings(), logger: logger)
            reconnectAttempts = 0
            reconnectDue = nil
            if state.phase == .degraded { logger.info("Database reachable again") }
            state.phase = .watching
            state.databaseError = nil
            // An agent killed between an import and its refresh (or whose last refresh failed) left
            // the views behind; nothing else would refresh them before the next import.
            if let uncovered, !debouncer.isDirty { await requestRefresh(after: uncovered) }
            return importer
        } catch {
            reconnectAttempts += 1
            let delay = min(Duration.seconds(1 << min(reconnectAttempts, 5)), .seconds(30))
            reconnectDue = clock.now.advanced(by: delay)
            state.phase = .degraded
            state.databaseError = "\(error)"
            logger.warning(
                "Database unavailable; files wait in the inbox",
                metadata: ["error": "\(error)", "retry.in_seconds": "\(delay.components.seconds)"])
            publish()
            return nil
        }
    }

    /// The newest succeeded import no view refresh covers yet, if any (nil too when it cannot tell).
    private static func importNotInViews(on connection: PostgresConnection) async -> Int64? {
        try? await connection.run { conn in
            try conn.query(
                """
                SELECT max(id) FROM import_logs
                WHERE status = 'succeeded' AND id > coalesce((SELECT max(covered_import_id) FROM view_refreshes), 0)
                """, operation: "look up imports the views miss"
            ).scalar().flatMap { Int64($0) }
        }
    }

    private func importOne(_ path: InboxPath, with importer: Importer) async {
        state.current = path.displayName
        publish()
        defer { state.current = nil }
        let source: InboxImportSource
        do {
            source = try InboxImportSource(inbox: inbox, path: path)
        } catch let error as InboxFileError {
            if error.isNotFound {
                retries[path] = nil
                return
            }
            if case .notRegularFile(let type) = error.reason {
                router.refuse(path, refusal: .notARegularFile(kind: type.description))
                recordOutcome(path.displayName, "refused")
                return
            }
            scheduleRetry(path, reason: error.description)
            return
        } catch {
            scheduleRetry(path, reason: "\(error)")
            return
        }
        // Created and closed before any byte was written (touch, a network-share copy that creates,
        // closes and reopens): not a statement yet. Leave it; its first write is seen and brings it back.
        guard source.snapshot.size > 0 else {
            retries[path] = nil
            logger.debug("Empty file left in the inbox", metadata: ["file.name": "\(path.displayName)"])
            return
        }
        let outcome = await importer.importFile(source)
        switch outcome {
        case .retryLater(let reason):
            scheduleRetry(path, reason: reason)
            if await !importer.isHealthy { self.importer = nil }
        case .imported(let summary):
            retries[path] = nil
            router.route(source, outcome: outcome)
            recordOutcome(path.displayName, "imported", inserted: summary.rowsInserted, present: summary.rowsAlreadyPresent)
            await requestRefresh(after: summary.importID)
        case .duplicate, .refused:
            retries[path] = nil
            router.route(source, outcome: outcome)
            recordOutcome(path.displayName, outcome.isDuplicate ? "duplicate" : "refused")
        }
    }

    private func scheduleRetry(_ path: InboxPath, reason: String) {
        var retry = retries[path] ?? Retry(attempts: 0, due: clock.now, lastError: reason)
        retry.attempts += 1
        retry.lastError = reason
        let delay = min(Duration.seconds(1 << min(retry.attempts, 9)), options.maxRetryDelay)
        retry.due = clock.now.advanced(by: delay)
        retries[path] = retry
        logger.warning(
            "Import will be retried",
            metadata: ["file.name": "\(path.displayName)", "retry.attempt": "\(retry.attempts)", "error": "\(reason)"])
    }

    private func recordOutcome(_ file: String, _ outcome: String, inserted: Int? = nil, present: Int? = nil) {
        state.lastImport = AgentState.LastImport(
            file: file, outcome: outcome, rowsInserted: inserted, rowsAlreadyPresent: present, at: Date())
    }

    // MARK: Refresh

    private func requestRefresh(after importID: Int64) async {
        await apply(debouncer.importCommitted(importID, now: clock.now))
    }

    /// Carries out the debouncer's decision and wakes the refresh loop to look at it.
    private func apply(_ action: RefreshDebouncer<ContinuousClock.Instant>.Action) async {
        switch action {
        case .none: break
        case .scheduleTimer(let at): refreshDue = at
        case .startRefresh(let upTo): refreshRequested = upTo
        }
        state.pendingRefreshImports = debouncer.pendingImports
        await refreshBell.ring()
    }

    private func refreshLoop() async {
        while !stopping {
            if let due = refreshDue, due <= clock.now {
                refreshDue = nil
                await apply(debouncer.timerFired(now: clock.now))
            }
            if let upTo = refreshRequested {
                refreshRequested = nil
                await runRefresh(coveringUpTo: upTo)
                continue
            }
            await refreshBell.wait(until: refreshDue)
        }
    }

    private func runRefresh(coveringUpTo upTo: Int64) async {
        do {
            if refreshConnection == nil {
                refreshConnection = try await PostgresConnection.connect(try context.connectionString(), logger: logger)
            }
            guard let connection = refreshConnection else { return }
            let host = ProcessInfo.processInfo.hostName
            let record = try await connection.run { try ViewRefresher.refresh(trigger: "agent", host: host, on: $0) }
            logger.info(
                "Refreshed views",
                metadata: ["refresh.id": "\(record.id)", "refresh.duration_ms": "\(Int(record.durationMilliseconds))"])
            state.refreshCount += 1
            state.lastRefreshAt = Date()
            await apply(debouncer.refreshFinished(now: clock.now, coveredUpTo: max(upTo, record.coveredImportID ?? upTo)))
        } catch {
            logger.warning("View refresh failed; will retry", metadata: ["error": "\(error)"])
            if let connection = refreshConnection, await !connection.isHealthy { refreshConnection = nil }
            await apply(debouncer.refreshFailed(now: clock.now))
        }
    }

    /// On shutdown: one last refresh if imports are not covered yet, bounded so stopping stays quick.
    private func finalRefresh() async {
        guard debouncer.isDirty, let upTo = debouncer.latestImport else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runRefresh(coveringUpTo: upTo) }
            group.addTask { try? await Task.sleep(for: .seconds(10)) }
            await group.next()
            group.cancelAll()
        }
    }

    // MARK: Status

    private func publishLoop() async {
        while !stopping {
            publish()
            if notifier.watchdogInterval != nil { try? notifier.watchdog() }
            try? await Task.sleep(for: min(options.publishInterval, notifier.watchdogInterval ?? options.publishInterval))
        }
    }

    private func publish() {
        state.updatedAt = Date()
        state.queued = queue.count + settle.trackedPaths.count
        state.retrying = retries.map { path, retry in
            AgentState.Retry(
                file: path.displayName, attempts: retry.attempts, lastError: retry.lastError,
                nextAttemptAt: Date().addingTimeInterval(Self.seconds(clock.now.duration(to: retry.due))))
        }.sorted { $0.file < $1.file }
        state.pendingRefreshImports = debouncer.pendingImports
        do {
            try state.write(to: stateFile)
        } catch {
            logger.debug("Cannot write state file", metadata: ["error": "\(error)"])
        }
        try? notifier.status(statusLine)
    }

    private var statusLine: String {
        var text = state.phase == .degraded ? "degraded (database unavailable)" : (state.current.map { "importing \($0)" } ?? "idle")
        text += ", \(state.queued) queued"
        if !retries.isEmpty { text += ", \(retries.count) retrying" }
        if let last = state.lastImport {
            let formatter = DateFormatter()
            formatter.dateFormat = "HH:mm"
            text += ", last import \(formatter.string(from: last.at))"
        }
        return text
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The current live state (tests).
    public var currentState: AgentState { state }
}

/// The inbox watcher ended without a shutdown request.
public struct AgentStopped: Error, CustomStringConvertible {
    public var description: String { "the inbox watcher stopped unexpectedly" }
}

extension ImportOutcome {
    var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
