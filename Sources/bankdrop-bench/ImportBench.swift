import BankdropCore
import BankdropPostgres
import Foundation
import Logging

/// Metrics 1 to 3 for one size: `bankdrop import` of the monthly files and of one file per
/// account, against bare `\copy` (baseline A) and the in-SQL staging path (baseline B) of the
/// same rows, each load on a fresh database; then the same folder again (every file a duplicate)
/// against hashing the files in-process, and the overlapping set against the staging path
/// re-applying the same rows.
struct ImportBench {
    var tools: BenchTools
    var databases: BenchDatabases
    var workload: Workload
    var runs: Int
    var logger: Logger

    /// The figures of every run, before medians.
    private struct Samples {
        var copy: [Double] = []
        var staging: [Double] = []
        var stagingOverlap: [Double] = []
        var folder: [Double] = []
        var folderRSS: [Double] = []
        var folderCPU: [Double] = []
        var folderInserted: [Double] = []
        var whole: [Double] = []
        var wholeRSS: [Double] = []
        var wholeInserted: [Double] = []
        var duplicates: [Double] = []
        var duplicateFiles: [Double] = []
        var hashing: [Double] = []
        var overlap: [Double] = []
        var overlapRSS: [Double] = []
        var overlapInserted: [Double] = []
    }

    /// Runs every measurement `runs` times (interleaved, so drift hits all paths alike), adds the
    /// medians to `report`, and returns the database of the last `bankdrop import` of the folder,
    /// which holds N rows, for the refresh and query figures.
    func run(into report: inout Report) async throws -> BenchDatabase {
        var samples = Samples()
        var kept: BenchDatabase?
        for run in 1...runs {
            logger.info(
                "Measuring imports", metadata: ["bench.size": "\(workload.label)", "bench.run": "\(run)/\(runs)"])
            samples.copy.append(try await bareCopy())
            let (staging, stagingOverlap) = try await stagingPath()
            samples.staging.append(staging)
            samples.stagingOverlap.append(stagingOverlap)
            if let previous = kept { await databases.drop(previous) }
            kept = try await folderImports(into: &samples)
            samples.hashing.append(try hashFiles())
            try await wholeFileImports(into: &samples)
        }
        add(samples, to: &report)
        guard let kept else { throw BenchError("no import ran") }
        return kept
    }

    // MARK: Baselines

    /// Baseline A: `psql -c "\copy transactions (...) from 'baseline.csv' csv"` on a fresh database.
    private func bareCopy() async throws -> Double {
        try await databases.withFresh("copy") { database in
            try await prepareBaseline(database)
            let copy =
                "\\copy transactions (\(BaselineCSVWriter.columns)) from \(try Self.quoted(workload.baselineCSV)) csv"
            let ending = try await tools.runPSQL(database: database.url, ["-c", copy], label: "copy-\(workload.label)")
            try await expectRows(workload.baselineRows, in: database, after: "bare \\copy")
            return ending.wall.milliseconds
        }
    }

    /// Baseline B: the staging path in SQL (`psql -f`), on a fresh database; then the same path
    /// with the overlapping set's rows, which are all there already.
    private func stagingPath() async throws -> (Double, Double) {
        try await databases.withFresh("staging") { database in
            try await prepareBaseline(database)
            let base = try await staging(workload.baselineCSV, into: database, label: "staging-\(workload.label)")
            try await expectRows(workload.baselineRows, in: database, after: "the staging path")
            let overlap = try await staging(
                workload.overlapCSV, into: database, label: "staging-overlap-\(workload.label)")
            try await expectRows(
                workload.baselineRows, in: database, after: "the staging path with the overlapping rows")
            return (base, overlap)
        }
    }

    private func staging(_ csv: URL, into database: BenchDatabase, label: String) async throws -> Double {
        let script = workload.directory.appendingPathComponent(
            "\(csv.deletingPathExtension().lastPathComponent)-staging.sql")
        try """
        BEGIN;
        CREATE TEMPORARY TABLE staging (
            account_id int, date date, amount numeric(15,3), currency char(3), payee text, description text,
            merchant text, category text, bank_id text, value_date date, row_key bytea, import_id bigint
        ) ON COMMIT DROP;
        \\copy staging (\(BaselineCSVWriter.columns)) from \(try Self.quoted(csv)) csv
        INSERT INTO transactions (\(BaselineCSVWriter.columns))
        SELECT \(BaselineCSVWriter.columns) FROM staging
        ON CONFLICT (account_id, row_key, date) DO NOTHING;
        COMMIT;

        """.write(to: script, atomically: true, encoding: .utf8)
        return try await tools.runPSQL(database: database.url, ["-f", script.path], label: label).wall.milliseconds
    }

