import BankdropCore

/// What the watcher reports about the inbox.
public enum InboxEvent: Sendable, Hashable {
    /// A file was closed after writing (`IN_CLOSE_WRITE`) or moved in (`IN_MOVED_TO`) under a
    /// name that is not temporary: it is complete and can be imported.
    case ready(InboxPath)
    /// A file was created, written or had its metadata changed (`IN_CREATE`, `IN_MODIFY`,
    /// `IN_ATTRIB`) without being closed: a candidate for the ``SettleTracker``. sftp's
    /// `link` + `unlink` gives only this; so does a writer that keeps the file open. Also reported
    /// for every entry found in a folder that appears in the inbox. Repeats for the same file
    /// within a second are folded into one.
    case changed(InboxPath)
    /// Events may have been missed: list the inbox again (``InboxScanner``) and treat what is
    /// found as candidates.
    case rescan(InboxRescanReason)
    /// The kernel's inotify limit was reached: some folders are not watched. The watcher keeps
    /// running, retries, and asks for periodic rescans meanwhile. Show it in `--status`.
    case watchLimitReached(InboxWatchLimitError)
}

/// Why the watcher asks for a rescan.
public enum InboxRescanReason: String, Sendable, Hashable, CustomStringConvertible {
    /// The kernel's event queue overflowed (`IN_Q_OVERFLOW`): events were lost. Watches were
    /// rebuilt (a folder created meanwhile may have been missed).
    case queueOverflow = "queue_overflow"
    /// The inbox folder was moved, deleted or replaced: watching has stopped and restarts as soon
    /// as a folder is there again (``inboxRestored``).
    case inboxLost = "inbox_lost"
    /// The inbox is there again (or its replacement is): it is watched again.
    case inboxRestored = "inbox_restored"
    /// A watched subfolder was moved or deleted, or reading events failed: watches were rebuilt.
    case watchesRebuilt = "watches_rebuilt"
    /// Some folders are still not watched because of the kernel limit: periodic rescan.
    case watchLimitPoll = "watch_limit_poll"
    /// Every folder is watched again after the kernel limit had been reached.
    case watchesRestored = "watches_restored"

    /// The raw value, for logs and `--status`.
    public var description: String { rawValue }
}
