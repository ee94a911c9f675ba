import BankdropCore
import BankdropInbox
import Logging
import Testing

/// Collects a watcher's events in the background so tests can wait for one with a deadline.
actor EventRecorder {
    private(set) var events: [InboxEvent] = []
    private var finished = false

    func append(_ event: InboxEvent) { events.append(event) }
    func finish() { finished = true }

    /// Waits until an event matching `predicate` has arrived (checked every 20 ms), at most `timeout`.
    /// - Returns: the first matching event, or nil after the deadline.
    func first(
        within timeout: Duration = .seconds(5), where predicate: @Sendable (InboxEvent) -> Bool
    ) async -> InboxEvent? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let match = events.first(where: predicate) { return match }
            if finished || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Forgets the events seen so far.
    func clear() { events.removeAll() }
}

extension InboxEvent {
    /// The path of a `.ready` or `.changed` event.
    var path: InboxPath? {
        switch self {
        case .ready(let path), .changed(let path): path
        case .rescan, .watchLimitReached: nil
        }
    }
}

/// Runs `body` with a started watcher and a recorder of its events, and always stops the watcher.
func withWatcher(
    inbox: String, excluding: [String] = [], options: InboxWatcher.Options = .init(readTimeoutSeconds: 1),
    afterStart: () -> Void = {},
    _ body: (InboxWatcher, EventRecorder) async throws -> Void
) async throws {
    var logger = Logger(label: "bankdrop.inbox.tests")
    logger.logLevel = .info
    let watcher: InboxWatcher
    do {
        watcher = try await InboxWatcher.start(inbox: inbox, excluding: excluding, logger: logger, options: options)
    } catch {
        afterStart()
        throw error
    }
    afterStart()
    let recorder = EventRecorder()
    let consumer = Task {
        for await event in watcher.events { await recorder.append(event) }
        await recorder.finish()
    }
    do {
        try await body(watcher, recorder)
    } catch {
        await watcher.stop()
        await consumer.value
        throw error
    }
    await watcher.stop()
    await consumer.value
}
