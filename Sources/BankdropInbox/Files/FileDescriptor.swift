import BankdropCore
import Glibc

/// An open file descriptor that closes itself when it goes away (internal plumbing).
struct FileDescriptor: ~Copyable {
    /// The raw descriptor.
    let raw: Int32

    /// Takes ownership of `raw`.
    init(taking raw: Int32) {
        self.raw = raw
    }

    /// Gives up ownership: the caller must close the returned descriptor.
    consuming func release() -> Int32 {
        let raw = self.raw
        discard self
        return raw
    }

    deinit {
        // close(2) must not be retried on EINTR on Linux: the descriptor is released either way.
        _ = Glibc.close(raw)
    }
}

/// An errno value as an `Error` (internal plumbing; public errors carry the code itself).
struct Errno: Error, Equatable {
    /// The errno.
    let code: Int32
}

/// Small wrappers over the C calls the inbox adapter makes.
enum SystemCall {
    /// The current `errno`.
    static var errno: Int32 { Glibc.errno }

    /// `strerror(code)` as text.
    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Runs a call returning -1 on failure again while it fails with EINTR.
    static func retrying<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result != -1 || Glibc.errno != EINTR { return result }
        }
    }

    /// `fstatat(directory, name, AT_SYMLINK_NOFOLLOW)`: what `name` is, without following it.
    /// - Returns: the stat buffer, or the errno.
    static func lstat(_ name: [UInt8], in directory: Int32) -> Result<stat, Errno> {
        var info = stat()
        let status = retrying { fstatat(directory, name.cString, &info, AT_SYMLINK_NOFOLLOW) }
        return status == 0 ? .success(info) : .failure(Errno(code: Glibc.errno))
    }

    /// `fstat(descriptor)`.
    static func fstat(_ descriptor: Int32) -> Result<stat, Errno> {
        var info = stat()
        let status = Glibc.fstat(descriptor, &info)
        return status == 0 ? .success(info) : .failure(Errno(code: Glibc.errno))
    }
}

extension Array where Element == UInt8 {
    /// The bytes as a NUL-terminated C string (a name or path handed to a system call).
    var cString: [CChar] {
        var result = map { CChar(bitPattern: $0) }
        result.append(0)
        return result
    }
}

extension FileSnapshot {
    /// The snapshot of one `stat`.
    init(_ info: stat) {
        self.init(
            identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
            size: Int64(info.st_size),
            modified: FileTimestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec)))
    }
}
