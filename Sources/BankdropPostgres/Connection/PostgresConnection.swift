import BankdropCore
import CLibPQ
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One libpq connection (`PGconn*`), owned by an actor pinned to a thread of its own.
///
/// Every libpq call blocks, so the actor runs on a `PinnedThreadExecutor`, never on Swift's
/// cooperative pool. Callers do several steps on the connection's thread at once with ``run(_:)``:
///
/// ```swift
/// let count = try await connection.run { conn in
///     try conn.withTransaction { try conn.query("SELECT count(*) FROM accounts").scalar() }
/// }
/// ```
public actor PostgresConnection {
    private let executor: PinnedThreadExecutor
    // The PGconn*; nil once closed. Only touched on the pinned thread (actor isolation).
    private var handle: OpaquePointer?
    private let logger: Logger

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(executor: PinnedThreadExecutor, logger: Logger) {
        self.executor = executor
        self.logger = logger
    }

    /// Connects with a libpq connection string or URL (`PQconnectdb`).
    ///
    /// libpq's own `PG*` variables, service files and `.pgpass` apply as usual.
    /// - Throws: `PostgresError` with operation `connect`; the message never holds the conninfo.
    public static func connect(_ conninfo: String, logger: Logger) async throws -> PostgresConnection {
        let connection = PostgresConnection(
            executor: PinnedThreadExecutor(name: "bankdrop-libpq"), logger: logger)
        try await connection.open(conninfo)
        return connection
    }

    private func open(_ conninfo: String) throws {
        let conn = PQconnectdb(conninfo)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(conn)
            throw PostgresError(operation: "connect", sqlState: nil, message: message)
        }
        // Server notices (e.g. "relation already exists, skipping") would go to stderr: drop them.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        executor.shutdown()
    }

    /// Closes the connection. Later calls throw.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Runs `body` on the connection's thread with synchronous access to the connection.
    public func run<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) throws -> T) rethrows -> T {
        try body(self)
    }

    /// Whether the connection is open and healthy (`PQstatus == CONNECTION_OK`).
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int {
        handle.map { Int(PQserverVersion($0)) } ?? 0
    }

    private func connection(for operation: String) throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(operation: operation, sqlState: "08003", message: "connection is closed")
        }
        return handle
    }

    /// Runs one parameterised statement (`PQexecParams`).
    ///
    /// - Parameters:
    ///   - sql: the statement with `$1`, `$2`... placeholders; never data.
    ///   - parameters: the values, bound by position.
    ///   - operation: a short label for errors and logs; defaults to the statement's first words.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLValue] = [], operation: String? = nil) throws -> QueryResult {
        let label = operation ?? Self.label(for: sql)
        let conn = try connection(for: label)
        let result = Self.withParameters(parameters) { values, lengths, formats in
            PQexecParams(conn, sql, Int32(parameters.count), nil, values, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, operation: label, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
        return Self.read(result)
    }

    /// Runs SQL that may hold several statements and no parameters (`PQexec`), e.g. a migration file.
    public func execute(_ sql: String, operation: String) throws {
        let conn = try connection(for: operation)
        let result = PQexec(conn, sql)
        defer { PQclear(result) }
        try check(result, operation: operation, accepting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY])
    }

    /// Runs `body` inside `BEGIN` ... `COMMIT`; rolls back and rethrows if it throws.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN", operation: "BEGIN")
        do {
            let value = try body()
            try execute("COMMIT", operation: "COMMIT")
            return value
        } catch {
            rollbackQuietly()
            throw error
        }
    }

    /// Rolls back the open transaction, if the connection still works; errors are ignored because
    /// the caller is already handling the error that caused the rollback.
    public func rollbackQuietly() {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return }
        PQclear(PQexec(handle, "ROLLBACK"))
    }

    /// Streams rows into `COPY ... FROM STDIN`.
    ///
    /// `body` writes rows through the ``CopyWriter``; if it throws, the COPY is aborted with
    /// CopyFail (`PQputCopyEnd` with a message), so the server keeps nothing, and the error is rethrown.
    /// - Parameters:
    ///   - sql: the `COPY table (columns) FROM STDIN` statement.
    ///   - operation: a label for errors, e.g. `COPY transactions_staging`.
    /// - Returns: the number of rows the server reports as copied.
    @discardableResult
    public func copy(_ sql: String, operation: String, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        let conn = try connection(for: operation)
        let start = PQexec(conn, sql)
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            try check(start, operation: operation, accepting: [PGRES_COPY_IN])
        }
        PQclear(start)

        var writer = CopyWriter { bytes in
            let sent = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
            }
            if sent != 1 {
                throw PostgresError(operation: operation, sqlState: nil, message: Self.trimmed(PQerrorMessage(conn)))
            }
        }
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            // Tell the server to abandon the COPY, then drain its (expected) error result.
            _ = PQputCopyEnd(conn, "bankdrop: the row producer failed")
            while let result = PQgetResult(conn) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else {
            throw PostgresError(operation: operation, sqlState: nil, message: Self.trimmed(PQerrorMessage(conn)))
        }
        var failure: PostgresError?
        var copied = 0
        while let result = PQgetResult(conn) {
            if failure == nil {
                do {
                    try check(result, operation: operation, accepting: [PGRES_COMMAND_OK])
                    copied = Int(String(cString: PQcmdTuples(result))) ?? 0
                } catch let error as PostgresError {
                    failure = error
                }
            }
            PQclear(result)
        }
        if let failure { throw failure }
        logger.debug("Copied rows", metadata: ["copy.operation": "\(operation)", "copy.rows": "\(copied)"])
        return copied
    }

    private func check(_ result: OpaquePointer?, operation: String, accepting: [ExecStatusType]) throws {
        guard let result else {
            let message = handle.map { Self.trimmed(PQerrorMessage($0)) } ?? "no result"
            throw PostgresError(operation: operation, sqlState: nil, message: message)
        }
        let status = PQresultStatus(result)
        guard accepting.contains(status) else {
            let sqlState = Self.field(result, UInt8(ascii: "C"))
            let message =
                Self.field(result, UInt8(ascii: "M"))
                ?? Self.trimmed(PQresultErrorMessage(result)).nonEmpty
                ?? "unexpected result status \(status.rawValue)"
            throw PostgresError(operation: operation, sqlState: sqlState, message: message)
        }
    }

    private static func field(_ result: OpaquePointer, _ code: UInt8) -> String? {
        PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
    }

    private static func read(_ result: OpaquePointer?) -> QueryResult {
        guard let result else { return QueryResult(columns: [], rows: [], affectedRows: 0) }
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            rows.append(
                (0..<columnCount).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
        }
        return QueryResult(columns: columns, rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
    }

    private static func withParameters<R>(
        _ parameters: [SQLValue],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        // Copy each value into a stable C buffer for the duration of the call.
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for parameter in parameters {
            switch parameter {
            case .null:
                buffers.append(nil)
                lengths.append(0)
                formats.append(0)
            case .text(let string):
                buffers.append(strdup(string))
                lengths.append(0)
                formats.append(0)
            case .bytes(let bytes):
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress ?? UnsafeRawPointer(buffer), byteCount: bytes.count)
                }
                buffers.append(buffer)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        defer {
            for (buffer, parameter) in zip(buffers, parameters) {
                if case .bytes = parameter { buffer?.deallocate() } else { free(buffer) }
            }
        }
        let values = buffers.map { UnsafePointer($0) }
        return values.withUnsafeBufferPointer { v in
            lengths.withUnsafeBufferPointer { l in
                formats.withUnsafeBufferPointer { f in body(v.baseAddress, l.baseAddress, f.baseAddress) }
            }
        }
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).trimmingTrailingWhitespace()
    }

    /// The first words of a statement, for error messages that must not carry data.
    static func label(for sql: String) -> String {
        sql.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(3).joined(separator: " ")
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
