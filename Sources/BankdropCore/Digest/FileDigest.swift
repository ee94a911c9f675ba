import Crypto

/// An incremental SHA-256, fed chunk by chunk while a file streams (file-level deduplication,
/// migration checksums).
public struct FileDigest {
    private var hasher = SHA256()
    /// Bytes fed so far.
    public private(set) var byteCount = 0

    public init() {}

    /// Feeds the next chunk.
    public mutating func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
        byteCount += bytes.count
    }

    /// The 32-byte digest of everything fed.
    public func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// SHA-256 of `bytes` in one call.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
