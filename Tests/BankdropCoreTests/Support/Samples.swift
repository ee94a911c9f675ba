import BankdropCore
import Foundation

/// The real bank exports in `../shared/samples` beside the repository (read in place, never copied).
enum Samples {
    /// `<repo>/../shared/samples`.
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BankdropCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo
        .deletingLastPathComponent()
        .appendingPathComponent("shared/samples")

    /// Whether the samples folder is there (it is in CI and on developer machines).
    static let available: Bool = FileManager.default.fileExists(atPath: folder.appendingPathComponent("expected.json").path)

    /// The bytes of one sample, by its path relative to the samples folder (e.g. `ofx/x.ofx`).
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(relativePath)))
    }

    /// One file's entry of `expected.json`, as loosely typed JSON.
    static func expected(_ relativePath: String) throws -> [String: Any]? {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let files = root?["files"] as? [[String: Any]] ?? []
        return files.first { $0["path"] as? String == relativePath }
    }
}

/// Reads every event of a reader into an array (tests only).
func readAll(_ reader: some StatementReader) throws(StatementError) -> [StatementEvent] {
    var reader = reader
    var events: [StatementEvent] = []
    while let event = try reader.next() { events.append(event) }
    return events
}
