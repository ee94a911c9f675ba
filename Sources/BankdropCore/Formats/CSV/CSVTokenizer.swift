/// Splits CSV records into fields, one physical line at a time, on UTF-8 bytes.
///
/// RFC 4180 plus what real exports do: a quoted field may hold delimiters, doubled quotes and
/// line breaks (a break inside quotes becomes `\n`); blanks before an opening quote are skipped;
/// a quote inside an unquoted field, or text after a closing quote, is kept literally. With
/// `repairsStrayClosingQuote` (files that quote every field) an unquoted field whose only quote
/// is its last character loses it: DKB writes `;Firma";` for `;"Firma";`.
struct CSVTokenizer {
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")

    /// The field delimiter.
    var delimiter: UInt8
    /// See the type's documentation.
    var repairsStrayClosingQuote = false

    /// The unquoted bytes of all fields of the current record, back to back.
    private(set) var storage: [UInt8] = []
    /// Each field's range in `storage`.
    private(set) var fields: [Range<Int>] = []
    /// The index of the first field holding a NUL byte, if any.
    private(set) var nulFieldIndex: Int?
    /// Whether the record so far ends inside a quoted field (more lines are needed).
    private(set) var isInsideQuotes = false
    /// Whether any field of the record was quoted.
    private(set) var sawQuotedField = false

    private var fieldStart = 0
    private var fieldQuoted = false
    private var strayQuotes = 0

    init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    /// Forgets the current record, keeping capacity.
    mutating func reset() {
        storage.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        nulFieldIndex = nil
        isInsideQuotes = false
        sawQuotedField = false
        fieldStart = 0
        fieldQuoted = false
        strayQuotes = 0
    }

    /// Adds one physical line (without its terminator) to the current record.
    /// - Returns: true when the record is complete, false when a quoted field goes on in the next line.
    mutating func add(_ line: ArraySlice<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { add($0) }
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        let delimiter = self.delimiter
        var index = 0
        if isInsideQuotes { storage.append(Self.lineFeed) }
        while true {
            if isInsideQuotes {
                var end = index
                while end < count, bytes[end] != Self.quote {
                    if bytes[end] == 0 { noteNUL() }
                    end += 1
                }
                append(bytes, index..<end)
                if end == count { return false }
                if end + 1 < count, bytes[end + 1] == Self.quote {
                    storage.append(Self.quote)
                    index = end + 2
                } else {
                    isInsideQuotes = false
                    index = end + 1
                }
                continue
            }
            if storage.count == fieldStart, !fieldQuoted {
                var start = index
                while start < count, bytes[start] == 0x20 || (bytes[start] == 0x09 && delimiter != 0x09) { start += 1 }
                if start < count, bytes[start] == Self.quote {
                    isInsideQuotes = true
                    fieldQuoted = true
                    sawQuotedField = true
                    index = start + 1
                    continue
                }
            }
            var end = index
            while end < count {
                let byte = bytes[end]
                if byte == delimiter { break }
                if byte == Self.quote {
                    strayQuotes += 1
                } else if byte == 0 {
                    noteNUL()
                }
                end += 1
            }
            append(bytes, index..<end)
            endField()
            if end == count { return true }
            index = end + 1
        }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        storage.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    private mutating func noteNUL() {
        if nulFieldIndex == nil { nulFieldIndex = fields.count }
    }

    private mutating func endField() {
        if repairsStrayClosingQuote, !fieldQuoted, strayQuotes == 1, storage.count > fieldStart,
            storage[storage.count - 1] == Self.quote
        {
            storage.removeLast()
        }
        fields.append(fieldStart..<storage.count)
        fieldStart = storage.count
        fieldQuoted = false
        strayQuotes = 0
    }

    /// The bytes of field `index`.
    func field(_ index: Int) -> ArraySlice<UInt8> {
        storage[fields[index]]
    }

    /// Whether every field is empty or blank (an empty line, `;;;`).
    var isBlankRecord: Bool {
        storage.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// Splits one line on its own (no continuation lines), for header sniffing.
    static func split(_ line: ArraySlice<UInt8>, delimiter: UInt8) -> [String] {
        var tokenizer = CSVTokenizer(delimiter: delimiter)
        _ = tokenizer.add(line)
        if tokenizer.isInsideQuotes { tokenizer.endField() }
        return tokenizer.fields.map { String(decoding: tokenizer.storage[$0], as: UTF8.self) }
    }

    /// Counts `delimiter` outside quotes in one line (for sniffing).
    static func count(of delimiter: UInt8, in line: ArraySlice<UInt8>) -> Int {
        var inside = false
        var count = 0
        for byte in line {
            if byte == quote {
                inside.toggle()
            } else if byte == delimiter, !inside {
                count += 1
            }
        }
        return count
    }
}
