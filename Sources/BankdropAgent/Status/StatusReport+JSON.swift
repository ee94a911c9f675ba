import Foundation

extension StatusReport {
    /// The version of the JSON layout; it changes only when a key changes meaning or goes away
    /// (new keys may appear at any time).
    public static let jsonFormatVersion = 1

    /// The report as one JSON object for scripts and monitoring: snake_case keys, every key always
    /// present (`null` when unknown), times in ISO 8601 UTC, durations as numbers with their unit
    /// in the key (`uptime_seconds`, `duration_ms`). Keys are sorted; ends with a line break.
    ///
    /// The keys are spelled out here rather than derived from property names, so renaming a Swift
    /// property never changes the JSON.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue tree cannot fail: it holds only strings, numbers, booleans and null.
        let data = (try? encoder.encode(jsonValue)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON tree behind ``json()``.
    var jsonValue: JSONValue {
        .object([
            "format_version": .int(Self.jsonFormatVersion),
            "generated_at": .date(generatedAt),
            "health": .string(health.rawValue),
            "exit_code": .int(Int(health.exitCode)),
            "problems": .array(
                problems.map { .object(["kind": .string($0.kind.rawValue), "message": .string($0.message)]) }),
            "configuration_file": .optional(configurationFile.map(JSONValue.string)),
            "agent": agent.jsonValue(now: generatedAt),
            "inbox": inbox.jsonValue,
            "database": database.jsonValue,
        ])
    }
}

extension StatusReport.Agent {
    fileprivate func jsonValue(now: Date) -> JSONValue {
        .object([
            "state": .string(state.rawValue),
            "running": .bool(state == .running),
            "state_file": .string(stateFile),
            "pid": .optional(pid.map { .int(Int($0)) }),
            "started_at": .optional(startedAt.map(JSONValue.date)),
            "updated_at": .optional(updatedAt.map(JSONValue.date)),
            "uptime_seconds": .optional(uptime(at: now).map { .int(Int($0)) }),
            "inbox": .optional(inbox.map(JSONValue.string)),
            "phase": .optional(phase.map(JSONValue.string)),
            "current_file": .optional(currentFile.map(JSONValue.string)),
            "queued": .optional(queued.map(JSONValue.int)),
            "retrying": .array(
                retrying.map {
                    .object([
                        "file": .string($0.file), "attempts": .int($0.attempts), "last_error": .string($0.lastError),
                        "next_attempt_at": .date($0.nextAttemptAt),
                    ])
                }),
            "watch_problem": .optional(watchProblem.map(JSONValue.string)),
            "database_error": .optional(databaseError.map(JSONValue.string)),
            "last_import": .optional(
                lastImport.map {
                    .object([
                        "file": .string($0.file), "outcome": .string($0.outcome),
                        "rows_new": .optional($0.rowsInserted.map(JSONValue.int)),
                        "rows_already_present": .optional($0.rowsAlreadyPresent.map(JSONValue.int)),
                        "at": .date($0.at),
                    ])
                }),
            "pending_refresh_imports": .optional(pendingRefreshImports.map(JSONValue.int)),
            "could_not_find_out": .array(couldNotFindOut.map(JSONValue.string)),
        ])
    }
}

extension StatusReport.Inbox {
    fileprivate var jsonValue: JSONValue {
        .object([
            "path": .string(path),
            "failed_directory": .string(failedDirectory),
            "waiting_count": .optional(waitingCount.map(JSONValue.int)),
            "waiting": .array(
                waiting.map {
                    .object([
                        "path": .string($0.path), "type": .string($0.type), "size": .int(Int($0.size)),
                        "modified_at": .date($0.modifiedAt),
                    ])
                }),
            "failed_count": .optional(failedCount.map(JSONValue.int)),
            "failed": .array(
                failed.map {
                    .object([
                        "name": .string($0.name), "reason": .optional($0.reason.map(JSONValue.string)),
                        "failed_at": .optional($0.failedAt.map(JSONValue.date)),
                    ])
                }),
            "could_not_find_out": .array(couldNotFindOut.map(JSONValue.string)),
        ])
    }
}

extension StatusReport.Database {
    fileprivate var jsonValue: JSONValue {
        .object([
            "target": .string(target),
            "embedded": .bool(embedded),
            "state": .string(state.rawValue),
            "reachable": .bool(state == .reachable),
            "error": .optional(error.map(JSONValue.string)),
            "schema": .optional(
                schema.map {
                    .object([
                        "applied_version": .optional($0.appliedVersion.map(JSONValue.int)),
                        "latest_known_version": .optional($0.latestKnownVersion.map(JSONValue.int)),
                        "pending": .array($0.pending.map(JSONValue.int)),
                        "changed": .array($0.changed.map(JSONValue.int)),
                        "unknown_applied": .array($0.unknownApplied.map(JSONValue.int)),
                    ])
                }),
            "recent_imports": .array(
                recentImports.map {
                    .object([
                        "id": .int(Int($0.id)), "at": .optional($0.at.map(JSONValue.date)), "file": .string($0.file),
                        "status": .string($0.status), "format": .optional($0.format.map(JSONValue.string)),
                        "rows_new": .optional($0.rowsNew.map(JSONValue.int)),
                        "rows_already_present": .optional($0.rowsAlreadyPresent.map(JSONValue.int)),
                        "error": .optional($0.error.map(JSONValue.string)),
                    ])
                }),
            "accounts": .array(
                accounts.map {
                    .object([
                        "name": .string($0.name), "currency": .optional($0.currency.map(JSONValue.string)),
                        "latest_transaction_date": .optional($0.latestTransactionDate.map(JSONValue.string)),
                        "last_import_at": .optional($0.lastImportAt.map(JSONValue.date)),
                    ])
                }),
            "views": .optional(
                views.map {
                    .object([
                        "fresh": .bool($0.isFresh),
                        "last_refresh_at": .optional($0.lastRefreshAt.map(JSONValue.date)),
                        "last_refresh_duration_ms": .optional($0.lastRefreshMilliseconds.map(JSONValue.double)),
                        "covered_import_id": .optional($0.coveredImportID.map { .int(Int($0)) }),
                        "latest_import_id": .optional($0.latestImportID.map { .int(Int($0)) }),
                        "imports_since_refresh": .int($0.importsSinceRefresh),
                    ])
                }),
            "could_not_find_out": .array(couldNotFindOut.map(JSONValue.string)),
        ])
    }
}

/// A JSON value with explicit keys, so the output never depends on Swift property names and
/// `null` is written rather than the key left out.
enum JSONValue: Encodable, Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// An ISO 8601 UTC time (`2025-03-01T14:22:05Z`).
    static func date(_ date: Date) -> JSONValue { .string(StatusReport.isoTime(date)) }

    /// The value, or `null`.
    static func optional(_ value: JSONValue?) -> JSONValue { value ?? .null }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
