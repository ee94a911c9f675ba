/// Splits decoded text into physical lines, numbering them from 1.
///
/// A line ends at `\n`, `\r\n` or a lone `\r`; the last line needs no terminator, and a final
/// terminator does not start an empty extra line. Memory holds the current line and one chunk.
public struct LineReader {
    /// The longest line accepted by default (16 MiB); a longer one is an error, not a memory spike.
    public static let defaultMaximumLineLength = 16 * 1024 * 1024

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private var decoder: TextDecoder
    private let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    private var lineNumber = 0

    /// - Parameters:
    ///   - source: the raw bytes.
    ///   - encoding: the encoding to use instead of detecting one (see `TextDecoder`).
    ///   - maximumLineLength: the longest line in bytes that is accepted.
    public init(
        source: some ByteSource, encoding: TextEncoding? = nil,
        maximumLineLength: Int = LineReader.defaultMaximumLineLength
    ) {
        self.init(decoder: TextDecoder(source: source, encoding: encoding), maximumLineLength: maximumLineLength)
    }

    /// Reads the lines of an already configured decoder.
    public init(decoder: TextDecoder, maximumLineLength: Int = LineReader.defaultMaximumLineLength) {
        self.decoder = decoder
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// The encoding of the input, once known (see `TextDecoder.encoding`).
    public var encoding: TextEncoding? { decoder.encoding }

    /// Whether the input started with a byte order mark.
    public var hadByteOrderMark: Bool { decoder.hadByteOrderMark }

    /// The number of the last line returned (0 before the first).
    public var currentLineNumber: Int { lineNumber }

    /// The next line, or nil at the end of the input.
    /// - Throws: `StatementError` naming the line for bytes that are not text in the file's
    ///   encoding, a line longer than the maximum, or a failed read.
    public mutating func next() throws(StatementError) -> TextLine? {
        var scanFrom = position
        while true {
            if let breakIndex = findBreak(from: scanFrom) {
                let terminator: LineTerminator
                if buffer[breakIndex] == Self.lineFeed {
                    terminator = .lineFeed
                } else if breakIndex + 1 < buffer.count {
                    terminator = buffer[breakIndex + 1] == Self.lineFeed ? .carriageReturnLineFeed : .carriageReturn
                } else if ended {
                    terminator = .carriageReturn
                } else {
                    // A `\r` at the end of the buffer: the next byte says whether it is `\r\n`.
                    let consumed = position
                    try refill(errorLine: lineNumber + 2)
                    scanFrom = breakIndex - consumed
                    continue
                }
                let line = TextLine(
                    number: lineNumber + 1, bytes: buffer[position..<breakIndex], terminator: terminator)
                position = breakIndex + (terminator == .carriageReturnLineFeed ? 2 : 1)
                lineNumber += 1
                return line
            }
            if ended {
                guard position < buffer.count else { return nil }
                let line = TextLine(number: lineNumber + 1, bytes: buffer[position...], terminator: .endOfInput)
                position = buffer.count
                lineNumber += 1
                return line
            }
            if buffer.count - position > maximumLineLength {
                throw StatementError(
                    line: lineNumber + 1,
                    message: "the line is longer than \(maximumLineLength) bytes; is this really a text export?")
            }
            let consumed = position
            let scanned = buffer.count
            try refill(errorLine: lineNumber + 1)
            scanFrom = scanned - consumed
        }
    }

    private func findBreak(from start: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.lineFeed || byte == Self.carriageReturn { return index }
                index += 1
            }
            return nil
        }
    }

    /// Appends the next decoded chunk after the unread rest of the buffer (moved to the front).
    private mutating func refill(errorLine: Int) throws(StatementError) {
        let chunk: [UInt8]
        do {
            chunk = try decoder.read()
        } catch {
            throw StatementError(
                line: errorLine, value: error.bytes.isEmpty ? nil : error.hexBytes,
                message: "\(error.message) (byte offset \(error.byteOffset))")
        }
        if chunk.isEmpty {
            ended = true
        }
        if position == buffer.count {
            buffer = chunk
        } else {
            var joined: [UInt8] = []
            joined.reserveCapacity(buffer.count - position + chunk.count)
            joined.append(contentsOf: buffer[position...])
            joined.append(contentsOf: chunk)
            buffer = joined
        }
        position = 0
    }
}
