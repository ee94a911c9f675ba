import BankdropCore
import Foundation
import Glibc

/// Generated CSV statements and plain POSIX file writes, so each test controls exactly which
/// inotify events an arrival makes (Foundation's "atomic" writes go through a temporary name).
enum StatementFiles {
    static let header = "date,amount,payee,description\n"

    /// Rows `first..<first + count` of a statement of `total` distinct rows for `tag` (payee
    /// `tag`, descriptions numbered), without the header. Dates ascend through the year, as in
    /// bank exports.
    static func rows(tag: String, count: Int, from first: Int = 0, of total: Int? = nil, year: Int = 2025) -> String {
        let total = max(total ?? count, 1)
        var text = ""
        for index in first..<(first + count) {
            let ordinal = index * 336 / total
            let month = ordinal / 28 + 1
            let day = ordinal % 28 + 1
            text +=
                "\(year)-\(twoDigits(month))-\(twoDigits(day)),-\(index % 97 + 1).\(twoDigits(index % 100)),\(tag),row \(index)\n"
        }
        return text
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A CSV statement with `rows` distinct rows for `tag`.
    static func csv(tag: String, rows count: Int, year: Int = 2025) -> String {
        header + rows(tag: tag, count: count, year: year)
    }

    /// Creates (or truncates) `path`, writes `text` and closes it: what `cp` does.
    static func write(_ text: String, to path: String) throws {
        let file = try OpenFile(creating: path)
        try file.write(text)
        file.close()
    }

    /// Writes a CSV of `rows` generated rows (account from the folder or the rules) in chunks,
    /// never holding it all in memory. Returns the file's SHA-256.
    @discardableResult
    static func writeLarge(rows: Int, tag: String, to path: String) throws -> [UInt8] {
        let file = try OpenFile(creating: path)
        defer { file.close() }
        var digest = FileDigest()
        func emit(_ text: String) throws {
            digest.update(Array(text.utf8))
            try file.write(text)
        }
        try emit(header)
        var next = 0
        while next < rows {
            let count = min(20_000, rows - next)
            try emit(Self.rows(tag: tag, count: count, from: next, of: rows, year: 2024))
            next += count
        }
        return digest.finalize()
    }
}

/// A file opened for writing with plain `open(2)`, for writers that take their time.
final class OpenFile {
    private var descriptor: Int32

    init(creating path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AgentTestError("open \(path) failed: errno \(errno)") }
    }

    init(appendingTo path: String) throws {
        descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw AgentTestError("open \(path) failed: errno \(errno)") }
    }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw AgentTestError("write failed: errno \(errno)") }
            offset += written
        }
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}
