import BankdropAgent
import BankdropCore
import Testing

/// `bankdrop import --dry-run`: what the summary keeps, and that it still counts every row.
@Suite("Dry-run preview")
struct StatementPreviewTests {
    static let file: MemoryFile = {
        var text = "date,amount,payee,description\n"
        for index in 0..<1000 { text += "2025-03-\(index / 100 + 10),-\(index % 50 + 1).25,Shop \(index % 9),row \(index)\n" }
        return MemoryFile("march.csv", text, account: "Checking")
    }()

    @Test("the text summary keeps 20 rows but counts all 1000; the JSON preview keeps every row")
    func limit() {
        let settings = Importer.Settings(host: "test")
        let summary = StatementPreview.build(Self.file, path: "march.csv", fallbackAccount: "Checking", settings: settings, transactionLimit: 20)
        #expect(summary.transactions.count == 20)
        #expect(summary.accounts.map(\.transactions) == [1000])
        #expect(summary.text.contains("... 980 more (use --json for all)"))
        let full = StatementPreview.build(Self.file, path: "march.csv", fallbackAccount: "Checking", settings: settings)
        #expect(full.transactions.count == 1000)
        #expect(full.transactions.prefix(20).map(\.rowKey) == summary.transactions.map(\.rowKey))
        #expect(full.text == summary.text)
    }
}
