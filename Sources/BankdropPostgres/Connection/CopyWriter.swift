/// Encodes rows in PostgreSQL's COPY text format and hands them to libpq in large chunks.
///
/// Values are escaped byte-exactly: backslash, tab, newline and carriage return become `\\`, `\t`,
/// `\n` and `\r`, so text holding tabs, newlines, backslashes or a lone `\.` arrives unchanged;
/// nil is `\N` (NULL).
public struct CopyWriter {
    private var buffer: [UInt8] = []
    private let send: ([UInt8]) throws -> Void
    private var fieldsInRow = 0
    /// Rows completed so far.
    public private(set) var rowCount = 0

    // 256 KiB per PQputCopyData call: large enough that the per-call cost vanishes, small enough
    // that memory stays flat.
    private static let flushThreshold = 256 * 1024

    init(send: @escaping ([UInt8]) throws -> Void) {
        self.send = send
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends one field to the current row.
    public mutating func field(_ value: String?) {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        guard var text = value else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                default: buffer.append(byte)
                }
            }
        }
    }

    /// Appends a `bytea` field (hex format, `\x...`).
    public mutating func field(bytes: [UInt8]?) {
        guard let bytes else { return field(nil as String?) }
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        // In COPY text format the backslash of bytea's `\x` prefix must itself be escaped.
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "x"))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in bytes {
            buffer.append(hex[Int(byte >> 4)])
            buffer.append(hex[Int(byte & 0x0F)])
        }
    }

    /// Ends the current row; sends the buffer to the server when it is large.
    public mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        rowCount += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends a whole row of text fields.
    public mutating func row(_ fields: [String?]) throws {
        for value in fields { field(value) }
        try endRow()
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try send(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
