import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `AF_UNIX` datagram socket bound to a path or an abstract name: plays systemd's side of
/// `$NOTIFY_SOCKET` in tests.
final class DatagramSocket {
    let descriptor: Int32
    /// The address as `$NOTIFY_SOCKET` spells it: the path, or `@name`.
    let address: String
    private let folder: String?

    /// Binds a socket at `<fresh temp folder>/notify`.
    static func bound() throws -> DatagramSocket {
        var template = Array("/tmp/bankdrop-notify-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let folder = String(cString: try #require(created))
        return try DatagramSocket(address: folder + "/notify", folder: folder)
    }

    /// Binds a socket to an abstract name (`@bankdrop-test-<random>`).
    static func abstract() throws -> DatagramSocket {
        try DatagramSocket(address: "@bankdrop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))", folder: nil)
    }

    private init(address: String, folder: String?) throws {
        self.address = address
        self.folder = folder
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(descriptor >= 0)
        // Never hang a test: give up on a receive after two seconds.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0, "bind \(address): errno \(errno)")
    }

    deinit {
        close(descriptor)
        if let folder {
            unlink(folder + "/notify")
            rmdir(folder)
        }
    }

    /// The next datagram as text, or nil after two seconds without one.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// Whether a datagram is waiting (without waiting for one).
    func hasPending() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1)
        return buffer.withUnsafeMutableBytes {
            recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        } >= 0
    }
}
