import BankdropCore
import Glibc

/// Where a file goes once the service is done with it.
public enum InboxDestination: Sendable, Hashable {
    /// Imported (or a duplicate): `done/YYYY/MM/`.
    case done(year: Int, month: Int)
    /// Not importable: `failed/`, with `failed/<name>.error.txt` saying why.
    case failed(reason: String)
}

/// Where a file ended up.
public struct InboxMove: Sendable, Hashable {
    /// The destination folder, as configured plus `YYYY/MM` for done/.
    public var folder: String
    /// The file's name there: the original name, or `name (2).ext`, `name (3).ext`, ... when that
    /// was taken.
    public var name: [UInt8]
    /// The name of the error report beside it, for failed/.
    public var errorReportName: [UInt8]?

    /// Creates a result.
    public init(folder: String, name: [UInt8], errorReportName: [UInt8]? = nil) {
        self.folder = folder
        self.name = name
        self.errorReportName = errorReportName
    }

    /// `folder/name`, safe for logs and `--status`.
    public var displayPath: String {
        folder + "/" + InboxFileName.displayName(name)
    }
}

/// Moves files out of the inbox into done/ or failed/ without ever overwriting anything.
///
/// Each move is one `renameat2(..., RENAME_NOREPLACE)`: atomic, and refused by the kernel when the
/// name is taken, in which case the next numbered name is tried (`name (2).ext`, ...; shortened to
/// stay within 255 bytes). Where the file system does not support `RENAME_NOREPLACE` (EINVAL) or
/// the C library lacks `renameat2` (ENOSYS), `link` + `unlink` gives the same no-overwrite
/// guarantee. done/ and failed/ must be on the same file system as the inbox (EXDEV otherwise).
/// Folders are created as needed with mode 0750; `YYYY` and `MM` are opened without following
/// links.
public struct InboxMover: Sendable {
    /// The inbox the files come from.
    public let inbox: InboxDirectory
    /// The done/ folder path.
    public let done: String
    /// The failed/ folder path.
    public let failed: String

    /// The most numbered names tried before giving up.
    static let maximumAttempts = 10_000

    /// Creates a mover.
    /// - Parameters:
    ///   - inbox: the open inbox.
    ///   - done: the done/ folder (created when missing).
    ///   - failed: the failed/ folder (created when missing).
    public init(inbox: InboxDirectory, done: String, failed: String) {
        self.inbox = inbox
        self.done = done
        self.failed = failed
    }

    /// Moves the entry at `path` (any type: a symlink or FIFO moves as itself, unopened).
    ///
    /// For `.failed(reason:)`, also writes `failed/<final name>.error.txt` atomically (a shortened,
    /// hashed name when that would exceed 255 bytes; see ``InboxFileName/errorReportName(for:)``).
    /// The file is moved first, then the report is written: a crash in between leaves the file in
    /// failed/ without a report, never a report for a file still in the inbox.
    ///
    /// - Parameters:
    ///   - path: the entry, relative to the inbox.
    ///   - destination: done/ for a month, or failed/ with a reason.
    ///   - identity: when given, the move happens only if the entry is still that file (see
    ///     ``SafeFile/identity``): a file replaced since it was read stays in the inbox.
    /// - Returns: the folder and final name.
    /// - Throws: `InboxFileError`: `.replaced`, `.invalidPath` (month outside 1...12, year outside
    ///   1...9999), `.notAFolder` (a symlinked folder on the way), `.systemCall` with the errno.
    @discardableResult
    public func move(
        _ path: InboxPath, to destination: InboxDestination, expecting identity: FileIdentity? = nil
    ) throws(InboxFileError) -> InboxMove {
        let source = try inbox.openFolder(of: path)
        let name = path.name
        if let identity {
            switch SystemCall.lstat(name, in: source.raw) {
            case .success(let info):
                guard FileSnapshot(info).identity == identity else {
                    throw InboxFileError(.replaced, path: path.displayName)
                }
            case .failure(let error):
                throw InboxFileError(.systemCall(name: "fstatat", errno: error.code), path: path.displayName)
            }
        }

        let folderPath = folderPath(of: destination)
        let target = try openDestination(destination)
        let finalName = try place(name, from: source.raw, into: target.raw, display: path)
        // The rename is durable only once both folders are on disk; without this a power cut could
        // bring the file back into the inbox (harmless: the file hash makes it a duplicate) or lose
        // its new name.
        _ = fsync(target.raw)
        _ = fsync(source.raw)

        guard case .failed(let reason) = destination else {
            return InboxMove(folder: folderPath, name: finalName)
        }
        let reportName = InboxFileName.errorReportName(for: finalName)
        let report = ErrorReport(
            original: path, finalPath: folderPath + "/" + InboxFileName.displayName(finalName), reason: reason)
        try report.write(named: reportName, in: target.raw, display: folderPath)
        return InboxMove(folder: folderPath, name: finalName, errorReportName: reportName)
    }

    /// Creates (as needed) and opens the destination folder; returns it with its path.
    private func openDestination(_ destination: InboxDestination) throws(InboxFileError) -> FileDescriptor {
        switch destination {
        case .failed:
            return try Self.openCreating(failed)
        case .done(let year, let month):
            guard (1...9999).contains(year), (1...12).contains(month) else {
                throw InboxFileError(.invalidPath, path: "\(done)/\(year)/\(month)")
            }
            var folder = try Self.openCreating(done)
            var folderPath = done
            for component in [Self.padded(year, 4), Self.padded(month, 2)] {
                folderPath += "/" + component
                folder = try Self.openChild(Array(component.utf8), of: folder.raw, display: folderPath)
            }
            return folder
        }
    }

