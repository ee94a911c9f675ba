import BankdropCore
import Glibc
import Testing

@testable import BankdropInbox

@Suite("Inbox lock")
struct InboxLockTests {
    @Test("a second lock on the same inbox is refused, naming the holder's pid")
    func secondLockRefused() throws {
        let inbox = try TemporaryFolder()
        let lock = try InboxLock.acquire(inbox: inbox.path)
        #expect(try Disk.read(inbox.url(".bankdrop.lock")) == "\(getpid())\n")
        #expect(InboxFileName.isTemporary(InboxLock.fileName))

        // Same process, new open file description: flock still refuses.
        let error = try #require(throws: InboxLockError.self) { try InboxLock.acquire(inbox: inbox.path) }
        #expect(error.reason == .heldByAnotherAgent(pid: getpid()))
        #expect(
            error.description.contains("another bankdrop agent (pid \(getpid())) is already watching \(inbox.path)"))

        lock.release()
        lock.release()
        let again = try InboxLock.acquire(inbox: inbox.path)
        again.release()
    }

    @Test("a lock is released when its owner goes away")
    func releasedOnDeinit() throws {
        let inbox = try TemporaryFolder()
        do {
            _ = try InboxLock.acquire(inbox: inbox.path)
        }
        let lock = try InboxLock.acquire(inbox: inbox.path)
        withExtendedLifetime(lock) {}
    }

    @Test("a stale lock file from a killed agent does not block")
    func staleFile() throws {
        let inbox = try TemporaryFolder()
        try Disk.write(inbox.url(".bankdrop.lock"), "99999999\n")
        let lock = try InboxLock.acquire(inbox: inbox.path)
        #expect(try Disk.read(inbox.url(".bankdrop.lock")) == "\(getpid())\n")
        lock.release()
    }

    @Test("a missing inbox is a clear error with its errno")
    func missingInbox() {
        let error = #expect(throws: InboxLockError.self) { try InboxLock.acquire(inbox: "/nonexistent/bankdrop") }
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains("/nonexistent/bankdrop") == true)
    }
}
