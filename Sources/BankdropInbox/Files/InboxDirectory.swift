import BankdropCore
import Glibc

/// The inbox folder, held open: every file under it is reached relative to this descriptor, one
/// component at a time, never following a symbolic link.
///
/// The inbox path itself is configuration and may be a symlink (for example to another disk); it
/// is resolved once, when the directory is opened. If the inbox is later moved or replaced (the
/// watcher then reports ``InboxRescanReason/inboxRestored``), open a new `InboxDirectory`.
public final class InboxDirectory: Sendable {
    /// The inbox path as configured.
    public let path: String
    /// The open directory (`O_DIRECTORY | O_CLOEXEC`). Never closed before `deinit`, so it can be
    /// shared between tasks.
    let descriptor: Int32

    /// Opens the inbox folder.
    /// - Throws: `InboxFileError` (`open` with its errno) when it is missing or not a folder.
    public init(path: String) throws(InboxFileError) {
        self.path = path
        let descriptor = SystemCall.retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw InboxFileError(.systemCall(name: "open", errno: SystemCall.errno), path: path)
        }
        self.descriptor = descriptor
    }

    deinit {
        _ = close(descriptor)
    }

    /// What is at `path` now, without following links and without opening it: its type and
    /// snapshot (size, modification time, identity), or nil when it does not exist (any more).
    ///
    /// The service uses it to feed the ``SettleTracker`` and to spot entries that are not regular
    /// files.
    /// - Throws: `InboxFileError` when a folder on the way is a symlink or not a folder, or the
    ///   kernel refuses (permissions).
    public func inspect(_ path: InboxPath) throws(InboxFileError) -> InboxFile? {
        let folder: FileDescriptor
        do throws(InboxFileError) {
            folder = try openFolder(of: path)
        } catch let error where error.isNotFound {
            return nil
        }
        switch SystemCall.lstat(path.name, in: folder.raw) {
        case .success(let info):
            return InboxFile(path: path, type: InboxFileType(mode: info.st_mode), snapshot: FileSnapshot(info))
        case .failure(let error) where error.code == ENOENT:
            return nil
        case .failure(let error):
            throw InboxFileError(.systemCall(name: "fstatat", errno: error.code), path: path.displayName)
        }
    }

    /// Opens the folder holding `path` (the inbox itself for a top-level entry), each component
    /// with `O_NOFOLLOW | O_DIRECTORY`.
    func openFolder(of path: InboxPath) throws(InboxFileError) -> FileDescriptor {
        try Self.openFolder(path.components.dropLast(), under: descriptor, display: path)
    }

    /// Opens `components` below `root` one at a time, refusing symlinks and non-folders.
    static func openFolder(
        _ components: some Sequence<[UInt8]>, under root: Int32, display: InboxPath
    ) throws(InboxFileError) -> FileDescriptor {
        let duplicate = fcntl(root, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0 else {
            throw InboxFileError(
                .systemCall(name: "fcntl(F_DUPFD_CLOEXEC)", errno: SystemCall.errno), path: display.displayName)
        }
        var current = FileDescriptor(taking: duplicate)
        var walked: [[UInt8]] = []
        for component in components {
            walked.append(component)
            let next = SystemCall.retrying {
                openat(current.raw, component.cString, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                let code = SystemCall.errno
                let shown = InboxFileName.displayName(Array(walked.joined(separator: [UInt8(ascii: "/")])))
                // ELOOP (a symlink, with O_NOFOLLOW) and ENOTDIR: say what the entry really is.
                if code == ELOOP || code == ENOTDIR,
                    case .success(let info) = SystemCall.lstat(component, in: current.raw)
                {
                    throw InboxFileError(
                        .notAFolder(component: shown, InboxFileType(mode: info.st_mode)), path: display.displayName)
                }
                throw InboxFileError(.systemCall(name: "openat(\(shown))", errno: code), path: display.displayName)
            }
            current = FileDescriptor(taking: next)
        }
        return current
    }
}
