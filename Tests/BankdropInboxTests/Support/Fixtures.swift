import Glibc
import Testing

/// Shared test data and helpers that need the kernel.
enum Fixtures {
    /// Names that must not break anything: newline, quotes, invalid UTF-8, 255 bytes.
    static let weirdNames: [[UInt8]] = [
        Array("two\nlines.csv".utf8),
        Array("say \"hi\" it's.csv".utf8),
        Array("bad".utf8) + [0xFF, 0xFE] + Array(".csv".utf8),
        [UInt8](repeating: UInt8(ascii: "n"), count: 251) + Array(".csv".utf8),
    ]

    /// The device number of /dev/null (major 1, minor 3), as glibc's `makedev` encodes it.
    static let devNull: dev_t = (1 << 8) | 3

    /// Whether this process may create device nodes (root with CAP_MKNOD).
    static let canMakeDevices: Bool = {
        let path = "/tmp/bankdrop-mknod-probe-\(getpid())"
        defer { unlink(path) }
        return mknod(path, S_IFCHR | 0o600, Fixtures.devNull) == 0
    }()

    /// Binds a Unix domain socket at `path` (left in place, its descriptor closed).
    static func makeSocket(_ path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(status == 0, "bind: errno \(errno)")
    }
}
