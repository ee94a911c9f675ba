import Testing

/// End-to-end tests of the real `bankdrop` binary, run as a subprocess against a real inbox
/// folder and the embedded PostgreSQL. Never an `InboxWatcher` in this process: libinotifytools is
/// process-global and the watcher's own unit tests use it.
///
/// Serialized: every test runs an agent, some a large import, and the machine has two cores;
/// running them side by side would turn settle and debounce timings into races.
@Suite("Agent end to end", .serialized)
struct AgentEndToEndTests {}
