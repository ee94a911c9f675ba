/// Turns the bytes of a bank export, in whatever encoding it was written, into well-formed UTF-8.
///
/// It is itself a `ByteSource`: each `read()` pulls from the wrapped source and returns the next
/// chunk of UTF-8 (empty at the end). ASCII delimiters, quotes and line breaks keep their byte
/// values, so readers can scan the output byte by byte.
///
/// Detection, unless an encoding is named:
/// 1. A byte order mark wins: `EF BB BF` UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE (the mark is dropped).
/// 2. Otherwise ASCII passes through until the first byte above `0x7F`. From there a window of
///    `decisionWindow` bytes (or the rest of the file) is checked: well-formed UTF-8 means UTF-8,
///    anything else means Windows-1252 (which decodes every byte, ISO-8859-1 included). The window
///    is the same whatever the source's chunk size, so the decision is too.
///
/// Once UTF-8 is decided, a later ill-formed sequence is an error: `read()` first returns the
/// well-formed bytes before it, then throws, so a line reader can name the line it is on.
public struct TextDecoder: ByteSource {
    /// Bytes examined from the first non-ASCII byte on to decide between UTF-8 and Windows-1252.
    public static let decisionWindow = 64 * 1024

    /// The encoding in use: the named one, the one the byte order mark or the bytes showed, or nil
    /// while only ASCII has been seen (ASCII reads the same in all of them but UTF-16).
    public private(set) var encoding: TextEncoding?
    /// Whether the input started with a byte order mark.
    public private(set) var hadByteOrderMark = false

    private enum Phase {
        case start
        case undecided
        case decided
    }

    private var source: any ByteSource
    private let requested: TextEncoding?
    private var phase = Phase.start
    /// Bytes read from the source but not yet decoded.
    private var pending: [UInt8] = []
    /// The start of a sequence that the previous chunk ended in the middle of.
    private var carry: [UInt8] = []
    /// A UTF-16 high surrogate waiting for its low half.
    private var highSurrogate: UInt16?
    /// Offset in the input of the first byte of `carry` (or of the next chunk when `carry` is empty).
    private var inputOffset = 0
    private var bytesRead = 0
    private var sourceEnded = false
    private var failure: TextDecodingError?

    /// - Parameters:
    ///   - source: the raw bytes.
    ///   - encoding: the encoding to use instead of detecting one. A byte order mark still wins.
    public init(source: some ByteSource, encoding: TextEncoding? = nil) {
        self.source = source
        self.requested = encoding
    }

    /// The next chunk of well-formed UTF-8, or an empty array at the end of the input.
    /// - Throws: `TextDecodingError` for an ill-formed sequence (after the bytes before it were
    ///   returned) or when the source fails; every later call throws it again.
    public mutating func read() throws(TextDecodingError) -> [UInt8] {
        while true {
            if let failure { throw failure }
            switch phase {
            case .start:
                while pending.count < 3, let chunk = try pull() { pending.append(contentsOf: chunk) }
                detectByteOrderMark()
            case .undecided:
                guard let chunk = try takeInput() else {
                    encoding = encoding ?? .utf8
                    return []
                }
                guard let firstHigh = chunk.firstIndex(where: { $0 >= 0x80 }) else {
                    inputOffset += chunk.count
                    return chunk
                }
                var window = Array(chunk[firstHigh...])
                while window.count < Self.decisionWindow, let more = try pull() { window.append(contentsOf: more) }
                encoding = Self.looksLikeUTF8(window, complete: sourceEnded) ? .utf8 : .windows1252
                phase = .decided
                pending = window
                if firstHigh > 0 {
                    inputOffset += firstHigh
                    return Array(chunk[..<firstHigh])
                }
            case .decided:
                guard let chunk = try takeInput() else { return try finish() }
                let output = decode(chunk)
                if !output.isEmpty { return output }
            }
        }
    }

    /// Whether a window starting at the first non-ASCII byte is UTF-8: well-formed, except that a
    /// window cut short by `decisionWindow` may end inside a sequence.
    private static func looksLikeUTF8(_ window: [UInt8], complete: Bool) -> Bool {
        switch UTF8Validation.check(window) {
        case .valid: return true
        case .truncated: return !complete
        case .invalid: return false
        }
    }

