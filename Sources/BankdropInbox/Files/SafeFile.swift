import BankdropCore
import Glibc

/// A regular file under the inbox, opened without ever following a symbolic link or blocking.
///
/// Opening walks the path one component at a time relative to the inbox descriptor, each with
/// `O_NOFOLLOW` (folders also with `O_DIRECTORY`), so no link anywhere in the path is followed and
/// nothing outside the inbox can be reached. The file itself is opened with
/// `O_NONBLOCK | O_NOCTTY | O_CLOEXEC` so that a FIFO cannot block the open and a terminal cannot
/// become the controlling terminal; `fstat` on the open descriptor then refuses anything but a
/// regular file, and `O_NONBLOCK` is cleared for reading. Size, modification time and identity
/// come from that same `fstat`, so they describe exactly the bytes that will be read.
///
/// `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` would do the walk in one call, but it has no
/// glibc wrapper and Swift cannot call the variadic `syscall(2)`; the component walk gives the
/// same guarantee on every kernel.
///
/// Not `Sendable`: one task reads a file at a time.
public final class SafeFile {
    /// The file, relative to the inbox.
    public let path: InboxPath
    /// Size, modification time and identity at open time.
    public let snapshot: FileSnapshot
    private var descriptor: Int32

    /// The size in bytes at open time.
    public var size: Int64 { snapshot.size }
    /// The modification time at open time.
    public var modified: FileTimestamp { snapshot.modified }
    /// Device and inode: pass it to ``InboxMover/move(_:to:expecting:)`` so that a file replaced
    /// after it was read is not moved away unread.
    public var identity: FileIdentity { snapshot.identity }

    /// Opens `path` under `inbox` for reading.
    /// - Throws: `InboxFileError`: `.notRegularFile(type)` for a symlink, FIFO, socket, device or
    ///   directory; `.notAFolder` when a folder on the way is a symlink; `.systemCall` with the
    ///   errno otherwise (ENOENT when the file is gone).
    public static func open(_ path: InboxPath, in inbox: InboxDirectory) throws(InboxFileError) -> SafeFile {
        let folder = try inbox.openFolder(of: path)
        let flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let raw = SystemCall.retrying { openat(folder.raw, path.name.cString, flags) }
        guard raw >= 0 else {
            let code = SystemCall.errno
            // With O_NOFOLLOW, ELOOP means the name is a symlink; say so rather than "too many levels".
            if code == ELOOP || code == ENXIO || code == EOPNOTSUPP,
                case .success(let info) = SystemCall.lstat(path.name, in: folder.raw)
            {
                throw InboxFileError(.notRegularFile(InboxFileType(mode: info.st_mode)), path: path.displayName)
            }
            throw InboxFileError(.systemCall(name: "openat", errno: code), path: path.displayName)
        }
        let file = FileDescriptor(taking: raw)
        let info: stat
        switch SystemCall.fstat(file.raw) {
        case .success(let value): info = value
        case .failure(let error):
            throw InboxFileError(.systemCall(name: "fstat", errno: error.code), path: path.displayName)
        }
        let type = InboxFileType(mode: info.st_mode)
        guard type == .regular else {
            throw InboxFileError(.notRegularFile(type), path: path.displayName)
        }
        let status = fcntl(file.raw, F_GETFL)
        guard status >= 0, fcntl(file.raw, F_SETFL, status & ~O_NONBLOCK) == 0 else {
            throw InboxFileError(.systemCall(name: "fcntl(F_SETFL)", errno: SystemCall.errno), path: path.displayName)
        }
        return SafeFile(path: path, snapshot: FileSnapshot(info), descriptor: file)
    }

    private init(path: InboxPath, snapshot: FileSnapshot, descriptor: consuming FileDescriptor) {
        self.path = path
        self.snapshot = snapshot
        // The class owns the descriptor from here on: it closes it in close() or deinit.
        self.descriptor = descriptor.release()
    }

    deinit {
        close()
    }

    /// A byte source reading the file from its current position in chunks.
    /// - Parameter chunkSize: bytes per `read()`, 64 KiB by default.
    public func bytes(chunkSize: Int = 64 * 1024) -> Bytes {
        Bytes(file: self, chunkSize: max(1, chunkSize))
    }

    /// Closes the file. Reading afterwards throws (EBADF). Calling it twice is harmless.
    public func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    /// Reads up to `count` bytes; an empty array at the end of the file.
    func read(upTo count: Int) throws(InboxFileError) -> [UInt8] {
        guard descriptor >= 0 else {
            throw InboxFileError(.systemCall(name: "read", errno: EBADF), path: path.displayName)
        }
        let fd = descriptor
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let result = SystemCall.retrying { Glibc.read(fd, buffer.baseAddress, count) }
            if result < 0 {
                failure = SystemCall.errno
                initialized = 0
            } else {
                initialized = result
            }
        }
        guard failure == 0 else {
            throw InboxFileError(.systemCall(name: "read", errno: failure), path: path.displayName)
        }
        return bytes
    }

    /// The file's bytes, as the statement readers pull them.
    public struct Bytes: ByteSource {
        private let file: SafeFile
        private let chunkSize: Int

        init(file: SafeFile, chunkSize: Int) {
            self.file = file
            self.chunkSize = chunkSize
        }

        /// The next chunk of at most `chunkSize` bytes, or an empty array at the end of the file.
        /// - Throws: `InboxFileError` with the errno of `read(2)`.
        public mutating func read() throws(InboxFileError) -> [UInt8] {
            try file.read(upTo: chunkSize)
        }
    }
}
