import BankdropCore
import BankdropInbox
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension StatusReport {
    /// The inbox part: the files waiting in the inbox (as the agent's own scanner sees them: no
    /// temporary names, nothing under done/ or failed/), and the files in failed/ with the reason
    /// from each `.error.txt`.
    static func inboxPart(context: AgentContext, options: Options) -> Inbox {
        let inboxPath = context.inboxDirectory.path
        var inbox = Inbox(path: inboxPath, failedDirectory: context.failedDirectory.path)

        do {
            let files = try InboxScanner.scan(
                inbox: inboxPath, excluding: [context.doneDirectory.path, context.failedDirectory.path])
            inbox.waitingCount = files.count
            inbox.waiting = files.sorted { $0.snapshot.modified < $1.snapshot.modified }.prefix(options.listLimit).map {
                Inbox.Waiting(
                    path: $0.path.displayName, type: $0.type.rawValue, size: $0.snapshot.size,
                    modifiedAt: date($0.snapshot.modified))
            }
        } catch {
            inbox.couldNotFindOut.append(
                error.isNotFound ? "the inbox \(inboxPath) does not exist" : "cannot list the inbox: \(error)")
        }

        switch failedFiles(in: inbox.failedDirectory) {
        case .success(let failed):
            inbox.failedCount = failed.count
            inbox.failed = Array(
                failed.sorted { ($0.failedAt ?? .distantPast) > ($1.failedAt ?? .distantPast) }.prefix(
                    options.listLimit))
        case .failure(let failure) where failure.code == ENOENT:
            // No failed/ yet: nothing ever failed.
            inbox.failedCount = 0
        case .failure(let failure):
            inbox.couldNotFindOut.append("cannot list \(inbox.failedDirectory): \(errorMessage(failure.code))")
        }
        return inbox
    }

    /// The files in `folder` (not its reports, not dotfiles), each with the first line of the
    /// reason in its report.
    static func failedFiles(in folder: String) -> Result<[Inbox.Failed], SystemCallFailure> {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(SystemCallFailure(code: errno)) }
        // fdopendir owns the descriptor from here on; closedir closes both.
        guard let stream = fdopendir(descriptor) else {
            let code = errno
            close(descriptor)
            return .failure(SystemCallFailure(code: code))
        }
        defer { closedir(stream) }

        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let first = name.first, first != UInt8(ascii: ".") else { continue }
            if name.count >= InboxFileName.errorReportSuffix.count,
                Array(name.suffix(InboxFileName.errorReportSuffix.count)) == InboxFileName.errorReportSuffix
            {
                continue
            }
            names.append(name)
        }

        let folderDescriptor = dirfd(stream)
        return .success(
            names.map { name in
                let reportName = InboxFileName.errorReportName(for: name)
                var reason: String?
                if case .success(let bytes) = readPrefix(of: reportName, in: folderDescriptor, limit: 64 * 1024) {
                    reason = reasonLine(String(decoding: bytes, as: UTF8.self))
                }
                let failedAt =
                    modificationDate(reportName, in: folderDescriptor) ?? modificationDate(name, in: folderDescriptor)
                return Inbox.Failed(name: InboxFileName.displayName(name), reason: reason, failedAt: failedAt)
            })
    }

    /// The reason in an error report: the first non-empty line after `Reason:`, else the report's
    /// first non-empty line.
    static func reasonLine(_ report: String) -> String? {
        let lines = report.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        if let marker = lines.firstIndex(where: { $0.hasPrefix("Reason:") }) {
            let inline = lines[marker].dropFirst("Reason:".count).trimmingCharacters(in: .whitespaces)
            if !inline.isEmpty { return printable(inline) }
            if let line = lines[(marker + 1)...].first(where: { !$0.isEmpty }) { return printable(line) }
        }
        return lines.first { !$0.isEmpty }.map(printable)
    }

    /// The modification time of `name` in `folder`, without following a link.
    private static func modificationDate(_ name: [UInt8], in folder: Int32) -> Date? {
        var info = stat()
        guard fstatat(folder, cString(name), &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return date(FileTimestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec)))
    }

    private static func date(_ timestamp: FileTimestamp) -> Date {
        Date(timeIntervalSince1970: TimeInterval(timestamp.seconds) + TimeInterval(timestamp.nanoseconds) / 1e9)
    }
}
