import BankdropAgent
import BankdropCore
import Foundation
import Glibc
import Testing

extension AgentEndToEndTests {
    /// File names are bytes: awkward ones are imported and moved under their exact name.
    @Suite("File names")
    struct FileNames {
        static let names: [[UInt8]] = [
            Array("line\nbreak.csv".utf8),
            [0x66, 0xFF, 0xFE, 0x2E, 0x63, 0x73, 0x76],  // "f\xff\xfe.csv": not UTF-8
            Array("Zoë's \"quoted\" 'single' $(echo).csv".utf8),
            Array("-dash-first.csv".utf8),
        ]

        @Test("names with a newline, invalid UTF-8, quotes and a leading dash are imported and moved byte-exact")
        func awkwardNames() async throws {
            try await AgentSandbox.run { sandbox in
                let agent = try await sandbox.startWatchingAgent()
                for (index, name) in Self.names.enumerated() {
                    let path = Array(sandbox.inbox.utf8) + [UInt8(ascii: "/")] + name
                    let fd = open(
                        path.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    try #require(fd >= 0)
                    let text = Array(StatementFiles.csv(tag: "name\(index)", rows: 2).utf8)
                    let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                    try #require(written == text.count)
                }
                try await sandbox.eventually("all four imported", agent: agent) {
                    try await sandbox.importCount("succeeded") == Self.names.count
                        && Self.doneNames(sandbox).count == Self.names.count
                }
                #expect(await agent.stop() == .exited(0))

                #expect(Set(Self.doneNames(sandbox)) == Set(Self.names))
                let recorded = Set(try await sandbox.importLogs().map(\.fileName))
                #expect(recorded == Set(Self.names.map { InboxFileName.displayName($0) }))
                #expect(try await sandbox.integer("SELECT count(*) FROM transactions") == 2 * Self.names.count)
                #expect(sandbox.failedFiles.isEmpty)
            }
        }

        /// The raw names under done/YYYY/MM/.
        static func doneNames(_ sandbox: AgentSandbox) -> [[UInt8]] {
            let folder = Array("\(sandbox.inbox)/done/\(AgentSandbox.doneFolder())".utf8)
            guard let stream = opendir(folder.map { CChar(bitPattern: $0) } + [0]) else { return [] }
            defer { closedir(stream) }
            var names: [[UInt8]] = []
            while let entry = readdir(stream) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                if name != [46] && name != [46, 46] { names.append(name) }
            }
            return names
        }
    }
}
