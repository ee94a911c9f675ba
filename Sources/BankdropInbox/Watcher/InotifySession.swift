import BankdropCore
import CInotifyTools
import Glibc
import Logging

/// The libinotifytools session behind ``InboxWatcher``: created, used and destroyed on the
/// watcher's own thread, never touched from anywhere else (libinotifytools is global state and
/// not thread-safe). Not `Sendable`, on purpose.
final class InotifySession {
    /// Events watched on the inbox folder itself.
    private static let rootMask: Int32 =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK
    /// Events watched on subfolders; `IN_DONT_FOLLOW` so a folder swapped for a symlink is not followed.
    private static let folderMask: Int32 = rootMask | IN_DONT_FOLLOW
    /// An event that says a watched folder itself is gone, moved or unmounted.
    private static let selfGone = UInt32(bitPattern: IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)
    /// `FD_SETSIZE`: select(2), used by libinotifytools, handles descriptors below it only.
    private static let selectLimit: Int32 = 1024
    /// Most events discarded when draining libinotifytools' buffer before cleanup.
    private static let drainLimit = 1_000_000

    private enum Outcome {
        case watching
        case missing(errno: Int32)
        case failed(InboxWatcherError.Reason)
    }

    private let location: InboxLocation
    private let inbox: String
    /// done/ and failed/ relative to the inbox, worked out again at each (re)start since
    /// resolving symlinks needs them to exist.
    private var excluded: [InboxPath]
    private let output: AsyncStream<InboxEvent>.Continuation
    private let control: WatcherControl
    private let logger: Logger
    private let options: InboxWatcher.Options

    private var initialized = false
    private var rootDescriptor: Int32 = -1
    private var rootIdentity: FileIdentity?
    private var rootWatch: Int32 = -1
    private var missing = false
    private var degraded = false
    private var limitHit = false
    private var nextRetry = ContinuousClock.now
    private var nextRootCheck = ContinuousClock.now
    private var lastChange: (path: InboxPath, at: ContinuousClock.Instant)?

    init(
        inbox: String, excluding: [String], output: AsyncStream<InboxEvent>.Continuation, control: WatcherControl,
        logger: Logger, options: InboxWatcher.Options
    ) {
        self.inbox = inbox
        self.location = InboxLocation(inbox: inbox, excluding: excluding)
        self.excluded = location.excludedFolders()
        self.output = output
        self.control = control
        self.logger = logger
        self.options = options
    }

    // MARK: - Lifecycle

    /// Initialises libinotifytools and watches the inbox tree.
    func setUp() -> Result<Void, InboxWatcherError> {
        switch establish() {
        case .watching:
            logger.debug(
                "Watching inbox",
                metadata: ["inbox.path": "\(inbox)", "inotify.watches": "\(inotifytools_get_num_watches())"])
            return .success(())
        case .missing(let code):
            return .failure(InboxWatcherError(.inboxUnavailable(errno: code), inbox: inbox))
        case .failed(let reason):
            return .failure(InboxWatcherError(reason, inbox: inbox))
        }
    }

    /// Reads events until a stop is requested, then releases libinotifytools.
    func run() {
        defer { teardown() }
        while !control.isStopRequested {
            if missing {
                pause()
                if !control.isStopRequested { restore() }
                continue
            }
            if let event = inotifytools_next_event(options.readTimeoutSeconds) {
                handle(event.pointee, name: Self.name(of: event))
            } else {
                let code = inotifytools_error()
                if code != 0 && code != EINTR {
                    logger.debug("Reading inotify events failed", metadata: ["error.errno": "\(code)"])
                    pause()
                    rebuild(.watchesRebuilt)
                }
            }
            periodicChecks()
        }
    }

    /// Releases libinotifytools and the inbox descriptor. libinotifytools keeps already-read events
    /// in a static buffer that survives `inotifytools_cleanup()`: they are drained first, or the
    /// next session would receive stale events with reused watch numbers.
    func teardown() {
        if initialized {
            var drained = 0
            while drained < Self.drainLimit, inotifytools_next_events(0, 1) != nil { drained += 1 }
            inotifytools_cleanup()
            initialized = false
        }
        if rootDescriptor >= 0 {
            _ = close(rootDescriptor)
            rootDescriptor = -1
        }
        rootIdentity = nil
        rootWatch = -1
        lastChange = nil
    }