    /// What the baselines need before their rows, as bankdrop has it before its COPY: the accounts
    /// (ids 1, 2, 3, as in the CSV), one succeeded import the rows belong to, the year partitions.
    private func prepareBaseline(_ database: BenchDatabase) async throws {
        let workload = self.workload
        try await databases.withConnection(to: database) { connection in
            try await connection.run { conn in
                for (index, account) in workload.accounts.enumerated() {
                    try conn.query(
                        "INSERT INTO accounts (id, name) VALUES ($1::int, $2)", [.int(index + 1), .text(account)],
                        operation: "INSERT accounts")
                }
                try conn.query(
                    """
                    INSERT INTO import_logs (id, status, file_name, file_sha256, started_at, finished_at, file_count, transaction_count)
                    VALUES ($1::bigint, 'succeeded', 'bankdrop-bench baseline', $2, now(), now(), 1, 0)
                    """,
                    [
                        .int(Workload.baselineImportID),
                        .bytes(FileDigest.sha256(Array("bankdrop-bench \(database.name)".utf8))),
                    ],
                    operation: "INSERT import_logs")
                for year in workload.years {
                    try conn.query(
                        "SELECT ensure_transactions_partition($1::int)", [.int(year)], operation: "create partition")
                }
            }
        }
    }

    // MARK: bankdrop

    /// `bankdrop import --no-refresh` of the monthly files, the same again, then the overlapping
    /// set, on one fresh database (returned, with N rows).
    private func folderImports(into samples: inout Samples) async throws -> BenchDatabase {
        let database = try await databases.create("import")
        do {
            let first = try await importFolder(workload.folder, into: database, label: "import-\(workload.label)")
            samples.folder.append(first.wall.milliseconds)
            samples.folderRSS.append(Double(first.peakRSSBytes) / 1_048_576)
            samples.folderCPU.append(first.cpu.milliseconds)
            let inserted = try await rowCount(in: database)
            samples.folderInserted.append(Double(inserted))

            let again = try await importFolder(workload.folder, into: database, label: "reimport-\(workload.label)")
            samples.duplicates.append(again.wall.milliseconds)
            let duplicates = try await databases.withConnection(to: database) { connection in
                try await connection.run {
                    try $0.query("SELECT count(*) FROM import_logs WHERE status = 'duplicate'").scalar()
                }
            }
            samples.duplicateFiles.append(Double(duplicates ?? "0") ?? 0)

            let overlap = try await importFolder(
                workload.overlapFolder, into: database, label: "overlap-\(workload.label)")
            samples.overlap.append(overlap.wall.milliseconds)
            samples.overlapRSS.append(Double(overlap.peakRSSBytes) / 1_048_576)
            samples.overlapInserted.append(Double(try await rowCount(in: database) - inserted))
            return database
        } catch {
            await databases.drop(database)
            throw error
        }
    }

    private func importFolder(_ folder: URL, into database: BenchDatabase, label: String) async throws
        -> ChildProcess.Termination
    {
        try await tools.runBankdrop(["import", "--database", database.url, "--no-refresh", folder.path], label: label)
    }

    /// `bankdrop import --account A --no-refresh A.csv` for each account's single file, on a fresh
    /// database: the summed wall time, the largest peak RSS.
    private func wholeFileImports(into samples: inout Samples) async throws {
        let (wall, rss, inserted) = try await databases.withFresh("whole") { database in
            var wall = 0.0
            var rss = 0
            for file in workload.wholeFiles {
                let ending = try await tools.runBankdrop(
                    ["import", "--database", database.url, "--no-refresh", "--account", file.account, file.url.path],
                    label: "whole-\(workload.label)")
                wall += ending.wall.milliseconds
                rss = max(rss, ending.peakRSSBytes)
            }
            return (wall, rss, try await rowCount(in: database))
        }
        samples.whole.append(wall)
        samples.wholeRSS.append(Double(rss) / 1_048_576)
        samples.wholeInserted.append(Double(inserted))
    }

