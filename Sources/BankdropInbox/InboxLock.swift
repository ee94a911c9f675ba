import BankdropCore
import Glibc
import Synchronization

/// Why the inbox lock could not be taken.
public struct InboxLockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// Another agent holds the lock; its pid as it wrote it in the lock file, when readable.
        case heldByAnotherAgent(pid: Int32?)
        /// A system call failed.
        case systemCall(name: String, errno: Int32)
    }

    /// What went wrong.
    public var reason: Reason
    /// The inbox path.
    public var inbox: String

    /// Creates an error.
    public init(_ reason: Reason, inbox: String) {
        self.reason = reason
        self.inbox = inbox
    }

    /// The underlying errno, when a system call failed.
    public var errno: Int32? {
        if case .systemCall(_, let code) = reason { return code }
        return nil
    }

    /// What failed, why, and what to do.
    public var description: String {
        switch reason {
        case .heldByAnotherAgent(let pid):
            let who = pid.map { "another bankdrop agent (pid \($0))" } ?? "another bankdrop agent"
            return "\(who) is already watching \(inbox): stop it first (systemctl stop bankdrop), "
                + "or give this one another inbox"
        case .systemCall(let name, let code):
            return "Cannot lock the inbox \(inbox): \(name) failed: \(SystemCall.message(for: code)) (errno \(code))"
        }
    }
}

/// One agent per inbox: an exclusive `flock` on `<inbox>/.bankdrop.lock`.
///
/// The lock belongs to the open file description, so a second attempt fails even from the same
/// process; the kernel releases it when the holder exits, however it exits (so a stale lock file
/// left by `kill -9` never blocks a restart). The holder writes its pid into the file so that the
/// refusal can name it. The file is a dotfile, which the watcher and scanner ignore; it is never
/// deleted (deleting a lock file while another process opens it would let two agents lock two
/// different files).
public final class InboxLock: Sendable {
    /// The lock file's name in the inbox.
    public static let fileName = ".bankdrop.lock"

    /// The inbox path.
    public let inbox: String
    private let descriptor: Atomic<Int32>

    private init(inbox: String, descriptor: Int32) {
        self.inbox = inbox
        self.descriptor = Atomic(descriptor)
    }

    /// Takes the lock of `inbox`, or fails at once (never waits).
    /// - Throws: `InboxLockError`: `.heldByAnotherAgent(pid:)` when another agent holds it;
    ///   `.systemCall` when the inbox cannot be opened or the lock file created.
    public static func acquire(inbox: String) throws(InboxLockError) -> InboxLock {
        let folder = SystemCall.retrying { open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard folder >= 0 else {
            throw InboxLockError(.systemCall(name: "open", errno: SystemCall.errno), inbox: inbox)
        }
        let inboxFolder = FileDescriptor(taking: folder)
        let raw = SystemCall.retrying {
            openat(inboxFolder.raw, Array(fileName.utf8).cString, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        guard raw >= 0 else {
            throw InboxLockError(.systemCall(name: "openat(\(fileName))", errno: SystemCall.errno), inbox: inbox)
        }
        let file = FileDescriptor(taking: raw)
        guard SystemCall.retrying({ flock(file.raw, LOCK_EX | LOCK_NB) }) == 0 else {
            let code = SystemCall.errno
            guard code == EWOULDBLOCK else {
                throw InboxLockError(.systemCall(name: "flock", errno: code), inbox: inbox)
            }
            throw InboxLockError(.heldByAnotherAgent(pid: readPID(file.raw)), inbox: inbox)
        }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { pwrite(file.raw, $0.baseAddress, $0.count, 0) }
        guard ftruncate(file.raw, off_t(text.count)) == 0, written == text.count else {
            throw InboxLockError(.systemCall(name: "write(\(fileName))", errno: SystemCall.errno), inbox: inbox)
        }
        return InboxLock(inbox: inbox, descriptor: file.release())
    }

    deinit {
        release()
    }

    /// Releases the lock (closing the file releases the `flock`). Calling it twice is harmless.
    public func release() {
        let raw = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        if raw >= 0 { _ = close(raw) }
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let digits = buffer.prefix(count).prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}
