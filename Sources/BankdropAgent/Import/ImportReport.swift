import BankdropCore
import BankdropPostgres
import Foundation

/// One file's line in the output of `bankdrop import`.
public struct ImportReportLine: Sendable {
    public var file: String
    public var outcome: ImportOutcome
    public var movedTo: String?

    public init(file: String, outcome: ImportOutcome, movedTo: String? = nil) {
        self.file = file
        self.outcome = outcome
        self.movedTo = movedTo
    }

    public var rowsInserted: Int {
        if case .imported(let summary) = outcome { return summary.rowsInserted }
        return 0
    }

    /// `imported`, `duplicate`, `refused`, `retry`.
    public var status: String {
        switch outcome {
        case .imported: "imported"
        case .duplicate: "duplicate"
        case .refused: "refused"
        case .retryLater: "retry"
        }
    }

    /// A line for a person.
    public var text: String {
        let moved = movedTo.map { " → \($0)" } ?? ""
        switch outcome {
        case .imported(let s):
            let perAccount = s.accounts.map { "\($0.name): \($0.inserted) new" }.joined(separator: ", ")
            return "imported  \(file): \(s.rowsInserted) new, \(s.rowsAlreadyPresent) already present (\(perAccount)) [import \(s.importID)]\(moved)"
        case .duplicate(_, let original):
            return "duplicate \(file): same bytes as import \(original); nothing loaded\(moved)"
        case .refused(let refusal, _):
            return "refused   \(file): \(refusal)\(moved)"
        case .retryLater(let reason):
            return "retry     \(file): \(reason) (nothing was kept; the file stays, try again)"
        }
    }

    var json: [String: Any] {
        var object: [String: Any] = ["file": file, "status": status]
        if let movedTo { object["moved_to"] = movedTo }
        switch outcome {
        case .imported(let s):
            object["import_id"] = s.importID
            object["format"] = s.format.rawValue
            object["rows_read"] = s.rowsRead
            object["rows_inserted"] = s.rowsInserted
            object["rows_already_present"] = s.rowsAlreadyPresent
            object["rows_copied_directly"] = s.rowsCopiedDirectly
            object["sha256"] = s.sha256
            object["accounts"] = s.accounts.map { ["name": $0.name, "read": $0.read, "inserted": $0.inserted] }
        case .duplicate(let id, let original):
            object["import_id"] = id as Any
            object["duplicate_of"] = original
        case .refused(let refusal, let id):
            object["import_id"] = id as Any
            object["error"] = refusal.description
            if case .unreadable(let error) = refusal {
                object["line"] = error.line as Any
                object["field"] = error.field as Any
                object["value"] = error.value as Any
            }
        case .retryLater(let reason):
            object["error"] = reason
        }
        return object
    }
}

/// The end of `bankdrop import`: totals, the refresh, the exit code.
public struct ImportRunSummary: Sendable {
    public var lines: [ImportReportLine]
    public var refresh: ViewRefresher.Record?

    public init(lines: [ImportReportLine], refresh: ViewRefresher.Record?) {
        self.lines = lines
        self.refresh = refresh
    }

    /// 0 every file imported or already imported; 1 a file was refused; 75 (EX_TEMPFAIL) a passing
    /// problem, try again.
    public var exitCode: Int32 {
        if lines.contains(where: { $0.status == "retry" }) { return 75 }
        if lines.contains(where: { $0.status == "refused" }) { return 1 }
        return 0
    }

    public var text: String {
        func count(_ status: String) -> Int { lines.filter { $0.status == status }.count }
        var text = "\(lines.count) file(s): \(count("imported")) imported, \(count("duplicate")) duplicate, "
            + "\(count("refused")) refused, \(count("retry")) to retry; "
            + "\(lines.reduce(0) { $0 + $1.rowsInserted }) new row(s)"
        if let refresh {
            text += "\nviews refreshed in \(Int(refresh.durationMilliseconds.rounded())) ms"
        }
        return text
    }

    public func json() throws -> String {
        var object: [String: Any] = ["files": lines.map(\.json), "exit_code": exitCode]
        if let refresh { object["refresh"] = ["id": refresh.id, "duration_ms": refresh.durationMilliseconds] }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension StatementPreview {
    /// A readable summary of a dry run.
    public var text: String {
        var lines = ["\(path) (\(format ?? "unknown format"))"]
        if let error {
            lines.append("  refused: " + StatementError(line: error.line, field: error.field, value: error.value, message: error.message).description)
        }
        for account in accounts {
            var line = "  account \(account.id): \(account.transactions) transaction(s), sum \(account.sum) \(account.currency ?? "")"
            if let first = account.firstDate, let last = account.lastDate { line += ", \(first) .. \(last)" }
            if let check = account.balanceCheck { line += check ? ", balances check out" : ", BALANCES DO NOT ADD UP" }
            lines.append(line)
        }
        lines += warnings.map { "  warning: \($0)" }
        for t in transactions.prefix(20) {
            lines.append("    \(t.date) \(t.amount.leftPadded(12)) \(t.merchant ?? t.payee ?? "-") [\(t.category ?? "-"); \(t.rule)]")
        }
        let more = accounts.reduce(0) { $0 + $1.transactions } - min(transactions.count, 20)
        if more > 0 { lines.append("    ... \(more) more (use --json for all)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
