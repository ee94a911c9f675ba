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
    /// Throws when the file is no longer the one first opened (rewritten, appended to, replaced):
    /// the bytes read so far may mix old and new content. The importer checks it once the rows
    /// are read and before it refuses a file, so that it never commits or condemns such a mix.
    func checkUnchanged() throws
}

extension ImportSource {
    /// Sources that cannot change (in memory, generated) are always unchanged.
    public func checkUnchanged() throws {}
}
