import BankdropCore
import Glibc

/// Walks a folder tree under the inbox without following symbolic links: every folder is opened
/// relative to its parent with `O_NOFOLLOW | O_DIRECTORY`, every entry is `fstatat`-ed with
/// `AT_SYMLINK_NOFOLLOW`. Temporary names (and everything below a temporary folder) and excluded
/// folders are skipped. Used by ``InboxScanner`` and by the watcher (to watch new folders).
struct DirectoryWalker {
    /// Folders nested deeper than this are not visited (each level holds a descriptor open).
    static let maximumDepth = 32

    /// Which folders (relative to the inbox) to skip: done/ and failed/ when they are inside it.
    let excluded: [InboxPath]
    /// Called before a folder is listed (nil: the inbox itself); return false to skip it.
    var willList: (InboxPath?) -> Bool = { _ in true }
    /// Called for every entry that is not a folder, whatever its type.
    var found: (InboxFile) -> Void = { _ in }
    /// Called when a folder below the start cannot be opened or listed (it is then skipped).
    var skipped: (InboxPath, InboxFileError) -> Void = { _, _ in }

    /// Whether `path` is an excluded folder or lies below one.
    func isExcluded(_ path: InboxPath) -> Bool {
        excluded.contains { path.isWithin($0) }
    }

    /// Walks the folder `start` (nil: the inbox) of the inbox open at `root`.
    /// - Throws: `InboxFileError` when `start` itself cannot be opened or listed.
    func walk(root: Int32, from start: InboxPath?) throws(InboxFileError) {
        let folder: FileDescriptor
        if let start {
            folder = try InboxDirectory.openFolder(start.components, under: root, display: start)
        } else {
            let duplicate = fcntl(root, F_DUPFD_CLOEXEC, 0)
            guard duplicate >= 0 else {
                throw InboxFileError(.systemCall(name: "fcntl(F_DUPFD_CLOEXEC)", errno: SystemCall.errno), path: ".")
            }
            folder = FileDescriptor(taking: duplicate)
        }
        try visit(folder, at: start, depth: 0)
    }

    private func visit(_ folder: consuming FileDescriptor, at path: InboxPath?, depth: Int) throws(InboxFileError) {
        guard willList(path) else { return }
        let display = path?.displayName ?? "."
        let names = try Self.list(folder.raw, display: display)
        for name in names {
            guard !InboxFileName.isTemporary(bytes: name) else { continue }
            guard let child = path.map({ $0.appending(name) }) ?? InboxPath(bytes: name) else { continue }
            guard case .success(let info) = SystemCall.lstat(name, in: folder.raw) else { continue }  // gone meanwhile
            let type = InboxFileType(mode: info.st_mode)
            guard type == .directory else {
                found(InboxFile(path: child, type: type, snapshot: FileSnapshot(info)))
                continue
            }
            guard !isExcluded(child), depth + 1 < Self.maximumDepth else { continue }
            let raw = SystemCall.retrying {
                openat(folder.raw, name.cString, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard raw >= 0 else {
                let code = SystemCall.errno
                if code != ENOENT {
                    skipped(child, InboxFileError(.systemCall(name: "openat", errno: code), path: child.displayName))
                }
                continue
            }
            do throws(InboxFileError) {
                try visit(FileDescriptor(taking: raw), at: child, depth: depth + 1)
            } catch {
                skipped(child, error)
            }
        }
    }

    /// The names in an open folder, `.` and `..` left out. Reads through a duplicate descriptor,
    /// since `closedir` closes the one it was given.
    static func list(_ folder: Int32, display: String) throws(InboxFileError) -> [[UInt8]] {
        let duplicate = fcntl(folder, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0, let stream = fdopendir(duplicate) else {
            let code = SystemCall.errno
            if duplicate >= 0 { _ = close(duplicate) }
            throw InboxFileError(.systemCall(name: "fdopendir", errno: code), path: display)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                let code = errno
                guard code == 0 else { throw InboxFileError(.systemCall(name: "readdir", errno: code), path: display) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
    }
}
