import Foundation

/// A generated statement file that could not be written: which file, what failed, and the errno.
public struct GeneratedFileError: Error, Sendable, CustomStringConvertible {
    /// The file or folder.
    public var path: String
    /// What was attempted (`open`, `write`, `rename`, `create folder`).
    public var operation: String
    /// The system error number, when the failure came from a system call.
    public var errno: Int32?
    /// The system's or Foundation's message.
    public var message: String

    /// Creates an error about `path`.
    public init(path: String, operation: String, errno: Int32?, message: String) {
        self.path = path
        self.operation = operation
        self.errno = errno
        self.message = message
    }

    /// An error from a failed system call, with `errno` read now.
    static func system(_ operation: String, _ path: String) -> GeneratedFileError {
        let code = Foundation.errno
        return GeneratedFileError(path: path, operation: operation, errno: code, message: String(cString: strerror(code)))
    }

    /// What failed, the errno, and what to check.
    public var description: String {
        "\(operation) \(path) failed\(errno.map { " (errno \($0))" } ?? ""): \(message); "
            + "check that the output folder exists, is writable and has free space"
    }
}