    private mutating func detectByteOrderMark() {
        let marks: [(bytes: [UInt8], encoding: TextEncoding)] = [
            ([0xEF, 0xBB, 0xBF], .utf8), ([0xFF, 0xFE], .utf16LittleEndian), ([0xFE, 0xFF], .utf16BigEndian),
        ]
        for mark in marks where pending.starts(with: mark.bytes) {
            pending.removeFirst(mark.bytes.count)
            inputOffset = mark.bytes.count
            hadByteOrderMark = true
            encoding = mark.encoding
            phase = .decided
            return
        }
        if let requested {
            encoding = requested
            phase = .decided
        } else {
            phase = .undecided
        }
    }

    /// The bytes to decode next: what is pending, else a fresh chunk from the source.
    private mutating func takeInput() throws(TextDecodingError) -> [UInt8]? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        return try pull()
    }

    /// A chunk from the source, or nil at its end.
    private mutating func pull() throws(TextDecodingError) -> [UInt8]? {
        guard !sourceEnded else { return nil }
        let chunk: [UInt8]
        do {
            chunk = try source.read()
        } catch {
            throw TextDecodingError(byteOffset: bytesRead, bytes: [], message: "reading the input failed: \(error)")
        }
        if chunk.isEmpty {
            sourceEnded = true
            return nil
        }
        bytesRead += chunk.count
        return chunk
    }

    private mutating func finish() throws(TextDecodingError) -> [UInt8] {
        if !carry.isEmpty {
            let error = TextDecodingError(
                byteOffset: inputOffset, bytes: carry,
                message: "the input ends in the middle of a \(encodingName) character")
            failure = error
            throw error
        }
        if highSurrogate != nil {
            let error = TextDecodingError(
                byteOffset: inputOffset - 2, bytes: [],
                message: "the input ends after the first half of a UTF-16 surrogate pair")
            failure = error
            throw error
        }
        return []
    }

    private var encodingName: String { encoding?.rawValue.uppercased() ?? "UTF-8" }

    private mutating func decode(_ chunk: [UInt8]) -> [UInt8] {
        switch encoding ?? .utf8 {
        case .utf8: return decodeUTF8(chunk)
        case .windows1252: return Windows1252.transcode(chunk)
        case .utf16LittleEndian: return decodeUTF16(chunk, bigEndian: false)
        case .utf16BigEndian: return decodeUTF16(chunk, bigEndian: true)
        }
    }

    private mutating func decodeUTF8(_ chunk: [UInt8]) -> [UInt8] {
        let data = carry.isEmpty ? chunk : carry + chunk
        let base = inputOffset
        carry = []
        switch UTF8Validation.check(data) {
        case .valid:
            inputOffset += data.count
            return data
        case .truncated(let start):
            carry = Array(data[start...])
            inputOffset += start
            return Array(data[..<start])
        case .invalid(let start, let length):
            let bad = Array(data[start..<min(data.count, start + max(length, 1))])
            failure = TextDecodingError(
                byteOffset: base + start, bytes: bad,
                message: hadByteOrderMark || requested == .utf8
                    ? "the file is not valid UTF-8"
                    : "the file is not valid UTF-8 although it starts as UTF-8 (mixed encodings?)")
            inputOffset += start
            return Array(data[..<start])
        }
    }

    private mutating func decodeUTF16(_ chunk: [UInt8], bigEndian: Bool) -> [UInt8] {
        let data = carry.isEmpty ? chunk : carry + chunk
        carry = []
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var index = 0
        while index + 1 < data.count {
            let unitOffset = inputOffset + index
            let unit =
                bigEndian
                ? UInt16(data[index]) << 8 | UInt16(data[index + 1])
                : UInt16(data[index + 1]) << 8 | UInt16(data[index])
            index += 2
            if let high = highSurrogate {
                highSurrogate = nil
                guard (0xDC00...0xDFFF).contains(unit) else {
                    failure = TextDecodingError(
                        byteOffset: unitOffset - 2, bytes: [],
                        message: "a UTF-16 high surrogate is not followed by a low surrogate")
                    inputOffset = unitOffset
                    return output
                }
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                Self.appendUTF8(scalar, to: &output)
            } else if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
            } else if (0xDC00...0xDFFF).contains(unit) {
                failure = TextDecodingError(
                    byteOffset: unitOffset, bytes: [], message: "a UTF-16 low surrogate stands alone")
                inputOffset = unitOffset
                return output
            } else {
                Self.appendUTF8(UInt32(unit), to: &output)
            }
        }
        if index < data.count { carry = [data[index]] }
        inputOffset += index
        return output
    }

    /// Appends the UTF-8 form of a Unicode scalar value.
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            output.append(UInt8(scalar))
        case ..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
