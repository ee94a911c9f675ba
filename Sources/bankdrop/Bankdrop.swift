import ArgumentParser
import BankdropAgent

@main
struct Bankdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bank exports into PostgreSQL.")
    func run() async throws {}
}
