import BankdropCore
import Glibc
import Testing

@testable import BankdropInbox

@Suite("Inbox scanner")
struct InboxScannerTests {
    @Test("the startup scan lists candidates, skips temporary names, done/ and failed/, and links as links")
    func startupScan() throws {
        let inbox = try TemporaryFolder()
        let outside = try TemporaryFolder("outside")
        try Disk.write(outside.url("secret.csv"), "secret")
        try Disk.mkdir(outside.url("folder"))
        try Disk.write(outside.url("folder/inner.csv"), "inner")

        for folder in ["acct", "acct/sub", ".sync", "done", "done/2024", "failed", "x.part"] {
            try Disk.mkdir(inbox.url(folder))
        }
        for file in [
            "top.csv", "acct/a.csv", "acct/sub/b.ofx", ".hidden.csv", "acct/.a.csv.Xa81Bz", "acct/c.csv.part",
            "acct/d.crdownload", ".sync/e.csv", "done/2024/old.csv", "failed/bad.csv", "failed/bad.csv.error.txt",
            "x.part/f.csv", ".bankdrop.lock",
        ] {
            try Disk.write(inbox.url(file), file)
        }
        try Disk.symlink(outside.url("secret.csv"), inbox.url("acct/link.csv"))
        try Disk.symlink(outside.url("folder"), inbox.url("linked-folder"))
        #expect(mkfifo(inbox.url("acct/pipe.csv"), 0o644) == 0)

        let files = try InboxScanner.scan(inbox: inbox.path, excluding: [inbox.url("done"), inbox.url("failed")])
        let listed = files.map { "\($0.path) \($0.type.rawValue)" }
        #expect(
            listed == [
                "acct/a.csv regular", "acct/link.csv symlink", "acct/pipe.csv fifo", "acct/sub/b.ofx regular",
                "linked-folder symlink", "top.csv regular",
            ])
        let a = try #require(files.first { $0.path == InboxPath("acct/a.csv") })
        #expect(a.snapshot.size == Int64("acct/a.csv".utf8.count))
    }

    @Test("done/ and failed/ given with a trailing slash, '..' or through a symlinked inbox are still excluded")
    func exclusionForms() throws {
        let real = try TemporaryFolder()
        let links = try TemporaryFolder("links")
        try Disk.mkdir(real.url("done"))
        try Disk.mkdir(real.url("acct"))
        try Disk.write(real.url("done/old.csv"), "x")
        try Disk.write(real.url("acct/new.csv"), "x")
        try Disk.symlink(real.path, links.url("inbox"))

        for excluded in [real.url("done/"), real.url("acct/../done"), links.url("inbox/done")] {
            let files = try InboxScanner.scan(inbox: links.url("inbox"), excluding: [excluded])
            #expect(files.map(\.path.displayName) == ["acct/new.csv"], "\(excluded)")
        }
        // A folder of the same name elsewhere is not excluded.
        let files = try InboxScanner.scan(inbox: real.path, excluding: ["/somewhere/else/done"])
        #expect(files.map(\.path.displayName) == ["acct/new.csv", "done/old.csv"])
    }

    @Test("weird names are listed with their exact bytes")
    func weirdNames() throws {
        let inbox = try TemporaryFolder()
        for name in Fixtures.weirdNames {
            try Disk.write(Array(inbox.path.utf8) + [47] + name, Array("x".utf8))
        }
        let files = try InboxScanner.scan(inbox: inbox.path)
        #expect(Set(files.map(\.path.bytes)) == Set(Fixtures.weirdNames))
    }

    @Test("an unreadable subfolder is skipped, the rest is listed")
    func unreadableFolder() throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("locked"))
        try Disk.write(inbox.url("locked/x.csv"), "x")
        try Disk.write(inbox.url("ok.csv"), "x")
        #expect(chmod(inbox.url("locked"), 0) == 0)
        defer { chmod(inbox.url("locked"), 0o755) }
        let files = try InboxScanner.scan(inbox: inbox.path)
        // Root ignores permissions: then the file is listed too; either way nothing throws.
        #expect(files.map(\.path.displayName).contains("ok.csv"))
    }

    @Test("a missing inbox throws with ENOENT")
    func missingInbox() {
        let error = #expect(throws: InboxFileError.self) { try InboxScanner.scan(inbox: "/nonexistent/bankdrop") }
        #expect(error?.errno == ENOENT)
    }
}
