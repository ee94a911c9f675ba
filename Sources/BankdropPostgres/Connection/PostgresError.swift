/// A failure reported by libpq or the PostgreSQL server.
///
/// Carries the SQLSTATE and the server's primary message; never the connection string, a
/// password, or row data.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What was being done, e.g. `COPY transactions_staging` or `connect`.
    public var operation: String
    /// The five-character SQLSTATE, when the server sent one (`PQresultErrorField(PG_DIAG_SQLSTATE)`).
    public var sqlState: String?
    /// The server's primary message (`PG_DIAG_MESSAGE_PRIMARY`) or libpq's `PQerrorMessage`.
    public var message: String

    public init(operation: String, sqlState: String?, message: String) {
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
    }

    /// Whether trying again later may succeed: connection exceptions (08), transaction rollbacks such
    /// as serialization failures and deadlocks (40), insufficient resources such as a full disk (53),
    /// and operator interventions such as a server shutdown (57). A failure without SQLSTATE is a
    /// connection failure reported by libpq itself, so it counts as class 08.
    public var isTransient: Bool {
        ["08", "40", "53", "57"].contains(String((sqlState ?? "08").prefix(2)))
    }

    public var description: String {
        "\(operation) failed (\(sqlState ?? "no SQLSTATE")): \(message)"
    }
}
