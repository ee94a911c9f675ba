import BankdropCore
import BankdropInbox

/// A file under an inbox-like folder, read without following links or blocking on FIFOs.
///
/// Each `open()` opens the file anew (the hash pass, then the load pass) and checks it is still
/// the same file, unchanged: a file replaced or rewritten between passes fails transiently and
/// is retried, so its hash always matches the rows loaded.
public struct InboxImportSource: ImportSource {
    public let inbox: InboxDirectory
    public let path: InboxPath
    /// What the first open saw; later opens must see the same.
    public let snapshot: FileSnapshot

    /// Opens the file once to check it is a regular file and note its identity.
    /// - Throws: `InboxFileError` (not a regular file, gone, permission).
    public init(inbox: InboxDirectory, path: InboxPath) throws {
        self.inbox = inbox
        self.path = path
        let file = try SafeFile.open(path, in: inbox)
        self.snapshot = file.snapshot
        file.close()
    }

    public var fileName: String { InboxFileName.displayName(path.name) }
    public var displayName: String { path.displayName }

    /// `inbox/<account>/file` names the account; deeper folders name it by their first component.
    public var folderAccount: String? {
        path.components.count > 1 ? path.components.first.map { InboxFileName.displayName($0) } : nil
    }

    public func open() throws -> any ByteSource {
        let file = try SafeFile.open(path, in: inbox)
        guard file.snapshot == snapshot else {
            throw FileChangedError(file: displayName)
        }
        return file.bytes()
    }

    /// Throws `FileChangedError` when the file at `path` is no longer the one first opened: another
    /// file, another size or another modification time (an in-place rewrite keeps the inode).
    public func checkUnchanged() throws {
        guard try inbox.inspect(path)?.snapshot == snapshot else {
            throw FileChangedError(file: displayName)
        }
    }
}

/// The file changed between two reads of one import: try again once it has settled.
public struct FileChangedError: Error, CustomStringConvertible {
    public var file: String
    public var description: String { "\(file) changed while it was being imported; it will be imported once it stops changing" }
}