    /// SHA-256 of every monthly file with `FileDigest`, in-process: the floor of a re-import.
    private func hashFiles() throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for url in workload.files {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var digest = FileDigest()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                digest.update(Array(chunk))
            }
            _ = digest.finalize()
        }
        return (clock.now - start).milliseconds
    }

    // MARK: Checks

    private func rowCount(in database: BenchDatabase) async throws -> Int {
        let count = try await databases.withConnection(to: database) { connection in
            try await connection.run { try $0.query("SELECT count(*) FROM transactions").scalar() }
        }
        return Int(count ?? "") ?? 0
    }

    private func expectRows(_ expected: Int, in database: BenchDatabase, after what: String) async throws {
        let count = try await rowCount(in: database)
        guard count == expected else {
            throw BenchError("\(what) left \(count) rows in transactions, expected \(expected)")
        }
    }

    /// A path as a single-quoted psql argument.
    private static func quoted(_ url: URL) throws -> String {
        guard !url.path.contains("'"), !url.path.contains("\\") else {
            throw BenchError("\(url.path): the work folder's path must not contain quotes or backslashes")
        }
        return "'\(url.path)'"
    }

    // MARK: Figures

    private func add(_ samples: Samples, to report: inout Report) {
        let n = workload.label
        let size = workload.rows
        let files = workload.files.count
        func median(_ values: [Double]) -> Double { SampleStatistics(values)?.median ?? 0 }
        func add(_ key: String, _ metric: String, _ values: [Double], _ unit: String, baseline: [Double]? = nil) {
            report.add(
                BenchFigure(
                    group: .import, size: size, key: key, metric: "\(n): \(metric)", value: median(values), unit: unit,
                    baseline: baseline.map(median), runs: values.count))
        }
        let copy = samples.copy
        let staging = samples.staging
        add(
            "import.generated_rows", "distinct rows generated (\(files) monthly files, 3 accounts)",
            [Double(workload.distinctRows)], "rows")
        add("import.copy.wall", "bare \\copy into transactions (baseline A)", copy, "ms")
        add(
            "import.staging.wall", "in-SQL staging path: \\copy to temp table, INSERT ON CONFLICT (baseline B)",
            staging, "ms")
        add(
            "import.folder.wall", "bankdrop import, \(files) monthly files, vs bare \\copy", samples.folder, "ms",
            baseline: copy)
        add(
            "import.folder.wall", "bankdrop import, \(files) monthly files, vs staging path", samples.folder, "ms",
            baseline: staging)
        add(
            "import.folder.rows_per_second", "bankdrop import, monthly files, throughput",
            zip(samples.folderInserted, samples.folder).map { $0 / max($1, 0.001) * 1000 }, "rows/s")
        add(
            "import.folder.cpu", "bankdrop import, monthly files, importer CPU (user + system)", samples.folderCPU, "ms"
        )
        add("import.folder.peak_rss", "bankdrop import, monthly files, importer peak RSS", samples.folderRSS, "MiB")
        add(
            "import.folder.rows_inserted", "bankdrop import, monthly files, rows inserted vs generated",
            samples.folderInserted, "rows", baseline: [Double(workload.distinctRows)])
        add(
            "import.whole.wall", "bankdrop import, one file per account, vs bare \\copy", samples.whole, "ms",
            baseline: copy)
        add(
            "import.whole.wall", "bankdrop import, one file per account, vs staging path", samples.whole, "ms",
            baseline: staging)
        add(
            "import.whole.rows_per_second", "bankdrop import, one file per account, throughput",
            zip(samples.wholeInserted, samples.whole).map { $0 / max($1, 0.001) * 1000 }, "rows/s")
        add(
            "import.whole.peak_rss", "bankdrop import, one file per account, importer peak RSS", samples.wholeRSS, "MiB"
        )
        add(
            "import.whole.rows_inserted", "bankdrop import, one file per account, rows inserted vs generated",
            samples.wholeInserted, "rows", baseline: [Double(workload.distinctRows)])
        add(
            "reimport.duplicates.wall",
            "re-import of the same \(files) files (all duplicates) vs hashing them in-process",
            samples.duplicates, "ms", baseline: samples.hashing)
        add(
            "reimport.duplicates.files", "re-import, files recorded as duplicates vs files",
            samples.duplicateFiles, "files", baseline: [Double(files)])
        add(
            "reimport.overlap.wall",
            "import of the overlapping set (\(workload.overlapFileCount) files, \(workload.overlapRows) rows, all stored) vs staging path on the same rows",
            samples.overlap, "ms", baseline: samples.stagingOverlap)
        add("reimport.overlap.peak_rss", "import of the overlapping set, importer peak RSS", samples.overlapRSS, "MiB")
        add(
            "reimport.overlap.rows_inserted", "import of the overlapping set, rows inserted (must be 0)",
            samples.overlapInserted, "rows")
    }
}
