import BankdropCore
import Glibc
import Logging

/// Lists the candidate files of the inbox: at startup, and again whenever the watcher asks for a
/// rescan (``InboxEvent/rescan(_:)``).
public enum InboxScanner {
    /// Every entry under the inbox that might need importing, in path order.
    ///
    /// Walks all subfolders (`inbox/<account>/...`) but never follows a symbolic link, to a file or
    /// to a folder: a link is returned as an entry of type `.symlink`, like FIFOs, sockets and
    /// devices, so the service can move it to failed/ with a reason. Temporary names (dotfiles,
    /// `.part`, `.crdownload`, ...; see ``InboxFileName/isTemporary(_:)``), everything below a
    /// temporary folder, and the excluded folders (done/ and failed/ when inside the inbox) are left
    /// out. A subfolder that cannot be read is skipped and logged (warning); folders nested deeper
    /// than 32 levels are ignored.
    ///
    /// - Parameters:
    ///   - inbox: the inbox path.
    ///   - excluding: folders to leave out (done/, failed/); paths outside the inbox are ignored.
    ///   - logger: where skipped folders are reported.
    /// - Throws: `InboxFileError` when the inbox itself cannot be opened or listed.
    public static func scan(inbox: String, excluding: [String] = [], logger: Logger? = nil) throws(InboxFileError)
        -> [InboxFile]
    {
        let location = InboxLocation(inbox: inbox, excluding: excluding)
        let root = SystemCall.retrying { open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard root >= 0 else {
            throw InboxFileError(.systemCall(name: "open", errno: SystemCall.errno), path: inbox)
        }
        let descriptor = FileDescriptor(taking: root)
        var files: [InboxFile] = []
        var walker = DirectoryWalker(excluded: location.excludedFolders())
        walker.found = { files.append($0) }
        walker.skipped = { folder, error in
            logger?.warning(
                "Skipped an inbox folder that cannot be read",
                metadata: ["file.path": "\(folder.displayName)", "error.message": "\(error)"])
        }
        try walker.walk(root: descriptor.raw, from: nil)
        return files.sorted { $0.path < $1.path }
    }
}
