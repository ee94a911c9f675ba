/// Why a file cannot be imported: a permanent problem with the file or its setup, not a
/// passing one. The file goes to failed/ with this text; fixing it and dropping it again retries.
public enum ImportRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// No reader recognises the content.
    case unknownFormat(fileName: String)
    /// The file is malformed: line, field, value and what is wrong.
    case unreadable(StatementError)
    /// Neither the file, nor `--account`, nor the inbox subfolder, nor a configuration rule names
    /// the account.
    case noAccount(fileName: String)
    /// Not a regular file (a symlink, FIFO, socket, device or directory).
    case notARegularFile(kind: String)

    public var description: String {
        switch self {
        case .unknownFormat(let name):
            return "\(name): not a bank statement format bankdrop reads (CSV, OFX/QFX, QIF, CAMT.053, MT940). "
                + "If it is a CSV export whose layout is unknown, add a profile (docs/formats.md)"
        case .unreadable(let error):
            return error.description
        case .noAccount(let name):
            return "\(name) does not say which account it belongs to. Drop it into a subfolder named after the account "
                + "(inbox/<account>/\(name)), import it with --account NAME, or add an [[accounts.rules]] glob to the configuration"
        case .notARegularFile(let kind):
            return "not a regular file (\(kind)): bankdrop only reads regular files and never follows links"
        }
    }
}
