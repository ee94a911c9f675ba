import ArgumentParser
import BankdropAgent
import BankdropCore
import BankdropInbox
import BankdropPostgres
import Foundation

/// `bankdrop import`: one-shot import through the agent's pipeline.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import statement files (or inbox-like folders) through the same pipeline as the agent.",
        discussion: """
            A folder is imported recursively; files in <folder>/<account>/ belong to that account.
            On a terminal, a file that takes more than a second shows its progress on standard error.
            Exit codes: 0 every file imported or already imported; 1 a file was refused (bad content,
            unknown format, no account); 75 a passing problem (database unreachable, disk full): try again.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The account for files that do not name one.") var account: String?
    @Flag(help: "Show what would be imported; touch no database.") var dryRun = false
    // --json is the root's OutputOptions, which ArgumentParser hands down (see Bankdrop).
    @OptionGroup var output: OutputOptions
    private var json: Bool { output.json }
    @Flag(help: "Move finished files to done/YYYY/MM/ or failed/ (with <name>.error.txt), as the agent does.")
    var move = false
    @Flag(help: "Do not refresh the summary views afterwards.") var noRefresh = false
    @Argument(help: "Files or folders.") var paths: [String]

    func run() async throws {
        let context = try global.context()
        let settings = context.importerSettings(account: account)
        var sources: [(InboxImportSource?, InboxPath, FileRouter?, ImportRefusal?)] = []
        for path in paths {
            sources += try collect(path, context: context)
        }
        if dryRun { return try preview(sources.compactMap { $0.0 }, settings: settings, failures: sources) }

        let importer = try await Importer.connect(conninfo: try context.connectionString(), settings: settings, logger: context.logger)
        var results: [ImportReportLine] = []
        for (source, path, router, refusal) in sources {
            guard let source else {
                let refusal = refusal ?? .notARegularFile(kind: "unknown")
                router?.refuse(path, refusal: refusal)
                results.append(ImportReportLine(file: path.displayName, outcome: .refused(refusal, importID: nil)))
                continue
            }
            let progress = ProgressSource(source)
            let outcome = await importer.importFile(progress)
            progress.meter.finish()
            let moved = router?.route(source, outcome: outcome)
            results.append(ImportReportLine(file: source.displayName, outcome: outcome, movedTo: moved?.displayPath))
            if !json { print(results[results.count - 1].text) }
        }
        let inserted = results.reduce(0) { $0 + $1.rowsInserted }
        var refreshed: ViewRefresher.Record?
        if !noRefresh, inserted > 0 {
            let connection = try await context.connect()
            refreshed = try await connection.run {
                try ViewRefresher.refresh(trigger: "import", host: ProcessInfo.processInfo.hostName, on: $0)
            }
        }
        let summary = ImportRunSummary(lines: results, refresh: refreshed)
        if json {
            print(try summary.json())
        } else {
            print(summary.text)
        }
        throw ExitCode(summary.exitCode)
    }

    /// The files under `path`, each with the router for its folder (when moving).
    private func collect(_ path: String, context: AgentContext) throws -> [(InboxImportSource?, InboxPath, FileRouter?, ImportRefusal?)] {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) || (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil else {
            throw ValidationError("\(path): no such file or folder")
        }
        let folder = isDirectory.boolValue ? url : url.deletingLastPathComponent()
        let inbox = try InboxDirectory(path: folder.path)
        let done = resolved(context.configuration.inbox.doneDir ?? "done", in: folder)
        let failed = resolved(context.configuration.inbox.failedDir ?? "failed", in: folder)
        let router = move ? FileRouter(mover: InboxMover(inbox: inbox, done: done, failed: failed), logger: context.logger) : nil
        let entries: [(InboxPath, InboxFileType)]
        if isDirectory.boolValue {
            entries = try InboxScanner.scan(inbox: folder.path, excluding: [done, failed], logger: context.logger).map { ($0.path, $0.type) }
        } else {
            guard let name = InboxPath(url.lastPathComponent) else { throw ValidationError("\(path): not a file name") }
            entries = [(name, .regular)]
        }
        return entries.sorted { $0.0 < $1.0 }.map { path, type in
            guard type == .regular else { return (nil, path, router, .notARegularFile(kind: type.description)) }
            do {
                return (try InboxImportSource(inbox: inbox, path: path), path, router, nil)
            } catch let error as InboxFileError {
                if case .notRegularFile(let kind) = error.reason { return (nil, path, router, .notARegularFile(kind: kind.description)) }
                return (nil, path, router, .unreadable(StatementError(line: nil, message: error.description)))
            } catch {
                return (nil, path, router, .unreadable(StatementError(line: nil, message: "\(error)")))
            }
        }
    }

    private func resolved(_ name: String, in folder: URL) -> String {
        name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
    }

    private func preview(
        _ files: [InboxImportSource], settings: Importer.Settings, failures: [(InboxImportSource?, InboxPath, FileRouter?, ImportRefusal?)]
    ) throws {
        let previews = files.map { source in
            StatementPreview.build(
                source, path: source.displayName,
                fallbackAccount: settings.account ?? source.folderAccount ?? settings.accountRules.account(forFileName: source.fileName),
                settings: settings, transactionLimit: json ? .max : 20)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(previews), as: UTF8.self))
        } else {
            for preview in previews { print(preview.text) }
            for (source, path, _, refusal) in failures where source == nil {
                print("\(path.displayName): \(refusal?.description ?? "cannot be read")")
            }
        }
        if previews.contains(where: \.malformed) || failures.contains(where: { $0.0 == nil }) { throw ExitCode(1) }
    }
}
