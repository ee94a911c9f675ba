import BankdropCore
import Foundation
import Glibc
import Testing

@testable import BankdropInbox

@Suite("Safe file access")
struct SafeFileTests {
    @Test("a regular file is read in 64 KiB chunks with its size, time and identity")
    func regularFile() throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("acct"))
        let content = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Disk.write(Array(inbox.url("acct/big.csv").utf8), content)
        var info = stat()
        #expect(stat(inbox.url("acct/big.csv"), &info) == 0)

        let directory = try InboxDirectory(path: inbox.path)
        let file = try SafeFile.open(try #require(InboxPath("acct/big.csv")), in: directory)
        #expect(file.size == 200_000)
        #expect(file.identity == FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        #expect(
            file.modified
                == FileTimestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec)))

        var source = file.bytes()
        var chunks: [[UInt8]] = []
        while true {
            let chunk = try source.read()
            if chunk.isEmpty { break }
            chunks.append(chunk)
        }
        #expect(chunks.map(\.count) == [65_536, 65_536, 65_536, 200_000 - 3 * 65_536])
        #expect(Array(chunks.joined()) == content)
        #expect(try source.read() == [])

        // The descriptor is blocking again after the type check.
        file.close()
        #expect(throws: InboxFileError.self) { try source.read() }
    }

    @Test("a symlink to a file outside the inbox is refused, and named as a symlink")
    func symlinkToOutside() throws {
        let inbox = try TemporaryFolder()
        let outside = try TemporaryFolder("outside")
        try Disk.write(outside.url("secret.csv"), "secret")
        try Disk.symlink(outside.url("secret.csv"), inbox.url("link.csv"))

        let directory = try InboxDirectory(path: inbox.path)
        let error = try #require(throws: InboxFileError.self) {
            try SafeFile.open(try #require(InboxPath("link.csv")), in: directory)
        }
        #expect(error.reason == .notRegularFile(.symlink))
        #expect(error.description.contains("link.csv: it is a symlink"))
    }

    @Test("a FIFO is refused at once: opening it never blocks")
    func fifo() throws {
        let inbox = try TemporaryFolder()
        #expect(mkfifo(inbox.url("pipe.csv"), 0o644) == 0)
        // Safety net: should the open block, a writer shows up after 3 s and the timing check fails
        // instead of the test hanging.
        let fifoPath = inbox.url("pipe.csv")
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: 3)
            let fd = open(fifoPath, O_RDWR | O_NONBLOCK)
            if fd >= 0 {
                Thread.sleep(forTimeInterval: 1)
                close(fd)
            }
        }
        watchdog.start()

        let directory = try InboxDirectory(path: inbox.path)
        let started = ContinuousClock.now
        let error = try #require(throws: InboxFileError.self) {
            try SafeFile.open(try #require(InboxPath("pipe.csv")), in: directory)
        }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error.reason == .notRegularFile(.fifo))
        #expect(error.description.contains("FIFO"))
    }

    @Test("a socket, a directory and a device are refused with their type")
    func otherTypes() throws {
        let inbox = try TemporaryFolder()
        try Disk.mkdir(inbox.url("folder.csv"))
        try Fixtures.makeSocket(inbox.url("socket.csv"))
        let directory = try InboxDirectory(path: inbox.path)

        var cases: [(String, InboxFileType)] = [("folder.csv", .directory), ("socket.csv", .socket)]
        if Fixtures.canMakeDevices, mknod(inbox.url("null.csv"), S_IFCHR | 0o600, Fixtures.devNull) == 0 {
            cases.append(("null.csv", .characterDevice))
        }
        for (name, type) in cases {
            let error = try #require(throws: InboxFileError.self) {
                try SafeFile.open(try #require(InboxPath(name)), in: directory)
            }
            #expect(error.reason == .notRegularFile(type), "\(name)")
        }
    }

    @Test("a symlinked folder on the way is not followed")
    func symlinkedFolder() throws {
        let inbox = try TemporaryFolder()
        let outside = try TemporaryFolder("outside")
        try Disk.write(outside.url("secret.csv"), "secret")
        try Disk.symlink(outside.path, inbox.url("acct"))

        let directory = try InboxDirectory(path: inbox.path)
        let error = try #require(throws: InboxFileError.self) {
            try SafeFile.open(try #require(InboxPath("acct/secret.csv")), in: directory)
        }
        #expect(error.reason == .notAFolder(component: "acct", .symlink))
        #expect(try directory.inspect(try #require(InboxPath("acct")))?.type == .symlink)
        #expect(throws: InboxFileError.self) { try directory.inspect(try #require(InboxPath("acct/secret.csv"))) }
    }

    @Test("a missing file is reported as not found, and inspect returns nil")
    func missing() throws {
        let inbox = try TemporaryFolder()
        let directory = try InboxDirectory(path: inbox.path)
        let path = try #require(InboxPath("nope/gone.csv"))
        let error = try #require(throws: InboxFileError.self) { try SafeFile.open(path, in: directory) }
        #expect(error.isNotFound)
        #expect(error.errno == ENOENT)
        #expect(try directory.inspect(path) == nil)
        #expect(try directory.inspect(try #require(InboxPath("gone.csv"))) == nil)
    }

    @Test("names with a newline, quotes or invalid UTF-8 open and inspect fine")
    func weirdNames() throws {
        let inbox = try TemporaryFolder()
        let directory = try InboxDirectory(path: inbox.path)
        for name in Fixtures.weirdNames {
            try Disk.write(Array(inbox.path.utf8) + [47] + name, Array("x".utf8))
            let path = try #require(InboxPath(bytes: name))
            let file = try SafeFile.open(path, in: directory)
            var source = file.bytes()
            #expect(try source.read() == Array("x".utf8))
            #expect(try directory.inspect(path)?.type == .regular)
        }
    }

    @Test("the inbox must exist")
    func missingInbox() {
        let error = #expect(throws: InboxFileError.self) { try InboxDirectory(path: "/nonexistent/bankdrop-inbox") }
        #expect(error?.errno == ENOENT)
    }
}
