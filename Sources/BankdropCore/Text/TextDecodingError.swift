/// Why bytes could not be turned into text: an invalid sequence for the encoding, or a failed read.
///
/// Carries the offset of the first offending byte in the input and those bytes (at most a few),
/// never the surrounding text.
public struct TextDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based offset of the first offending byte in the input (after nothing was skipped).
    public var byteOffset: Int
    /// The offending bytes (at most 4), empty when the source failed.
    public var bytes: [UInt8]
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(byteOffset: Int, bytes: [UInt8], message: String) {
        self.byteOffset = byteOffset
        self.bytes = Array(bytes.prefix(4))
        self.message = message
    }

    /// The offending bytes as hex, e.g. `0xC3 0x28`.
    public var hexBytes: String {
        bytes.map { byte in
            let digits = Array("0123456789ABCDEF")
            return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }.joined(separator: " ")
    }

    public var description: String {
        bytes.isEmpty
            ? "\(message) (byte offset \(byteOffset))" : "\(message): \(hexBytes) at byte offset \(byteOffset)"
    }
}
