import BankdropAgent
import BankdropCore
import Foundation

/// A generated statement file on disk, named to the importer by its inbox folder (tests only).
struct GeneratedFile: ImportSource {
    var url: URL
    var folderAccount: String?
    var fileName: String { url.lastPathComponent }
    var displayName: String { folderAccount.map { "\($0)/\(fileName)" } ?? fileName }

    func open() throws -> any ByteSource {
        InMemoryByteSource(Array(try Data(contentsOf: url)))
    }

    /// Every file under `directory/<account>/`, in path order.
    static func all(in directory: URL) throws -> [GeneratedFile] {
        let manager = FileManager.default
        var files: [GeneratedFile] = []
        for folder in try manager.contentsOfDirectory(atPath: directory.path).sorted() {
            let folderURL = directory.appendingPathComponent(folder)
            for name in try manager.contentsOfDirectory(atPath: folderURL.path).sorted() {
                files.append(GeneratedFile(url: folderURL.appendingPathComponent(name), folderAccount: folder))
            }
        }
        return files
    }
}
