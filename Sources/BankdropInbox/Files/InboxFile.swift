import BankdropCore

/// An entry found in the inbox: where it is, what it is, and what it looked like then.
public struct InboxFile: Sendable, Hashable {
    /// The entry, relative to the inbox.
    public var path: InboxPath
    /// Its type; anything but `.regular` belongs in failed/ (the reason: ``InboxFileError/Reason/notRegularFile(_:)``).
    public var type: InboxFileType
    /// Size, modification time and identity (of the entry itself, never of a link's target).
    public var snapshot: FileSnapshot

    /// Creates an entry.
    public init(path: InboxPath, type: InboxFileType, snapshot: FileSnapshot) {
        self.path = path
        self.type = type
        self.snapshot = snapshot
    }
}
