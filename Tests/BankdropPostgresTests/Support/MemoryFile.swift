import BankdropAgent
import BankdropCore

/// A statement file held in memory (tests only): the pipeline's `ImportSource` port.
struct MemoryFile: ImportSource {
    var fileName: String
    var bytes: [UInt8]
    var folderAccount: String?

    init(_ fileName: String, _ text: String, account: String? = nil) {
        self.fileName = fileName
        self.bytes = Array(text.utf8)
        self.folderAccount = account
    }

    var displayName: String { fileName }

    func open() throws -> any ByteSource { InMemoryByteSource(bytes, chunkSize: 4096) }
}

/// A large generated CSV, streamed without ever being held in memory.
struct GeneratedCSV: ImportSource {
    var fileName = "generated.csv"
    var rows: Int
    var year = 2024
    var folderAccount: String? = "Generated"
    var displayName: String { fileName }

    func open() throws -> any ByteSource { Stream(rows: rows, year: year) }

    struct Stream: ByteSource {
        let rows: Int
        let year: Int
        var next = -1

        mutating func read() throws -> [UInt8] {
            guard next < rows else { return [] }
            var text = ""
            if next < 0 {
                text = "date,amount,payee,description\n"
                next = 0
            }
            let end = min(rows, next + 2000)
            while next < end {
                // Dates ascend through the year, as bank exports do.
                let dayOfYear = next * 365 / max(rows, 1)
                let month = min(12, dayOfYear / 31 + 1)
                let day = min(28, dayOfYear % 31 + 1)
                text += "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),-\(next % 997).\(next % 10)5,Shop \(next % 313),order \(next)\n"
                next += 1
            }
            return Array(text.utf8)
        }
    }
}
