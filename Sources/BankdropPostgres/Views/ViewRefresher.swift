/// Refreshes the summary views with `refresh_materialized_views()` (migration 0007), which runs
/// `REFRESH MATERIALIZED VIEW CONCURRENTLY` on each view (readers are never blocked) and records
/// the refresh in `view_refreshes`.
public enum ViewRefresher {
    /// One recorded refresh.
    public struct Record: Sendable, Hashable {
        public var id: Int64
        /// Milliseconds the refresh took.
        public var durationMilliseconds: Double
        /// The newest succeeded import the refresh covers.
        public var coveredImportID: Int64?
    }

    /// Refreshes every summary view now, in autocommit (the function must not run inside a
    /// longer transaction: its record would stay invisible until that commits).
    /// - Parameters:
    ///   - trigger: why (`import`, `manual`, `agent`), stored with the record.
    ///   - host: the machine, stored with the record.
    public static func refresh(trigger: String, host: String, on connection: isolated PostgresConnection) throws -> Record {
        let id = try connection.query(
            "SELECT refresh_materialized_views($1, $2)", [.text(trigger), .text(host)], operation: "refresh_materialized_views"
        ).scalar()
        // A second statement: the function's own record is not visible to the statement that ran it.
        let row = try connection.query(
            "SELECT id, duration_ms, covered_import_id FROM view_refreshes WHERE id = $1", [.optional(id)],
            operation: "read view_refreshes"
        ).rows.first
        guard let row, let id = row[0].flatMap({ Int64($0) }) else {
            throw PostgresError(operation: "refresh_materialized_views", sqlState: nil, message: "no refresh record returned")
        }
        return Record(
            id: id, durationMilliseconds: row[1].flatMap { Double($0) } ?? 0, coveredImportID: row[2].flatMap { Int64($0) })
    }
}
