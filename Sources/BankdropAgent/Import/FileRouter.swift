import BankdropCore
import BankdropInbox
import Foundation
import Logging

/// Moves a finished file where its outcome says: imported or duplicate to `done/YYYY/MM/`,
/// refused to `failed/` beside `<name>.error.txt`. Runs only after the import's COMMIT, so a
/// crash in between is harmless: next time the hash is found and the file moves as a duplicate.
public struct FileRouter: Sendable {
    public let mover: InboxMover
    private let logger: Logger

    public init(mover: InboxMover, logger: Logger) {
        self.mover = mover
        self.logger = logger
    }

    /// Moves `source` for `outcome`; does nothing for outcomes that leave the file in place, nor
    /// when the file changed since it was read.
    /// - Returns: where the file went, or nil.
    @discardableResult
    public func route(_ source: InboxImportSource, outcome: ImportOutcome, now: Date = Date()) -> InboxMove? {
        let destination: InboxDestination
        switch outcome {
        case .imported, .duplicate:
            let parts = Calendar.current.dateComponents([.year, .month], from: now)
            destination = .done(year: parts.year ?? 1970, month: parts.month ?? 1)
        case .refused(let refusal, _):
            destination = .failed(reason: Self.errorReport(for: source.displayName, refusal: refusal))
        case .retryLater:
            return nil
        }
        // Rewritten in place since it was read (same inode, new bytes): those bytes are not what the
        // outcome is about. Leave the file; its change was seen and it is imported again.
        guard (try? source.checkUnchanged()) != nil else {
            logger.warning(
                "File changed after it was read; left in the inbox to be read again",
                metadata: ["file.name": "\(source.displayName)"])
            return nil
        }
        return route(source.path, to: destination, expecting: source.snapshot.identity)
    }

    /// Moves an inbox entry that could not even be opened (symlink, FIFO, device) to failed/.
    @discardableResult
    public func refuse(_ path: InboxPath, refusal: ImportRefusal) -> InboxMove? {
        route(path, to: .failed(reason: Self.errorReport(for: path.displayName, refusal: refusal)), expecting: nil)
    }

    private func route(_ path: InboxPath, to destination: InboxDestination, expecting: FileIdentity?) -> InboxMove? {
        do {
            let move = try mover.move(path, to: destination, expecting: expecting)
            logger.debug("Moved file", metadata: ["file.name": "\(path.displayName)", "file.destination": "\(move.displayPath)"])
            return move
        } catch {
            logger.warning("Could not move file", metadata: ["file.name": "\(path.displayName)", "error": "\(error)"])
            return nil
        }
    }

    /// The reason written into `failed/<name>.error.txt` (the mover adds the file name, time and how to retry).
    static func errorReport(for name: String, refusal: ImportRefusal) -> String {
        refusal.description
            + "\n\nIf the file itself is fine, bankdrop may not know its layout or account yet: add a CSV profile or an "
            + "account rule to the configuration (docs/formats.md, docs/configuration.md), then drop the file into the inbox again."
    }
}
