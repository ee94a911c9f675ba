/// The stable identity of one transaction row: 32 bytes, a SHA-256 digest.
///
/// Stored in the database as the row's unique key, so the bytes are a persistent format: see
/// `RowIdentityAssigner` for how they are derived.
public struct RowKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Four big-endian words rather than an array: no allocation per row, cheap hashing.
    private var w0: UInt64
    private var w1: UInt64
    private var w2: UInt64
    private var w3: UInt64

    /// Creates a key from exactly 32 bytes, or returns nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        self.init(digestBytes: bytes)
    }

    /// Creates a key from the first 32 bytes of a digest (SHA-256 has exactly 32).
    init(digestBytes: some Sequence<UInt8>) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (offset, byte) in digestBytes.prefix(32).enumerated() {
            switch offset / 8 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
        }
        self.init(words: words)
    }

    /// Creates a key from the memory of a digest of 32 bytes or more, without iterating it.
    init(digestMemory memory: UnsafeRawBufferPointer) {
        guard memory.count >= 32 else {
            self.init(digestBytes: memory)
            return
        }
        func word(_ offset: Int) -> UInt64 {
            UInt64(bigEndian: memory.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        self.init(words: (word(0), word(8), word(16), word(24)))
    }

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
    }

    /// Parses 64 hexadecimal digits (either case), or returns nil.
    public init?(hex: some StringProtocol) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for unit in hex.utf8 {
            let nibble: UInt8
            switch unit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = unit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = unit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = unit - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 bytes, most significant first (the digest's own order).
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return result
    }

    /// 64 lowercase hexadecimal digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(64)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The lowercase hexadecimal digits.
    public var description: String { hex }

    /// Byte-wise order, the same order PostgreSQL gives `bytea` values.
    public static func < (lhs: RowKey, rhs: RowKey) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
