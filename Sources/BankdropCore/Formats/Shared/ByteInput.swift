/// A buffered cursor over a ``ByteSource`` that hands out one byte at a time and counts lines.
///
/// Holds one chunk of the source at a time, so memory stays flat whatever the file size. Lines
/// end at LF, CRLF or a lone CR; ``line`` is the 1-based line of the next byte. A NUL byte is
/// refused: no statement format carries one, and text with NULs is binary or damaged (or UTF-16,
/// which no bank export this reads uses).
struct ByteInput<Source: ByteSource> {
    private var source: Source
    private var chunk: [UInt8] = []
    private var index = 0
    private var exhausted = false
    private var lastWasCR = false
    /// The 1-based line of the next byte.
    private(set) var line = 1

    init(_ source: Source) {
        self.source = source
    }

    /// The next byte without consuming it, or nil at the end of the input.
    @inline(__always)
    mutating func peek() throws(StatementError) -> UInt8? {
        if index < chunk.count { return chunk[index] }
        return try refill()
    }

    /// Consumes and returns the next byte, or nil at the end of the input.
    @inline(__always)
    mutating func next() throws(StatementError) -> UInt8? {
        guard let byte = try peek() else { return nil }
        index += 1
        switch byte {
        case 0x0A:
            if !lastWasCR { line += 1 }
            lastWasCR = false
        case 0x0D:
            line += 1
            lastWasCR = true
        case 0x00:
            throw StatementError(
                line: line, value: "\\0",
                message: "NUL byte: this is binary or damaged data (or UTF-16 text), not a statement file")
        default:
            lastWasCR = false
        }
        return byte
    }

    private mutating func refill() throws(StatementError) -> UInt8? {
        while !exhausted {
            let bytes: [UInt8]
            do {
                bytes = try source.read()
            } catch {
                throw StatementError(line: line, message: "cannot read the file: \(error)")
            }
            if bytes.isEmpty {
                exhausted = true
            } else {
                chunk = bytes
                index = 0
                return chunk[0]
            }
        }
        chunk = []
        index = 0
        return nil
    }
}
