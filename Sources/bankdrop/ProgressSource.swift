import BankdropAgent
import BankdropCore
import Foundation

/// Wraps a file being imported so a person at a terminal sees how far it got: a line on standard
/// error, rewritten in place, once the file has taken more than a second. Nothing is printed when
/// standard error is not a terminal (systemd, pipes, scripts).
struct ProgressSource: ImportSource {
    let base: InboxImportSource
    let meter: ProgressMeter

    init(_ base: InboxImportSource) {
        self.base = base
        self.meter = ProgressMeter(name: base.displayName, size: Int(base.snapshot.size))
    }

    var fileName: String { base.fileName }
    var displayName: String { base.displayName }
    var folderAccount: String? { base.folderAccount }

    func open() throws -> any ByteSource {
        meter.startPass()
        return Counting(base: try base.open(), meter: meter)
    }

    struct Counting: ByteSource {
        var base: any ByteSource
        let meter: ProgressMeter

        mutating func read() throws -> [UInt8] {
            let chunk = try base.read()
            meter.advance(by: chunk.count)
            return chunk
        }
    }
}

/// The progress line's state; updated from the database connection's thread.
final class ProgressMeter: @unchecked Sendable {
    // Invariant: every field is read and written under `lock`.
    private let lock = NSLock()
    private let name: String
    private let size: Int
    private let started = Date()
    private var pass = 0
    private var done = 0
    private var lastDraw = Date.distantPast
    private var drawn = false
    static let enabled = isatty(STDERR_FILENO) == 1

    init(name: String, size: Int) {
        self.name = name
        self.size = max(size, 1)
    }

    func startPass() {
        lock.withLock {
            pass += 1
            done = 0
        }
    }

    func advance(by count: Int) {
        guard Self.enabled else { return }
        lock.withLock {
            done += count
            let now = Date()
            guard now.timeIntervalSince(started) > 1, now.timeIntervalSince(lastDraw) > 0.2 else { return }
            lastDraw = now
            drawn = true
            // Pass 1 hashes the file, pass 2 detects the format, pass 3 loads it.
            let phase = pass <= 1 ? "hashing" : "loading"
            let percent = min(100, done * 100 / size)
            FileHandle.standardError.write(Data("\r\(phase) \(name): \(percent)% of \(size / 1_048_576) MiB \u{1B}[K".utf8))
        }
    }

    /// Clears the line before the file's result is printed.
    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
