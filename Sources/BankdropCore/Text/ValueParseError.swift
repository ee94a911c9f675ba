/// Why one value (an amount, a date) could not be read; the reader adds line and field.
public struct ValueParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the value and, where useful, what to do.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
