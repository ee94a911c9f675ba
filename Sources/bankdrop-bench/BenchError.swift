/// A measurement that could not be taken: a tool missing or failing, a database that cannot be
/// prepared, an agent that did not finish in time. Says what failed and, for a child process, ends
/// with the last lines it wrote.
struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
