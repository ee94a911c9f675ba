import BankdropCore

/// A byte source that makes a large statement file on the fly: a header, `count` records, a
/// footer. The whole file never exists in memory, so a reader that buffered it would show.
struct GeneratedByteSource: ByteSource {
    private let header: [UInt8]
    private let footer: [UInt8]
    private let record: @Sendable (Int) -> String
    private let count: Int
    private var next = -1

    init(header: String, count: Int, footer: String, record: @escaping @Sendable (Int) -> String) {
        self.header = Array(header.utf8)
        self.footer = Array(footer.utf8)
        self.count = count
        self.record = record
    }

    mutating func read() throws -> [UInt8] {
        defer { next += 1 }
        switch next {
        case -1: return header
        case 0..<count: return Array(record(next).utf8)
        case count: return footer
        default: return []
        }
    }
}
