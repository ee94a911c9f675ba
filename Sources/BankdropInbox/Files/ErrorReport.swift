import BankdropCore
import Glibc

/// The `failed/<name>.error.txt` file written beside a file that could not be imported.
struct ErrorReport {
    /// Where the file was in the inbox.
    var original: InboxPath
    /// Where it is now.
    var finalPath: String
    /// Why it failed (the parse error with its line and field, or the refusal).
    var reason: String
    /// When it failed.
    var time = timespec()

    init(original: InboxPath, finalPath: String, reason: String) {
        self.original = original
        self.finalPath = finalPath
        self.reason = reason
        clock_gettime(CLOCK_REALTIME, &time)
    }

    /// The report's text.
    var text: String {
        """
        bankdrop could not import this file.

        File:   \(original.displayName) (in the inbox)
        Now:    \(finalPath)
        Failed: \(Self.utc(time.tv_sec))

        Reason:
        \(reason)

        Fix the file and drop it into the inbox again, or delete it.

        """
    }

    /// Writes the report as `name` in `folder`, atomically.
    ///
    /// The report is written under a temporary dotfile name in the same folder, flushed with
    /// `fsync`, renamed over the final name, and the folder is flushed too. Why: a crash or power
    /// cut in the middle must leave either no report or the whole report, never a half-written
    /// one or an empty file under the final name (`rename` is atomic; without the first `fsync`
    /// the rename can reach the disk before the data does, and without the folder `fsync` the
    /// rename itself can be lost). The temporary name is a dotfile so the watcher ignores it.
    func write(named name: [UInt8], in folder: Int32, display: String) throws(InboxFileError) {
        let temporary = Array(".bankdrop-report-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp".utf8)
        let raw = SystemCall.retrying {
            openat(folder, temporary.cString, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
        }
        guard raw >= 0 else {
            throw InboxFileError(.systemCall(name: "openat", errno: SystemCall.errno), path: display)
        }
        do throws(InboxFileError) {
            let file = FileDescriptor(taking: raw)
            try Self.writeAll(Array(text.utf8), to: file.raw, display: display)
            guard fsync(file.raw) == 0 else {
                throw InboxFileError(.systemCall(name: "fsync", errno: SystemCall.errno), path: display)
            }
            guard renameat(folder, temporary.cString, folder, name.cString) == 0 else {
                throw InboxFileError(.systemCall(name: "renameat", errno: SystemCall.errno), path: display)
            }
        } catch {
            _ = unlinkat(folder, temporary.cString, 0)
            throw error
        }
        _ = fsync(folder)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, display: String) throws(InboxFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                SystemCall.retrying { Glibc.write(descriptor, buffer.baseAddress, buffer.count) }
            }
            guard written > 0 else {
                throw InboxFileError(.systemCall(name: "write", errno: SystemCall.errno), path: display)
            }
            offset += written
        }
    }

    /// `2025-01-31T12:00:00Z`.
    static func utc(_ seconds: time_t) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
