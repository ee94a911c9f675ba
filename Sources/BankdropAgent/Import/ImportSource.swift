import BankdropCore

/// A file to import: something that can be read from the start, more than once (hash pass, then
/// load pass).
public protocol ImportSource: Sendable {
    /// The file's own name (last path component), for format detection, rules and records.
    var fileName: String { get }
    /// The name as shown in logs and messages: control characters and invalid UTF-8 escaped.
    var displayName: String { get }
    /// The account named by where the file sits (`inbox/<account>/file`), if anywhere.
    var folderAccount: String? { get }
    /// Opens a fresh stream over the file's bytes.
    func open() throws -> any ByteSource
}
