/// Makes sure `transactions` has a yearly partition for every year an import is about to load.
///
/// Wraps the SQL function `ensure_transactions_partition(year)` (migration 0005), which takes an
/// advisory lock, creates the missing partition, and moves that year's rows out of the DEFAULT
/// partition, so concurrent callers are safe and nothing lands in DEFAULT while a yearly
/// partition could hold it.
public enum PartitionManager {
    /// The years the function accepts; rows outside stay in the DEFAULT partition.
    public static let supportedYears = 1900...2999

    /// Creates any missing partition for `years`, each in its own short transaction.
    /// - Returns: the years whose partition was created now.
    @discardableResult
    public static func ensurePartitions(for years: some Sequence<Int>, on connection: isolated PostgresConnection) throws -> [Int] {
        var created: [Int] = []
        for year in Set(years).sorted() where supportedYears.contains(year) {
            let result = try connection.query(
                "SELECT ensure_transactions_partition($1)", [.int(year)], operation: "ensure partition")
            if result.scalar() == "t" { created.append(year) }
        }
        return created
    }

    /// The years that have a partition of their own.
    public static func partitionedYears(on connection: isolated PostgresConnection) throws -> [Int] {
        try connection.query(
            """
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'transactions'::regclass
            """
        ).rows.compactMap { row in row[0].flatMap { Int($0.dropFirst("transactions_".count)) } }.sorted()
    }
}
