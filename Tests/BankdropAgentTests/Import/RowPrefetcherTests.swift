import BankdropCore
import Foundation
import Testing

@testable import BankdropAgent

/// The prefetching thread hands over exactly what the preparer gives, in order, errors included.
@Suite("Row prefetcher")
struct RowPrefetcherTests {
    static func csv(rows: Int, badLine: Int? = nil) -> [UInt8] {
        var text = "date,amount,payee,description\n"
        for index in 0..<rows {
            let line = index + 2
            let amount = line == badLine ? "abc" : "-\(index % 90 + 1).50"
            let date = LocalDate(year: 2000 + index / 336, month: index / 28 % 12 + 1, day: index % 28 + 1)
            text += "\(date?.description ?? ""),\(amount),Shop \(index % 7),row \(index)\n"
        }
        return Array(text.utf8)
    }

    static func preparer(_ bytes: [UInt8]) -> RowPreparer<AnyStatementReader> {
        RowPreparer(
            reader: StatementFormat.csv.reader(over: InMemoryByteSource(bytes), options: ReaderOptions()),
            fileName: "test.csv", fallbackAccount: "A", rules: CategoryRules())
    }

    static func drain(_ preparer: inout RowPreparer<AnyStatementReader>) throws -> [PreparedRow] {
        var rows: [PreparedRow] = []
        while let row = try preparer.next() { rows.append(row) }
        return rows
    }

    @Test("the same rows in the same order, and the preparer's final facts", arguments: [0, 1, 5, 1000, 2500])
    func sameRows(count: Int) throws {
        let bytes = Self.csv(rows: count)
        var direct = Self.preparer(bytes)
        let expected = try Self.drain(&direct)
        let prefetcher = RowPrefetcher(batchSize: 100, depth: 2) { Self.preparer(bytes) }
        defer { prefetcher.cancel() }
        var got: [PreparedRow] = []
        while let row = try prefetcher.next() { got.append(row) }
        #expect(got == expected)
        #expect(try prefetcher.next() == nil)
        #expect(prefetcher.facts.rowCount == count)
        #expect(prefetcher.facts.accounts == direct.accounts)
        #expect(prefetcher.facts.years == direct.years)
    }

    @Test("a bad row arrives as an error after the rows before it")
    func errorInOrder() throws {
        let prefetcher = RowPrefetcher(batchSize: 64, depth: 2) { Self.preparer(Self.csv(rows: 500, badLine: 302)) }
        defer { prefetcher.cancel() }
        var delivered = 0
        #expect(throws: ImportRefusal.self) {
            while try prefetcher.next() != nil { delivered += 1 }
        }
        #expect(delivered == 300)
    }

    /// A source that says when it is released (the prefetching thread dropped its reader).
    final class TrackedSource: ByteSource, @unchecked Sendable {
        private var inner: InMemoryByteSource
        private let released: ReleaseFlag
        init(_ bytes: [UInt8], released: ReleaseFlag) {
            inner = InMemoryByteSource(bytes, chunkSize: 4096)
            self.released = released
        }
        func read() throws -> [UInt8] { try inner.read() }
        deinit { released.set() }
    }

    final class ReleaseFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    @Test("a consumer that stops early cancels the thread, which stops waiting for room and lets go of the file")
    func cancelEarly() async throws {
        let released = ReleaseFlag()
        let bytes = Self.csv(rows: 10_000)
        let prefetcher = RowPrefetcher(batchSize: 10, depth: 1) {
            RowPreparer(
                reader: StatementFormat.csv.reader(over: TrackedSource(bytes, released: released), options: ReaderOptions()),
                fileName: "test.csv", fallbackAccount: "A", rules: CategoryRules())
        }
        #expect(try prefetcher.next() != nil)
        try await Task.sleep(for: .milliseconds(100))
        #expect(!released.isSet, "the thread waits for room while the consumer holds back")
        prefetcher.cancel()
        let deadline = ContinuousClock.now + .seconds(5)
        while !released.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(released.isSet)
    }
}
