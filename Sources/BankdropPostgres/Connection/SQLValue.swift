/// A value bound to a query parameter (`$1`, `$2`, ...). Data never travels inside SQL text.
public enum SQLValue: Sendable, Hashable {
    case null
    /// Sent in text format; PostgreSQL casts it to the parameter's type.
    case text(String)
    /// Sent in binary format, for `bytea` parameters.
    case bytes([UInt8])

    /// An integer parameter.
    public static func int(_ value: some BinaryInteger) -> SQLValue { .text(String(value)) }

    /// A text parameter, or NULL for nil.
    public static func optional(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
}

/// The rows a query returned, in PostgreSQL's text format.
public struct QueryResult: Sendable {
    /// Column names in order.
    public var columns: [String]
    /// Each row's values; nil is SQL NULL.
    public var rows: [[String?]]
    /// The number of rows the command affected (`PQcmdTuples`), for INSERT/UPDATE/DELETE.
    public var affectedRows: Int

    /// The value of `column` in the first row, if any.
    public func scalar(_ column: Int = 0) -> String? {
        rows.first.flatMap { $0.indices.contains(column) ? $0[column] : nil }
    }
}
