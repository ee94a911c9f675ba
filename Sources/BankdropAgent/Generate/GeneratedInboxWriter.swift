import BankdropCore
import Foundation

/// Writes synthetic statements as an inbox holds them:
/// `<directory>/<account>/<account>-YYYY-MM.<ext>`, one file per account and month.
///
/// Each file is written as `<name>.part` and renamed when complete, so an agent watching the
/// folder (which ignores `.part` names) never picks up a half-written file. Files are not fsynced:
/// they can be generated again from their seed.
public struct GeneratedInboxWriter: Sendable {
    /// The folder the account folders go into (created when missing).
    public var directory: URL

    /// Creates a writer into `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// Generates every statement of `settings` and writes it; returns what was written.
    /// - Throws: ``GeneratorError`` for unusable settings, ``GeneratedFileError`` when a file
    ///   cannot be written (files already complete stay).
    public func write(_ settings: GeneratorSettings) throws -> GenerationTotals {
        var generator = try StatementGenerator(settings: settings)
        var totals = GenerationTotals()
        var folders: Set<String> = []
        while let statement = generator.next() {
            let folder = directory.appendingPathComponent(statement.account.identifier)
            if folders.insert(folder.path).inserted {
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw GeneratedFileError(
                        path: folder.path, operation: "create folder", errno: nil, message: "\(error.localizedDescription)")
                }
            }
            try write(statement, to: folder.appendingPathComponent(statement.fileName).path)
            totals.add(statement)
        }
        return totals
    }

    private func write(_ statement: GeneratedStatement, to path: String) throws {
        let partial = path + ".part"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw GeneratedFileError.system("open", partial) }
        do {
            try StatementEncoder(format: statement.account.format).encode(statement) { chunk in
                try chunk.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress else { return }
                    var offset = 0
                    while offset < buffer.count {
                        let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                        if written < 0 {
                            if errno == EINTR { continue }
                            throw GeneratedFileError.system("write", partial)
                        }
                        offset += written
                    }
                }
            }
        } catch {
            close(descriptor)
            unlink(partial)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = GeneratedFileError.system("close", partial)
            unlink(partial)
            throw error
        }
        guard rename(partial, path) == 0 else { throw GeneratedFileError.system("rename", path) }
    }
}
