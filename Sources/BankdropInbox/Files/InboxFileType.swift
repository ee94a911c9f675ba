import Glibc

/// What kind of entry a name in the inbox is. Only regular files are ever read; anything else
/// found in the inbox goes to failed/ with a reason that names its type.
public enum InboxFileType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A regular file: the only kind bankdrop reads.
    case regular
    /// A folder.
    case directory
    /// A symbolic link (never followed, whatever it points to).
    case symlink
    /// A named pipe: opening it to read could block forever.
    case fifo
    /// A Unix domain socket.
    case socket
    /// A character device (`/dev/zero` style: reading it never ends).
    case characterDevice
    /// A block device.
    case blockDevice
    /// Anything else the kernel reports.
    case unknown

    /// The type of a `st_mode`.
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// A short English name with its article: "a symlink", "a FIFO (named pipe)".
    public var description: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symlink: "a symlink"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .unknown: "a file of unknown type"
        }
    }
}
