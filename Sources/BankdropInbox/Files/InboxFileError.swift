import Glibc

/// Why a file operation in the inbox, done/ or failed/ did not happen. Keeps the errno.
///
/// What is *not* an error: a file that vanished before it could be looked at is reported as nil
/// by ``InboxDirectory/inspect(_:)`` and ``InboxScanner``; a name clash in done/ or failed/ is
/// resolved by numbering (`name (2).ext`).
public struct InboxFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The entry is not a regular file (a symlink, FIFO, socket, device or directory).
        case notRegularFile(InboxFileType)
        /// A folder on the way to the entry is not a real folder (typically a symlink).
        case notAFolder(component: String, InboxFileType)
        /// The path is not a clean relative path, or a destination (year, month) is out of range.
        case invalidPath
        /// The file at the path is no longer the one expected (it was replaced after it was read).
        case replaced
        /// No free name was found in the destination folder.
        case noFreeName
        /// A system call failed.
        case systemCall(name: String, errno: Int32)
    }

    /// What went wrong.
    public var reason: Reason
    /// The path concerned, made safe for display.
    public var path: String

    /// Creates an error.
    public init(_ reason: Reason, path: String) {
        self.reason = reason
        self.path = path
    }

    /// The underlying errno, when a system call failed.
    public var errno: Int32? {
        if case .systemCall(_, let code) = reason { return code }
        return nil
    }

    /// Whether the entry (or a folder on its way) does not exist (ENOENT).
    public var isNotFound: Bool { errno == ENOENT }

    /// What failed, why, and what to do.
    public var description: String {
        switch reason {
        case .notRegularFile(let type):
            "Refused \(path): it is \(type), not a regular file (bankdrop never follows links nor reads "
                + "pipes, sockets or devices; move it to failed/ or replace it with a regular file)"
        case .notAFolder(let component, let type):
            "Refused \(path): \(component) is \(type), not a folder (bankdrop never follows links out of the inbox)"
        case .invalidPath:
            "Invalid path \(path): it must be relative to its folder, without empty, '.' or '..' components"
        case .replaced:
            "\(path) was replaced by another file after it was read; left in place so the new file is imported too"
        case .noFreeName:
            "No free name for \(path) in the destination folder after 10000 tries; clean up the folder"
        case .systemCall(let name, let code):
            "\(name) failed for \(path): \(SystemCall.message(for: code)) (errno \(code))"
        }
    }
}