    /// Starts libinotifytools and watches the whole tree, root first.
    private func establish() -> Outcome {
        // libinotifytools waits with select(2), which cannot watch a descriptor at or above
        // FD_SETSIZE (1024): refuse rather than corrupt memory. inotify_init takes the lowest free
        // descriptor, which this probe finds.
        let probe = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if probe >= 0 { _ = close(probe) }
        guard probe < Self.selectLimit else {
            return .failed(.systemCall(name: "inotify_init (descriptor \(probe) is above FD_SETSIZE)", errno: EMFILE))
        }
        guard inotifytools_initialize() != 0 else {
            let code = inotifytools_error()
            if code == EMFILE {
                return .failed(.limitReached(limitError(.instances, folder: inbox)))
            }
            return .failed(.systemCall(name: "inotify_init", errno: code))
        }
        initialized = true
        let raw = SystemCall.retrying { open(location.path.cString, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard raw >= 0 else {
            let code = SystemCall.errno
            teardown()
            return .missing(errno: code)
        }
        rootDescriptor = raw
        excluded = location.excludedFolders()
        if case .success(let info) = SystemCall.fstat(raw) { rootIdentity = FileSnapshot(info).identity }
        degraded = false
        limitHit = false
        watchTree(from: nil, reportingEntries: false)
        nextRootCheck = ContinuousClock.now.advanced(by: .seconds(options.readTimeoutSeconds))
        return .watching
    }

    /// Tears everything down and watches again from scratch, then asks for a rescan (events
    /// between the two are lost; the rescan finds what they were about).
    private func rebuild(_ reason: InboxRescanReason) {
        logger.debug(
            "Rebuilding inbox watches", metadata: ["inbox.path": "\(inbox)", "inbox.rescan_reason": "\(reason)"])
        teardown()
        switch establish() {
        case .watching:
            emit(.rescan(reason))
        case .missing, .failed:
            lose()
        }
    }

    /// The inbox itself is gone, moved or replaced.
    private func inboxLost() {
        logger.debug("Inbox folder lost", metadata: ["inbox.path": "\(inbox)"])
        teardown()
        lose()
        restore()  // a replacement may already be there
    }

    private func lose() {
        missing = true
        emit(.rescan(.inboxLost))
    }

    /// Tries to watch the inbox again after it was lost.
    private func restore() {
        switch establish() {
        case .watching:
            missing = false
            logger.debug("Inbox folder restored", metadata: ["inbox.path": "\(inbox)"])
            emit(.rescan(.inboxRestored))
        case .missing:
            break
        case .failed(let reason):
            logger.debug(
                "Cannot watch the inbox yet", metadata: ["inbox.path": "\(inbox)", "error.reason": "\(reason)"])
            if case .limitReached(let limit) = reason { enterDegraded(limit) }
        }
    }

    /// Sleeps one read timeout, in short slices so that a stop is noticed quickly.
    private func pause() {
        let slices = max(1, options.readTimeoutSeconds * 10)
        for _ in 0..<slices where !control.isStopRequested {
            var interval = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            _ = nanosleep(&interval, nil)
        }
    }

    /// Once per read timeout: is the inbox still the folder we watch? And, while over the watch
    /// limit, retry.
    private func periodicChecks() {
        guard !missing else { return }
        let now = ContinuousClock.now
        if now >= nextRootCheck {
            nextRootCheck = now.advanced(by: .seconds(options.readTimeoutSeconds))
            var info = stat()
            let same =
                stat(location.path.cString, &info) == 0 && InboxFileType(mode: info.st_mode) == .directory
                && FileSnapshot(info).identity == rootIdentity
            if !same {
                inboxLost()
                return
            }
        }
        if degraded && now >= nextRetry {
            nextRetry = now.advanced(by: options.watchLimitRetryInterval)
            limitHit = false
            watchTree(from: nil, reportingEntries: false)
            if limitHit {
                emit(.rescan(.watchLimitPoll))
            } else {
                degraded = false
                logger.debug("All inbox folders watched again", metadata: ["inbox.path": "\(inbox)"])
                emit(.rescan(.watchesRestored))
            }
        }
    }

    // MARK: - Watches

    /// Watches `start` (nil: the inbox) and every folder below it not watched yet, each before it is
    /// listed so that nothing created meanwhile is missed. With `reportingEntries`, reports every
    /// entry found as `.changed` (a folder that appeared brings files no event will announce).
    private func watchTree(from start: InboxPath?, reportingEntries: Bool) {
        var walker = DirectoryWalker(excluded: excluded)
        walker.willList = { folder in
            self.watch(folder)
            return true
        }
        walker.found = { file in
            if reportingEntries { self.emit(.changed(file.path)) }
        }
        walker.skipped = { folder, error in
            self.logger.debug(
                "Skipped an inbox folder",
                metadata: ["file.path": "\(folder.displayName)", "error.message": "\(error)"])
        }
        do throws(InboxFileError) {
            try walker.walk(root: rootDescriptor, from: start)
        } catch {
            logger.debug("Could not walk an inbox folder", metadata: ["error.message": "\(error)"])
        }
    }

    /// Adds the watch of one folder (nil: the inbox), unless it has one.
    private func watch(_ folder: InboxPath?) {
        let prefix = location.pathWithSlash
        let path = folder.map { prefix + $0.bytes } ?? prefix
        let watchedName = (folder == nil ? path : path + [UInt8(ascii: "/")]).cString
        guard inotifytools_wd_from_filename(watchedName) < 0 else { return }
        // The inbox is passed with its trailing slash (it may be a configured symlink, to follow);
        // subfolders without, so that IN_DONT_FOLLOW applies and libinotifytools adds the slash.
        guard inotifytools_watch_file(path.cString, folder == nil ? Self.rootMask : Self.folderMask) != 0 else {
            let code = inotifytools_error()
            let shown = folder?.displayName ?? inbox
            if code == ENOSPC {
                limitHit = true
                enterDegraded(limitError(.watches, folder: shown))
            } else {
                logger.debug(
                    "Could not watch an inbox folder", metadata: ["file.path": "\(shown)", "error.errno": "\(code)"])
            }
            return
        }
        if folder == nil { rootWatch = inotifytools_wd_from_filename(watchedName) }
    }

    private func enterDegraded(_ error: InboxWatchLimitError) {
        guard !degraded else { return }
        degraded = true
        nextRetry = ContinuousClock.now.advanced(by: options.watchLimitRetryInterval)
        logger.debug("Inotify limit reached", metadata: ["inbox.path": "\(inbox)", "error.message": "\(error)"])
        emit(.watchLimitReached(error))
    }

    private func limitError(_ limit: InboxWatchLimitError.Limit, folder: String) -> InboxWatchLimitError {
        let value = limit == .watches ? inotifytools_get_max_user_watches() : inotifytools_get_max_user_instances()
        return InboxWatchLimitError(
            limit: limit, value: value > 0 ? Int(value) : nil, folder: folder,
            retryInterval: options.watchLimitRetryInterval)
    }

    // MARK: - Events

    private func handle(_ event: inotify_event, name: [UInt8]) {
        let mask = event.mask
        if logger.logLevel <= .debug {
            let names = inotifytools_event_to_str(Int32(bitPattern: mask)).map { String(cString: $0) } ?? "\(mask)"
            logger.debug(
                "Inotify event",
                metadata: [
                    "inotify.wd": "\(event.wd)", "inotify.events": "\(names)",
                    "file.name": "\(InboxFileName.displayName(name))",
                ])
        }
        if mask & UInt32(bitPattern: IN_Q_OVERFLOW) != 0 {
            rebuild(.queueOverflow)
            return
        }
        if name.isEmpty {
            if mask & Self.selfGone != 0 {
                if event.wd == rootWatch { inboxLost() } else { rebuild(.watchesRebuilt) }
            }
            return
        }
        guard let path = path(in: event.wd, name: name), !path.isTemporary,
            !excluded.contains(where: { path.isWithin($0) })
        else { return }

        if mask & UInt32(bitPattern: IN_ISDIR) != 0 {
            if mask & UInt32(bitPattern: IN_CREATE | IN_MOVED_TO) != 0 {
                watchTree(from: path, reportingEntries: true)
            } else if mask & UInt32(bitPattern: IN_DELETE | IN_MOVED_FROM) != 0 {
                rebuild(.watchesRebuilt)
            }
            return
        }
        if mask & UInt32(bitPattern: IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
            emit(.ready(path))
        } else if mask & UInt32(bitPattern: IN_CREATE | IN_MODIFY | IN_ATTRIB) != 0 {
            emitChanged(path)
        }
    }

    /// The inbox path of `name` in the folder watched as `wd`.
    private func path(in wd: Int32, name: [UInt8]) -> InboxPath? {
        guard let folder = inotifytools_filename_from_wd(wd) else { return nil }
        let bytes = Array(UnsafeRawBufferPointer(start: folder, count: strlen(folder)))
        let prefix = location.pathWithSlash
        guard bytes.starts(with: prefix) else { return nil }
        var relative = Array(bytes[prefix.count...])
        if relative.last == UInt8(ascii: "/") { relative.removeLast() }
        return InboxPath(bytes: relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name)
    }

    /// The name carried by an event (`len` bytes after the header, NUL-padded).
    private static func name(of event: UnsafeMutablePointer<inotify_event>) -> [UInt8] {
        let length = Int(event.pointee.len)
        guard length > 0 else { return [] }
        let start = UnsafeRawPointer(event).advanced(by: MemoryLayout<inotify_event>.size)
        return Array(UnsafeRawBufferPointer(start: start, count: length).prefix { $0 != 0 })
    }

    private func emitChanged(_ path: InboxPath) {
        let now = ContinuousClock.now
        if let lastChange, lastChange.path == path, lastChange.at.duration(to: now) < options.changeCoalescing {
            return
        }
        emit(.changed(path))
        lastChange = (path, now)
    }

    private func emit(_ event: InboxEvent) {
        lastChange = nil
        if case .terminated = output.yield(event) { control.requestStop() }
    }
}
