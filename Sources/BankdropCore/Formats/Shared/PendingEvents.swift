/// Events a reader has produced but not yet handed out, first in, first out.
///
/// One input token can complete several events (an account and its first transaction); readers
/// park them here and `next()` hands them out one at a time. The storage is reused, so memory
/// stays at the size of the largest batch.
struct PendingEvents {
    private var events: [StatementEvent] = []
    private var head = 0

    mutating func append(_ event: StatementEvent) {
        events.append(event)
    }

    /// The oldest parked event, or nil when none is left.
    mutating func popFirst() -> StatementEvent? {
        guard head < events.count else { return nil }
        let event = events[head]
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        }
        return event
    }
}