    /// The destination folder's path, for display and results.
    private func folderPath(of destination: InboxDestination) -> String {
        switch destination {
        case .failed: failed
        case .done(let year, let month): "\(done)/\(Self.padded(year, 4))/\(Self.padded(month, 2))"
        }
    }

    /// Renames `name` into `target` under the first free numbered name.
    private func place(
        _ name: [UInt8], from source: Int32, into target: Int32, display: InboxPath
    ) throws(InboxFileError) -> [UInt8] {
        for number in 1...Self.maximumAttempts {
            let candidate = InboxFileName.numbered(name, number)
            switch Self.renameWithoutReplacing(name, in: source, to: candidate, in: target) {
            case .success: return candidate
            case .failure(let error) where error.code == EEXIST: continue
            case .failure(let error):
                throw InboxFileError(.systemCall(name: "renameat2", errno: error.code), path: display.displayName)
            }
        }
        throw InboxFileError(.noFreeName, path: display.displayName)
    }

    /// `renameat2(RENAME_NOREPLACE)`, or `linkat` + `unlinkat` where that is not supported.
    /// - Parameter tryingRenameat2: false goes straight to the fallback (tests).
    static func renameWithoutReplacing(
        _ name: [UInt8], in source: Int32, to newName: [UInt8], in target: Int32, tryingRenameat2: Bool = true
    ) -> Result<Void, Errno> {
        if tryingRenameat2 {
            let status = SystemCall.retrying {
                renameat2(source, name.cString, target, newName.cString, renameNoReplace)
            }
            if status == 0 { return .success(()) }
            let code = SystemCall.errno
            guard code == EINVAL || code == ENOSYS else { return .failure(Errno(code: code)) }
        }
        // link(2) fails with EEXIST instead of replacing: the same guarantee, in two steps.
        guard SystemCall.retrying({ linkat(source, name.cString, target, newName.cString, 0) }) == 0 else {
            return .failure(Errno(code: SystemCall.errno))
        }
        guard SystemCall.retrying({ unlinkat(source, name.cString, 0) }) == 0 else {
            return .failure(Errno(code: SystemCall.errno))
        }
        return .success(())
    }

    /// `RENAME_NOREPLACE` from `<linux/fs.h>` (part of the kernel ABI).
    static let renameNoReplace: UInt32 = 1

    /// Calls glibc's `renameat2`, which Swift's Glibc module does not declare (it is behind
    /// `_GNU_SOURCE`): found with `dlsym`; ENOSYS when this C library has none.
    static func renameat2(
        _ oldDirectory: Int32, _ oldName: [CChar], _ newDirectory: Int32, _ newName: [CChar], _ flags: UInt32
    ) -> Int32 {
        typealias Function = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let library = dlopen(nil, RTLD_NOW) else {
            errno = ENOSYS
            return -1
        }
        defer { dlclose(library) }
        guard let symbol = dlsym(library, "renameat2") else {
            errno = ENOSYS
            return -1
        }
        let function = unsafeBitCast(symbol, to: Function.self)
        return function(oldDirectory, oldName, newDirectory, newName, flags)
    }

    /// Opens a configured folder, creating it and its missing parents (0750). The configured path
    /// itself may go through symlinks: it is configuration, not inbox content.
    static func openCreating(_ path: String) throws(InboxFileError) -> FileDescriptor {
        let absolute = InboxLocation.absolute(Array(path.utf8))
        var prefix: [UInt8] = []
        for component in absolute.split(separator: UInt8(ascii: "/")) {
            prefix += [UInt8(ascii: "/")] + component
            if mkdir(prefix.cString, 0o750) != 0 && SystemCall.errno != EEXIST {
                throw InboxFileError(.systemCall(name: "mkdir", errno: SystemCall.errno), path: path)
            }
        }
        let raw = SystemCall.retrying { open(absolute.cString, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard raw >= 0 else {
            throw InboxFileError(.systemCall(name: "open", errno: SystemCall.errno), path: path)
        }
        return FileDescriptor(taking: raw)
    }

    /// Opens (creating it, 0750) the folder `name` in `parent`, refusing a symlink.
    static func openChild(_ name: [UInt8], of parent: Int32, display: String) throws(InboxFileError) -> FileDescriptor {
        if mkdirat(parent, name.cString, 0o750) != 0 && SystemCall.errno != EEXIST {
            throw InboxFileError(.systemCall(name: "mkdirat", errno: SystemCall.errno), path: display)
        }
        let raw = SystemCall.retrying { openat(parent, name.cString, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard raw >= 0 else {
            let code = SystemCall.errno
            if code == ELOOP || code == ENOTDIR, case .success(let info) = SystemCall.lstat(name, in: parent) {
                throw InboxFileError(
                    .notAFolder(component: display, InboxFileType(mode: info.st_mode)), path: display)
            }
            throw InboxFileError(.systemCall(name: "openat", errno: code), path: display)
        }
        return FileDescriptor(taking: raw)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
