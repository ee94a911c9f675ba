import BankdropCore
import Foundation
import Glibc
import Logging
import Testing

@testable import BankdropInbox

/// Real inotify on real folders. Serialized: libinotifytools is global state, one watcher per
/// process.
@Suite("Inbox watcher", .serialized)
struct InboxWatcherTests {
    static let queuedEventsKnob = "/proc/sys/fs/inotify/max_queued_events"
    static let userWatchesKnob = "/proc/sys/fs/inotify/max_user_watches"

    static func path(_ text: String) -> InboxPath { InboxPath(text)! }

    static func isReady(_ text: String) -> @Sendable (InboxEvent) -> Bool {
        let path = path(text)
        return { $0 == .ready(path) }
    }

    static func isChanged(_ text: String) -> @Sendable (InboxEvent) -> Bool {
        let path = path(text)
        return { $0 == .changed(path) }
    }

    static func isRescan(_ reason: InboxRescanReason) -> @Sendable (InboxEvent) -> Bool {
        { $0 == .rescan(reason) }
    }

    // MARK: - Arrivals

    @Test("write and close (cp) reports the file ready")
    func writeAndClose() async throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("acct"))
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.write(inbox.url("acct/jan.csv"), "date;amount\n")
            #expect(await recorder.first(where: Self.isReady("acct/jan.csv")) != nil)
        }
    }

    @Test("a rename from outside the inbox (mv) reports the file ready")
    func moveIn() async throws {
        let inbox = try TemporaryFolder()
        let downloads = try TemporaryFolder("downloads")
        try Disk.write(downloads.url("feb.ofx"), "<OFX>")
        try Disk.mkdir(inbox.url("acct"))
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.rename(downloads.url("feb.ofx"), inbox.url("acct/feb.ofx"))
            #expect(await recorder.first(where: Self.isReady("acct/feb.ofx")) != nil)
        }
    }

    @Test("slow chunked writes to a file kept open: changes, then ready by settling, never before the last write")
    func slowWriterSettles() async throws {
        let inbox = try TemporaryFolder()
        let target = Self.path("slow.csv")
        try await withWatcher(inbox: inbox.path, options: .init(readTimeoutSeconds: 1, changeCoalescing: .zero)) {
            _, recorder in
            let fd = open(inbox.url("slow.csv"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            defer { close(fd) }
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)
            let directory = try InboxDirectory(path: inbox.path)
            var tracker = SettleTracker<ContinuousClock.Instant>(settlePeriod: .milliseconds(200))
            var lastWrite = ContinuousClock.now
            // Six chunks, 80 ms apart: each one changes the snapshot, which restarts the quiet period.
            for _ in 0..<6 {
                _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                lastWrite = ContinuousClock.now
                let decision = tracker.observe(target, try directory.inspect(target)?.snapshot, at: lastWrite)
                #expect(decision == .waiting(until: lastWrite + .milliseconds(200)))
                try await Task.sleep(for: .milliseconds(80))
            }
            #expect(await recorder.first(where: Self.isChanged("slow.csv")) != nil)

            // Now quiet, file still open: poll as the service would, at the tracker's deadlines.
            let deadline = ContinuousClock.now + .seconds(3)
            var readyAt: ContinuousClock.Instant?
            while readyAt == nil, ContinuousClock.now < deadline {
                if let next = tracker.nextDeadline, next > .now {
                    try await Task.sleep(until: next, clock: .continuous)
                }
                let now = ContinuousClock.now
                if tracker.observe(target, try directory.inspect(target)?.snapshot, at: now) == .ready { readyAt = now }
            }
            let ready = try #require(readyAt)
            #expect(lastWrite.duration(to: ready) >= .milliseconds(200))
            #expect(try directory.inspect(target)?.snapshot.size == 6000)
            // The writer never closed: inotify never said ready.
            #expect(await recorder.events.contains(.ready(target)) == false)
        }
    }

    @Test("a burst of writes to one open file is folded into few change events")
    func changesFolded() async throws {
        let inbox = try TemporaryFolder()
        let target = Self.path("burst.csv")
        try await withWatcher(inbox: inbox.path) { _, recorder in
            let fd = open(inbox.url("burst.csv"), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            let started = ContinuousClock.now
            for _ in 0..<200 {
                _ = Array("row\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            }
            let elapsed = started.duration(to: .now)
            close(fd)
            #expect(await recorder.first(where: Self.isReady("burst.csv")) != nil)
            let changes = await recorder.events.filter { $0 == .changed(target) }.count
            #expect(changes >= 1)
            // One per second at most (plus the first) while the writes go on.
            #expect(changes <= 2 + Int(elapsed.components.seconds), "\(changes) change events")
        }
    }

    @Test("a browser download (.crdownload renamed to the final name) is ready once, the temp name never")
    func browserDownload() async throws {
        let inbox = try TemporaryFolder()
        try await withWatcher(inbox: inbox.path) { _, recorder in
            let temporary = inbox.url("statement.csv.crdownload")
            let fd = open(temporary, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            for _ in 0..<5 {
                _ = Array("row\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            }
            close(fd)
            try Disk.rename(temporary, inbox.url("statement.csv"))
            #expect(await recorder.first(where: Self.isReady("statement.csv")) != nil)
            // Give stray events a moment to arrive before counting.
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            let events = await recorder.events
            #expect(events.filter { $0 == .ready(Self.path("statement.csv")) }.count == 1)
            #expect(!events.contains { $0.path?.isTemporary == true })
            #expect(!events.contains { $0.path == Self.path("statement.csv.crdownload") })
        }
    }

    @Test("sftp-style link + unlink gives only a change, then settles")
    func sftpLinkUnlink() async throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("acct"))
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.write(inbox.url("acct/.upload.tmp"), "data\n")
            #expect(link(inbox.url("acct/.upload.tmp"), inbox.url("acct/mar.csv")) == 0)
            #expect(unlink(inbox.url("acct/.upload.tmp")) == 0)
            #expect(await recorder.first(where: Self.isChanged("acct/mar.csv")) != nil)

            let directory = try InboxDirectory(path: inbox.path)
            var tracker = SettleTracker<ContinuousClock.Instant>(settlePeriod: .milliseconds(200))
            let target = Self.path("acct/mar.csv")
            let start = ContinuousClock.now
            _ = tracker.observe(target, try directory.inspect(target)?.snapshot, at: start)
            try await Task.sleep(for: .milliseconds(250))
            #expect(tracker.observe(target, try directory.inspect(target)?.snapshot, at: .now) == .ready)
            #expect(!(await recorder.events.contains(.ready(target))))
        }
    }

    @Test("a subfolder created after start is watched, nested ones too")
    func newSubfolder() async throws {
        let inbox = try TemporaryFolder()
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.mkdir(inbox.url("newacct"))
            // Let the watcher add the folder's watch, as a user would take a moment.
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            try Disk.write(inbox.url("newacct/x.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("newacct/x.csv")) != nil)

            // mkdir -p and a file at once: the file may land before the watch; it is then found
            // when the new folders are listed, and reported as a change.
            try Disk.mkdir(inbox.url("a"))
            try Disk.mkdir(inbox.url("a/b"))
            try Disk.mkdir(inbox.url("a/b/c"))
            try Disk.write(inbox.url("a/b/c/deep.csv"), "deep")
            let deep = Self.path("a/b/c/deep.csv")
            #expect(await recorder.first { $0 == .ready(deep) || $0 == .changed(deep) } != nil)
            try Disk.write(inbox.url("a/b/c/later.csv"), "later")
            #expect(await recorder.first(where: Self.isReady("a/b/c/later.csv")) != nil)
        }
    }

    @Test("a folder moved into the inbox reports the files inside it")
    func folderMovedIn() async throws {
        let inbox = try TemporaryFolder()
        let outside = try TemporaryFolder("outside")
        try Disk.mkdir(outside.url("bank"))
        try Disk.write(outside.url("bank/apr.csv"), "apr")
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.rename(outside.url("bank"), inbox.url("bank"))
            #expect(await recorder.first(where: Self.isChanged("bank/apr.csv")) != nil)
            try Disk.write(inbox.url("bank/may.csv"), "may")
            #expect(await recorder.first(where: Self.isReady("bank/may.csv")) != nil)
        }
    }

    @Test("temporary names, done/, failed/ and symlinked folders are never reported")
    func ignored() async throws {
        let inbox = try TemporaryFolder()
        let outside = try TemporaryFolder("outside")
        try Disk.mkdir(inbox.url("done"))
        try Disk.symlink(outside.path, inbox.url("linked"))
        try await withWatcher(inbox: inbox.path, excluding: [inbox.url("done"), inbox.url("failed")]) { _, recorder in
            try Disk.write(inbox.url(".hidden.csv"), "x")
            try Disk.write(inbox.url("x.csv.part"), "x")
            try Disk.write(inbox.url("x.csv~"), "x")
            try Disk.write(inbox.url("done/old.csv"), "x")
            try Disk.mkdir(inbox.url("failed"))  // created after start
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            try Disk.write(inbox.url("failed/bad.csv"), "x")
            try Disk.write(inbox.url("failed/bad.csv.error.txt"), "x")
            try Disk.write(outside.url("through-link.csv"), "x")
            try Disk.write(inbox.url("marker.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("marker.csv")) != nil)
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            let reported = await recorder.events.compactMap(\.path)
            #expect(reported.allSatisfy { $0 == Self.path("marker.csv") }, "\(reported)")
        }
    }

    @Test("a weird name arrives with its exact bytes")
    func weirdNameArrives() async throws {
        let inbox = try TemporaryFolder()
        let name: [UInt8] = Array("line\nbreak \"q\" ".utf8) + [0xFF] + Array(".csv".utf8)
        try await withWatcher(inbox: inbox.path) { _, recorder in
            try Disk.write(Array(inbox.path.utf8) + [47] + name, Array("x".utf8))
            let expected = try #require(InboxPath(bytes: name))
            #expect(await recorder.first { $0 == .ready(expected) } != nil)
        }
    }

    // MARK: - Rescans

    @Test("a queue overflow asks for a rescan, and the scan then finds every file")
    func overflow() async throws {
        let inbox = try TemporaryFolder()
        let shrinkable = access(Self.queuedEventsKnob, W_OK) == 0
        let original = try? Disk.read(Self.queuedEventsKnob).trimmingCharacters(in: .whitespacesAndNewlines)
        if shrinkable {
            // The limit is read when the inotify instance is created: shrink it for this start only.
            try Disk.write(Self.queuedEventsKnob, "16\n")
        }
        let restore = {
            if shrinkable, let original { try? Disk.write(Self.queuedEventsKnob, original + "\n") }
        }
        try await withWatcher(inbox: inbox.path, afterStart: restore) { _, recorder in
            // With the shrunk queue a few hundred files overflow it; without, go past 16384 events.
            let limit = shrinkable ? 2_000 : 40_000
            var created = 0
            while created < limit {
                for _ in 0..<100 {
                    try Disk.write(inbox.url("f\(created).csv"), "\(created)")
                    created += 1
                }
                if await recorder.events.contains(.rescan(.queueOverflow)) { break }
            }
            #expect(await recorder.first(where: Self.isRescan(.queueOverflow)) != nil)
            let scanned = try InboxScanner.scan(inbox: inbox.path)
            #expect(scanned.count == created)
            #expect(Set(scanned.map(\.path)) == Set((0..<created).map { Self.path("f\($0).csv") }))
            // Watching goes on after the overflow.
            await recorder.clear()
            try Disk.write(inbox.url("after.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("after.csv")) != nil)
        }
        if let original {
            #expect(try Disk.read(Self.queuedEventsKnob).trimmingCharacters(in: .whitespacesAndNewlines) == original)
        }
    }

    @Test("the inbox removed and recreated: rescans, then new files are seen")
    func inboxRecreated() async throws {
        let root = try TemporaryFolder()
        let inbox = root.url("inbox")
        try Disk.mkdir(inbox)
        try Disk.write(inbox + "/old.csv", "x")
        try await withWatcher(inbox: inbox) { _, recorder in
            TemporaryFolder.removeTree(inbox)
            #expect(await recorder.first(where: Self.isRescan(.inboxLost)) != nil)
            // Missing for a while: the watcher keeps retrying.
            _ = await recorder.first(within: .milliseconds(1500)) { _ in false }
            #expect(!(await recorder.events.contains(.rescan(.inboxRestored))))
            try Disk.mkdir(inbox)
            #expect(await recorder.first(within: .seconds(5), where: Self.isRescan(.inboxRestored)) != nil)
            try Disk.mkdir(inbox + "/acct")
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            try Disk.write(inbox + "/acct/new.csv", "x")
            #expect(await recorder.first(where: Self.isReady("acct/new.csv")) != nil)
        }
    }

    @Test("the inbox moved away and replaced: the old one is no longer watched")
    func inboxReplaced() async throws {
        let root = try TemporaryFolder()
        let inbox = root.url("inbox")
        try Disk.mkdir(inbox)
        try await withWatcher(inbox: inbox) { _, recorder in
            try Disk.rename(inbox, root.url("inbox.old"))
            try Disk.mkdir(inbox)
            #expect(await recorder.first(where: Self.isRescan(.inboxLost)) != nil)
            #expect(await recorder.first(where: Self.isRescan(.inboxRestored)) != nil)
            try Disk.write(root.url("inbox.old/stale.csv"), "x")
            try Disk.write(inbox + "/fresh.csv", "x")
            #expect(await recorder.first(where: Self.isReady("fresh.csv")) != nil)
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            #expect(!(await recorder.events.contains { $0.path == Self.path("stale.csv") }))
        }
    }

    @Test("a subfolder removed and recreated: watches are rebuilt, its new files seen")
    func subfolderRecreated() async throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("acct"))
        try await withWatcher(inbox: inbox.path) { _, recorder in
            TemporaryFolder.removeTree(inbox.url("acct"))
            #expect(await recorder.first(where: Self.isRescan(.watchesRebuilt)) != nil)
            try Disk.mkdir(inbox.url("acct"))
            _ = await recorder.first(within: .milliseconds(300)) { _ in false }
            try Disk.write(inbox.url("acct/again.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("acct/again.csv")) != nil)
        }
    }

    // MARK: - Lifecycle and limits

    @Test("one watcher per process: a second start is refused, a start after stop works")
    func oneWatcherPerProcess() async throws {
        let inbox = try TemporaryFolder()
        try await withWatcher(inbox: inbox.path) { _, _ in
            let logger = Logger(label: "bankdrop.inbox.tests")
            let error = await #expect(throws: InboxWatcherError.self) {
                _ = try await InboxWatcher.start(inbox: inbox.path, logger: logger)
            }
            #expect(error?.reason == .alreadyRunning)
            #expect(error?.description.contains("one per process") == true)
        }
        try await withWatcher(inbox: inbox.path) { watcher, recorder in
            try Disk.write(inbox.url("again.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("again.csv")) != nil)
            await watcher.stop()
            await watcher.stop()  // harmless
        }
    }

    @Test("a missing inbox is refused at start, and the slot is freed")
    func missingInbox() async throws {
        let logger = Logger(label: "bankdrop.inbox.tests")
        let error = await #expect(throws: InboxWatcherError.self) {
            _ = try await InboxWatcher.start(inbox: "/nonexistent/bankdrop-inbox", logger: logger)
        }
        #expect(error?.reason == .inboxUnavailable(errno: ENOENT))
        let inbox = try TemporaryFolder()
        try await withWatcher(inbox: inbox.path) { _, _ in }
    }

    @Test(
        "a start whose inotify descriptor would be above FD_SETSIZE is refused, not a memory corruption",
        .enabled(if: Self.descriptorLimit > 2048))
    func descriptorAboveSelectLimit() async throws {
        let inbox = try TemporaryFolder()
        let logger = Logger(label: "bankdrop.inbox.tests")
        var filler: [Int32] = []
        defer { for fd in filler { close(fd) } }
        var refusal: InboxWatcherError?
        // Other suites run in parallel and may free a low descriptor meanwhile: try a few times.
        for _ in 0..<5 where refusal == nil {
            while true {
                let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
                try #require(fd >= 0)
                filler.append(fd)
                if fd >= 1024 { break }
            }
            do {
                let watcher = try await InboxWatcher.start(inbox: inbox.path, logger: logger)
                await watcher.stop()
            } catch {
                refusal = error
            }
        }
        let error = try #require(refusal)
        #expect(error.errno == EMFILE)
        #expect(error.description.contains("FD_SETSIZE"))
        for fd in filler { close(fd) }
        filler.removeAll()
        try await withWatcher(inbox: inbox.path) { _, _ in }
    }

    static let descriptorLimit: rlim_t = {
        var limit = rlimit()
        return getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 ? limit.rlim_cur : 0
    }()

    @Test("stop ends the event stream")
    func stopEndsStream() async throws {
        let inbox = try TemporaryFolder()
        let logger = Logger(label: "bankdrop.inbox.tests")
        let watcher = try await InboxWatcher.start(inbox: inbox.path, logger: logger)
        let started = ContinuousClock.now
        await watcher.stop()
        #expect(ContinuousClock.now - started < .seconds(3))
        var iterator = watcher.events.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }

    @Test(
        "the kernel watch limit is reported with how to raise it, and watching recovers",
        .enabled(if: getuid() == 0 && access(userWatchesKnob, W_OK) == 0))
    func watchLimit() async throws {
        let inbox = try TemporaryFolder()
        for folder in ["a", "b", "c", "d"] { try Disk.mkdir(inbox.url(folder)) }
        let original = try Disk.read(Self.userWatchesKnob).trimmingCharacters(in: .whitespacesAndNewlines)
        // Lowered only while the watcher starts (milliseconds): this limit is machine-wide per user.
        try Disk.write(Self.userWatchesKnob, "1\n")
        let restore: () -> Void = { _ = try? Disk.write(Self.userWatchesKnob, original + "\n") }
        try await withWatcher(
            inbox: inbox.path, options: .init(readTimeoutSeconds: 1, watchLimitRetryInterval: .seconds(1)),
            afterStart: restore
        ) { _, recorder in
            #expect(try Disk.read(Self.userWatchesKnob).trimmingCharacters(in: .whitespacesAndNewlines) == original)
            let event = await recorder.first {
                if case .watchLimitReached = $0 { return true }
                return false
            }
            guard case .watchLimitReached(let error) = event else {
                Issue.record("no watch-limit event")
                return
            }
            #expect(error.limit == .watches)
            #expect(error.errno == ENOSPC)
            #expect(error.description.contains("fs.inotify.max_user_watches"))
            #expect(error.description.contains("sysctl"))
            #expect(await recorder.first(within: .seconds(5), where: Self.isRescan(.watchesRestored)) != nil)
            try Disk.write(inbox.url("d/after.csv"), "x")
            #expect(await recorder.first(where: Self.isReady("d/after.csv")) != nil)
        }
    }
}

@Suite("Inbox watch limit message")
struct InboxWatchLimitErrorTests {
    @Test("the message names the sysctl, its value, and how to raise it for good")
    func message() {
        let error = InboxWatchLimitError(limit: .watches, value: 8192, folder: "acct/2024", retryInterval: .seconds(30))
        #expect(
            error.description
                == "Cannot watch acct/2024: the kernel limit on inotify watches per user "
                + "(fs.inotify.max_user_watches = 8192) is reached (errno \(ENOSPC)). Raise it with "
                + "`sudo sysctl fs.inotify.max_user_watches=524288`, and keep it across reboots with the line "
                + "`fs.inotify.max_user_watches=524288` in /etc/sysctl.d/90-bankdrop.conf. Until then bankdrop "
                + "retries and rescans the inbox every 30 s.")
        let instances = InboxWatchLimitError(
            limit: .instances, value: nil, folder: "/srv/inbox", retryInterval: .seconds(5))
        #expect(instances.description.contains("(fs.inotify.max_user_instances) is reached (errno \(EMFILE))"))
    }
}
