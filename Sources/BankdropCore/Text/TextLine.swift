/// How a physical line ended.
public enum LineTerminator: Sendable, Hashable {
    /// `\n` (Unix).
    case lineFeed
    /// `\r\n` (Windows).
    case carriageReturnLineFeed
    /// A lone `\r` (classic Mac OS, some bank exports).
    case carriageReturn
    /// The last line of a file that does not end with a line break.
    case endOfInput
}

/// One physical line of a text file, as UTF-8 bytes without its line break.
public struct TextLine: Sendable, Hashable {
    /// 1-based physical line number in the file.
    public var number: Int
    /// The line's UTF-8 bytes, without the terminator. Shares storage with the reader's buffer.
    public var bytes: ArraySlice<UInt8>
    /// How the line ended.
    public var terminator: LineTerminator

    /// Creates a line.
    public init(number: Int, bytes: ArraySlice<UInt8>, terminator: LineTerminator) {
        self.number = number
        self.bytes = bytes
        self.terminator = terminator
    }

    /// The line as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the line holds nothing but spaces and tabs.
    public var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
}
