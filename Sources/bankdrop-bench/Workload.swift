import BankdropAgent
import BankdropCore
import Foundation

/// The data of one size N, generated once and used by every measurement of that size:
///
/// - `base/<account>/<account>-YYYY-MM.csv`: N rows over 3 accounts, monthly files, from
///   `bankdrop generate`'s generator (in-process) with a fixed seed, January 2023 to today;
/// - `overlap/...`: the same seed with `overlap: 0.2` (other bytes, every row already in base);
/// - `whole/<account>.csv`: each account's monthly files concatenated into one file, one header;
/// - `baseline.csv`, `overlap.csv`: the rows exactly as `bankdrop import` stores them (read with
///   the project's reader and `RowPreparer`), for `\copy` and the staging path.
struct Workload: Sendable {
    /// One account's history in one file.
    struct WholeFile: Sendable {
        var account: String
        var url: URL
    }

    /// N as asked for.
    var rows: Int
    /// `10k`, `1M`.
    var label: String
    /// The folder holding everything below (removed afterwards unless `--keep`).
    var directory: URL
    /// The generated monthly files, `<account>/<file>`.
    var folder: URL
    /// Every monthly file of ``folder``, in path order.
    var files: [URL]
    /// The overlapping set.
    var overlapFolder: URL
    /// Files in the overlapping set.
    var overlapFileCount: Int
    /// One file per account.
    var wholeFiles: [WholeFile]
    /// The base rows as stored, for the baselines.
    var baselineCSV: URL
    /// The overlapping set's rows as `bankdrop import` would present them.
    var overlapCSV: URL
    /// Account names (`accounts.name`), in order; the baselines give them ids 1, 2, 3.
    var accounts: [String]
    /// Booking years of the data (the partitions the baselines create first).
    var years: [Int]
    /// Distinct transactions the generator wrote: what an import of the base set must insert.
    var distinctRows: Int
    /// Rows in ``baselineCSV``.
    var baselineRows: Int
    /// Rows in ``overlapCSV`` (repeated rows included).
    var overlapRows: Int
    /// The one import the baselines' rows belong to.
    static let baselineImportID = 1
    /// Accounts of the generated data.
    static let accountCount = 3
    /// Share of the previous month's rows each file of the overlapping set repeats.
    static let overlapShare = 0.2

    /// Generates the files and writes the baseline CSVs (not timed).
    static func prepare(rows: Int, seed: UInt64, today: LocalDate, in directory: URL) throws -> Workload {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let folder = directory.appendingPathComponent("base")
        let overlapFolder = directory.appendingPathComponent("overlap")
        let settings = GeneratorSettings(
            transactionCount: rows, accountCount: accountCount, seed: seed, formats: [.csv], startYear: 2023,
            today: today)
        let totals = try GeneratedInboxWriter(directory: folder).write(settings)
        var overlapSettings = settings
        overlapSettings.overlap = overlapShare
        let overlapTotals = try GeneratedInboxWriter(directory: overlapFolder).write(overlapSettings)

        let accounts = totals.accounts.map(\.identifier)
        let files = try monthlyFiles(in: folder)
        let overlapFiles = try monthlyFiles(in: overlapFolder)
        let wholeFiles = try accounts.map { account in
            let url = directory.appendingPathComponent("whole").appendingPathComponent("\(account).csv")
            try concatenate(files.filter { $0.account == account }.map(\.url), into: url)
            return WholeFile(account: account, url: url)
        }
        let ids = Dictionary(uniqueKeysWithValues: accounts.enumerated().map { ($1, $0 + 1) })
        let baselineCSV = directory.appendingPathComponent("baseline.csv")
        let overlapCSV = directory.appendingPathComponent("overlap.csv")
        let base = try writeBaseline(files, accountIDs: ids, to: baselineCSV)
        let overlap = try writeBaseline(overlapFiles, accountIDs: ids, to: overlapCSV)
        guard overlapTotals.transactions == totals.transactions else {
            throw BenchError(
                "the overlapping set holds \(overlapTotals.transactions) distinct rows, the base set \(totals.transactions)"
            )
        }
        return Workload(
            rows: rows, label: BenchOptions.label(rows), directory: directory, folder: folder, files: files.map(\.url),
            overlapFolder: overlapFolder, overlapFileCount: overlapFiles.count, wholeFiles: wholeFiles,
            baselineCSV: baselineCSV, overlapCSV: overlapCSV, accounts: accounts, years: base.years.sorted(),
            distinctRows: totals.transactions, baselineRows: base.rows, overlapRows: overlap.rows)
    }

    /// `<folder>/<account>/<file>`, sorted by account then file name (months in order).
    static func monthlyFiles(in folder: URL) throws -> [(account: String, url: URL)] {
        let manager = FileManager.default
        var files: [(account: String, url: URL)] = []
        for account in try manager.contentsOfDirectory(atPath: folder.path).sorted() {
            let accountFolder = folder.appendingPathComponent(account)
            for name in try manager.contentsOfDirectory(atPath: accountFolder.path).sorted() {
                files.append((account, accountFolder.appendingPathComponent(name)))
            }
        }
        return files
    }

    /// Writes `files` one after the other into `url`, keeping only the first file's header line.
    private static func concatenate(_ files: [URL], into url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BenchError("cannot create \(url.path)")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        for (index, file) in files.enumerated() {
            let data = try Data(contentsOf: file)
            if index == 0 {
                try handle.write(contentsOf: data)
            } else if let newline = data.firstIndex(of: 10) {
                try handle.write(contentsOf: data[(newline + 1)...])
            }
        }
    }

    /// Reads `files` with the importer's reader and `RowPreparer` (no configuration: built-in CSV
    /// profiles, no category rules, as `bankdrop-bench` runs `bankdrop`) and writes their rows.
    private static func writeBaseline(
        _ files: [(account: String, url: URL)], accountIDs: [String: Int], to url: URL
    ) throws -> (rows: Int, years: Set<Int>) {
        let writer = try BaselineCSVWriter(url: url)
        var years: Set<Int> = []
        for file in files {
            let bytes = Array(try Data(contentsOf: file.url))
            let name = file.url.lastPathComponent
            guard
                let format = StatementFormat.detect(
                    prefix: Array(bytes.prefix(StatementFormat.detectionPrefixLength)),
                    fileExtension: file.url.pathExtension)
            else { throw BenchError("\(file.url.path): format not recognised") }
            let rows: [PreparedRow]
            do {
                rows = try prepare(bytes, format: format, name: name, account: file.account, mode: .windowed)
            } catch is RowIdentityError {
                // Not grouped by date: the importer then counts every row's occurrences; so do we.
                rows = try prepare(bytes, format: format, name: name, account: file.account, mode: .trackAll)
            }
            for row in rows {
                guard let id = accountIDs[row.account] else {
                    throw BenchError("\(file.url.path): row of unknown account \(row.account)")
                }
                years.insert(row.transaction.bookingDate.year)
                try writer.write(row, accountID: id, importID: baselineImportID)
            }
        }
        try writer.close()
        return (writer.rowCount, years)
    }

    private static func prepare(
        _ bytes: [UInt8], format: StatementFormat, name: String, account: String, mode: RowIdentityAssigner.Mode
    ) throws -> [PreparedRow] {
        var preparer = RowPreparer(
            reader: format.reader(over: InMemoryByteSource(bytes), options: ReaderOptions()), fileName: name,
            fallbackAccount: account, rules: try CategoryRules([]), identityMode: mode)
        var rows: [PreparedRow] = []
        while let row = try preparer.next() { rows.append(row) }
        return rows
    }
}
