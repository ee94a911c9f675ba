import BankdropCore
import Glibc
import Testing

@testable import BankdropInbox

@Suite("Inbox mover")
struct InboxMoverTests {
    struct Setup {
        let root: TemporaryFolder
        let inbox: String
        let done: String
        let failed: String
        let mover: InboxMover

        init() throws {
            root = try TemporaryFolder()
            inbox = root.url("inbox")
            done = root.url("archive/done")
            failed = root.url("inbox/failed")  // inside the inbox, as some users configure it
            try Disk.mkdir(inbox)
            mover = InboxMover(inbox: try InboxDirectory(path: inbox), done: done, failed: failed)
        }
    }

    @Test("a file moves to done/YYYY/MM/, folders created with mode 0750")
    func toDone() throws {
        let setup = try Setup()
        try Disk.mkdir(setup.inbox + "/acct")
        try Disk.write(setup.inbox + "/acct/jan.csv", "january")

        let moved = try setup.mover.move(try #require(InboxPath("acct/jan.csv")), to: .done(year: 2024, month: 1))
        #expect(moved.folder == setup.done + "/2024/01")
        #expect(moved.name == Array("jan.csv".utf8))
        #expect(moved.errorReportName == nil)
        #expect(try Disk.read(setup.done + "/2024/01/jan.csv") == "january")
        #expect(!Disk.exists(setup.inbox + "/acct/jan.csv"))
        for folder in [setup.done, setup.done + "/2024", setup.done + "/2024/01"] {
            var info = stat()
            #expect(stat(folder, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o750, "\(folder)")
        }
    }

    @Test("a name clash keeps both files under distinct names")
    func clash() throws {
        let setup = try Setup()
        for folder in ["a", "b", "c"] {
            try Disk.mkdir(setup.inbox + "/" + folder)
            try Disk.write(setup.inbox + "/\(folder)/statement.csv", "from \(folder)")
        }
        var names: [String] = []
        for folder in ["a", "b", "c"] {
            let moved = try setup.mover.move(
                try #require(InboxPath("\(folder)/statement.csv")), to: .done(year: 2025, month: 12))
            names.append(String(decoding: moved.name, as: UTF8.self))
        }
        #expect(names == ["statement.csv", "statement (2).csv", "statement (3).csv"])
        #expect(try Disk.read(setup.done + "/2025/12/statement.csv") == "from a")
        #expect(try Disk.read(setup.done + "/2025/12/statement (2).csv") == "from b")
        #expect(try Disk.read(setup.done + "/2025/12/statement (3).csv") == "from c")
    }

    @Test("a failed file gets an error report beside it, written atomically")
    func toFailed() throws {
        let setup = try Setup()
        try Disk.write(setup.inbox + "/bad.csv", "garbage")
        try Disk.mkdir(setup.failed)
        try Disk.write(setup.failed + "/bad.csv", "an older bad file")

        let reason = "line 3, field Betrag, value \"12,3,4\": not an amount"
        let moved = try setup.mover.move(try #require(InboxPath("bad.csv")), to: .failed(reason: reason))
        #expect(moved.name == Array("bad (2).csv".utf8))
        #expect(moved.errorReportName == Array("bad (2).csv.error.txt".utf8))
        #expect(moved.displayPath == setup.failed + "/bad (2).csv")
        #expect(try Disk.read(setup.failed + "/bad.csv") == "an older bad file")
        #expect(try Disk.read(setup.failed + "/bad (2).csv") == "garbage")

        let report = try Disk.read(setup.failed + "/bad (2).csv.error.txt")
        #expect(report.contains("File:   bad.csv (in the inbox)"))
        #expect(report.contains("Now:    \(setup.failed)/bad (2).csv"))
        #expect(report.contains("Reason:\n\(reason)\n"))
        #expect(report.contains("Failed: 20"))
        // No temporary file left behind.
        #expect(Disk.names(setup.failed).allSatisfy { $0.first != UInt8(ascii: ".") })
    }

    @Test("weird names move and get a report whose name is at most 255 bytes", arguments: Fixtures.weirdNames)
    func weirdNames(name: [UInt8]) throws {
        let setup = try Setup()
        let path = try #require(InboxPath(bytes: name))
        for round in 1...2 {
            try Disk.write(Array(setup.inbox.utf8) + [47] + name, Array("round \(round)".utf8))
            let moved = try setup.mover.move(path, to: .failed(reason: "unreadable"))
            let report = try #require(moved.errorReportName)
            #expect(moved.name.count <= 255)
            #expect(report.count <= 255)
            #expect(Disk.exists(bytes: Array(setup.failed.utf8) + [47] + moved.name))
            #expect(Disk.exists(bytes: Array(setup.failed.utf8) + [47] + report))
            if round == 1 { #expect(moved.name == name) } else { #expect(moved.name != name) }
            #expect(!moved.displayPath.contains("\n"))
        }
        // Two files and two distinct reports.
        #expect(Disk.names(setup.failed).count == 4)
    }

    @Test("a file replaced since it was read is left in place")
    func replaced() throws {
        let setup = try Setup()
        try Disk.write(setup.inbox + "/a.csv", "first")
        let directory = try InboxDirectory(path: setup.inbox)
        let file = try SafeFile.open(try #require(InboxPath("a.csv")), in: directory)
        let identity = file.identity
        file.close()
        // Replace it the way an editor or a second download would.
        try Disk.write(setup.inbox + "/a.csv.new", "second")
        try Disk.rename(setup.inbox + "/a.csv.new", setup.inbox + "/a.csv")

        let error = try #require(throws: InboxFileError.self) {
            try setup.mover.move(try #require(InboxPath("a.csv")), to: .done(year: 2024, month: 2), expecting: identity)
        }
        #expect(error.reason == .replaced)
        #expect(try Disk.read(setup.inbox + "/a.csv") == "second")
    }

    @Test("a symlink moves as itself: its target is not touched")
    func symlinkMoves() throws {
        let setup = try Setup()
        let outside = try TemporaryFolder("outside")
        try Disk.write(outside.url("target.csv"), "target")
        try Disk.symlink(outside.url("target.csv"), setup.inbox + "/link.csv")

        try setup.mover.move(try #require(InboxPath("link.csv")), to: .failed(reason: "a symlink"))
        var info = stat()
        #expect(lstat(setup.failed + "/link.csv", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFLNK)
        #expect(try Disk.read(outside.url("target.csv")) == "target")
    }

    @Test("a symlinked year folder in done/ is refused")
    func symlinkedYear() throws {
        let setup = try Setup()
        let outside = try TemporaryFolder("outside")
        try Disk.write(setup.inbox + "/a.csv", "x")
        try Disk.mkdir(setup.root.url("archive"))
        try Disk.mkdir(setup.done)
        try Disk.symlink(outside.path, setup.done + "/2024")

        let error = try #require(throws: InboxFileError.self) {
            try setup.mover.move(try #require(InboxPath("a.csv")), to: .done(year: 2024, month: 3))
        }
        #expect(error.reason == .notAFolder(component: setup.done + "/2024", .symlink))
        #expect(Disk.names(outside.path).isEmpty)
        #expect(Disk.exists(setup.inbox + "/a.csv"))
    }

    @Test("an impossible month is refused", arguments: [(2024, 0), (2024, 13), (0, 1), (10_000, 1)])
    func invalidMonth(year: Int, month: Int) throws {
        let setup = try Setup()
        try Disk.write(setup.inbox + "/a.csv", "x")
        let error = try #require(throws: InboxFileError.self) {
            try setup.mover.move(try #require(InboxPath("a.csv")), to: .done(year: year, month: month))
        }
        #expect(error.reason == .invalidPath)
        #expect(Disk.exists(setup.inbox + "/a.csv"))
    }

    @Test("the link + unlink fallback never overwrites either, and moves when the name is free")
    func linkFallback() throws {
        let setup = try Setup()
        try Disk.write(setup.inbox + "/a.csv", "new")
        try Disk.write(setup.inbox + "/b.csv", "existing")
        let directory = try InboxDirectory(path: setup.inbox)
        let (a, b, c) = (Array("a.csv".utf8), Array("b.csv".utf8), Array("c.csv".utf8))

        let clash = InboxMover.renameWithoutReplacing(
            a, in: directory.descriptor, to: b, in: directory.descriptor, tryingRenameat2: false)
        guard case .failure(let failure) = clash else {
            Issue.record("the fallback replaced an existing file")
            return
        }
        #expect(failure.code == EEXIST)
        #expect(try Disk.read(setup.inbox + "/b.csv") == "existing")
        #expect(try Disk.read(setup.inbox + "/a.csv") == "new")

        let free = InboxMover.renameWithoutReplacing(
            a, in: directory.descriptor, to: c, in: directory.descriptor, tryingRenameat2: false)
        #expect((try? free.get()) != nil)
        #expect(!Disk.exists(setup.inbox + "/a.csv"))
        #expect(try Disk.read(setup.inbox + "/c.csv") == "new")
    }
}
