/// Which file an entry is: its device and inode numbers (`st_dev`, `st_ino`).
///
/// Two names with the same identity are the same file; a name whose identity changed was
/// replaced by another file.
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    /// `st_dev`.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64

    /// Creates an identity from `st_dev` and `st_ino`.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// `device:inode`, as `stat` prints them.
    public var description: String { "\(device):\(inode)" }
}

/// A file modification time, as the file system stores it (`st_mtim`).
public struct FileTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since the Unix epoch.
    public var seconds: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public var nanoseconds: Int64

    /// Creates a timestamp from `tv_sec` and `tv_nsec`.
    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Earlier first.
    public static func < (lhs: FileTimestamp, rhs: FileTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}

/// What the agent compares to decide whether a file is still being written: size, modification
/// time and identity, taken from one `stat` of the file.
public struct FileSnapshot: Sendable, Hashable {
    /// Device and inode.
    public var identity: FileIdentity
    /// Size in bytes.
    public var size: Int64
    /// Last modification time.
    public var modified: FileTimestamp

    /// Creates a snapshot from the fields of one `stat`.
    public init(identity: FileIdentity, size: Int64, modified: FileTimestamp) {
        self.identity = identity
        self.size = size
        self.modified = modified
    }
}
