import BankdropCore
import Glibc

/// Where the inbox is, and which of its folders to leave alone (done/ and failed/ when they are
/// configured inside it).
///
/// Exclusions are matched by relative path, both as written (made absolute and cleaned of `.` and
/// `..` without touching the disk, so a done/ folder that does not exist yet still counts) and as
/// resolved by `realpath` when both exist (so `inbox -> /data/inbox` with done at
/// `/data/inbox/done` matches too).
struct InboxLocation: Sendable {
    /// The inbox as an absolute, cleaned path (no trailing slash unless it is `/`).
    let path: [UInt8]
    /// The excluded folders as given, absolute and cleaned.
    let exclusions: [[UInt8]]

    init(inbox: String, excluding: [String]) {
        path = Self.absolute(Array(inbox.utf8))
        exclusions = excluding.map { Self.absolute(Array($0.utf8)) }
    }

    /// The inbox path followed by a slash: the prefix of every watched path.
    var pathWithSlash: [UInt8] {
        path.last == UInt8(ascii: "/") ? path : path + [UInt8(ascii: "/")]
    }

    /// The excluded folders that lie inside the inbox, relative to it.
    func excludedFolders() -> [InboxPath] {
        var result: [InboxPath] = []
        let resolvedInbox = Self.realPath(path)
        for exclusion in exclusions {
            if let relative = Self.relative(exclusion, to: path) { result.append(relative) }
            if let resolvedInbox, let resolved = Self.realPath(exclusion),
                let relative = Self.relative(resolved, to: resolvedInbox)
            {
                result.append(relative)
            }
        }
        return Array(Set(result)).sorted()
    }

    /// `path` relative to `base` when it lies strictly below it.
    static func relative(_ path: [UInt8], to base: [UInt8]) -> InboxPath? {
        let prefix = base.last == UInt8(ascii: "/") ? base : base + [UInt8(ascii: "/")]
        guard path.count > prefix.count, path.starts(with: prefix) else { return nil }
        return InboxPath(bytes: path[prefix.count...])
    }

    /// `path` made absolute (against the working directory) and cleaned of empty, `.` and `..`
    /// components, without looking at the disk.
    static func absolute(_ path: [UInt8]) -> [UInt8] {
        let slash = UInt8(ascii: "/")
        var full = path
        if path.first != slash {
            full = currentDirectory() + [slash] + path
        }
        var stack: [ArraySlice<UInt8>] = []
        for component in full.split(separator: slash) {
            if component.elementsEqual([UInt8(ascii: ".")]) { continue }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                _ = stack.popLast()
                continue
            }
            stack.append(component)
        }
        return stack.isEmpty ? [slash] : Array(stack.map { [slash] + $0 }.joined())
    }

    /// `realpath(path)`, or nil when it does not exist.
    static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let resolved = realpath(path.cString, nil) else { return nil }
        defer { free(resolved) }
        return Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
    }

    private static func currentDirectory() -> [UInt8] {
        guard let directory = getcwd(nil, 0) else { return [] }
        defer { free(directory) }
        return Array(UnsafeRawBufferPointer(start: directory, count: strlen(directory)))
    }
}
