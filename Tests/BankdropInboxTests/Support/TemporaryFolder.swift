import BankdropCore
import Glibc
import Testing

/// A fresh folder under /tmp, removed (with everything in it) when the test is done.
final class TemporaryFolder {
    let path: String

    init(_ label: String = "bankdrop") throws {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: try #require(created))
    }

    deinit {
        Self.removeTree(path)
    }

    /// `path/relative`.
    func url(_ relative: String) -> String { path + "/" + relative }

    /// Recursively removes a tree without following links (`rm -rf`), by raw bytes so that names
    /// that are not valid UTF-8 go too.
    static func removeTree(_ path: String) {
        removeTree(bytes: Array(path.utf8))
    }

    static func removeTree(bytes path: [UInt8]) {
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        var info = stat()
        guard lstat(cPath, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlink(cPath)
            return
        }
        chmod(cPath, 0o755)
        for name in Disk.names(bytes: path) { removeTree(bytes: path + [47] + name) }
        rmdir(cPath)
    }
}

/// File helpers for tests: plain POSIX calls, byte names allowed.
enum Disk {
    static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        try write(Array(path.utf8), Array(text.utf8), mode: mode)
    }

    static func write(_ path: [UInt8], _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let fd = open(path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        try #require(fd >= 0, "open \(String(decoding: path, as: UTF8.self)): errno \(errno)")
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
    }

    static func read(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0, "open \(path): errno \(errno)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func mkdir(_ path: String) throws {
        try #require(Glibc.mkdir(path, 0o755) == 0, "mkdir \(path): errno \(errno)")
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func exists(bytes path: [UInt8]) -> Bool {
        var info = stat()
        return lstat(path.map { CChar(bitPattern: $0) } + [0], &info) == 0
    }

    static func rename(_ from: String, _ to: String) throws {
        try #require(Glibc.rename(from, to) == 0, "rename \(from) -> \(to): errno \(errno)")
    }

    static func symlink(_ target: String, _ path: String) throws {
        try #require(Glibc.symlink(target, path) == 0, "symlink \(path): errno \(errno)")
    }

    /// The names in a folder, as raw bytes, sorted.
    static func names(_ path: String) -> [[UInt8]] {
        names(bytes: Array(path.utf8))
    }

    static func names(bytes path: [UInt8]) -> [[UInt8]] {
        guard let stream = opendir(path.map { CChar(bitPattern: $0) } + [0]) else { return [] }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [46] && name != [46, 46] { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
