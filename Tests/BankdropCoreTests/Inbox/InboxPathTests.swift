import Testing

@testable import BankdropCore

@Suite("Inbox paths")
struct InboxPathTests {
    @Test("valid relative paths", arguments: ["a.csv", "acct/a.csv", "acct/2024/jan.ofx", "a b/c\nd", "..a/b..", ".x"])
    func valid(text: String) throws {
        let path = try #require(InboxPath(text))
        #expect(path.bytes == Array(text.utf8))
    }

    @Test("rejected paths", arguments: ["", "/etc/passwd", "a//b", "a/", "../a", "a/../b", "./a", "a/.", "a\0b"])
    func invalid(text: String) {
        #expect(InboxPath(text) == nil)
    }

    @Test("a component longer than 255 bytes is rejected, 255 is fine")
    func componentLength() {
        #expect(InboxPath(bytes: [UInt8](repeating: 0x61, count: 255)) != nil)
        #expect(InboxPath(bytes: [UInt8](repeating: 0x61, count: 256)) == nil)
    }

    @Test("components, name, parent and appending")
    func parts() throws {
        let path = try #require(InboxPath("acct/2024/jan.csv"))
        #expect(path.components == [Array("acct".utf8), Array("2024".utf8), Array("jan.csv".utf8)])
        #expect(path.name == Array("jan.csv".utf8))
        #expect(path.parent == InboxPath("acct/2024"))
        #expect(InboxPath("top.csv")?.parent == nil)
        #expect(InboxPath("acct")?.appending(Array("x.csv".utf8)) == InboxPath("acct/x.csv"))
        #expect(InboxPath("acct")?.appending(Array("x/y".utf8)) == nil)
        #expect(InboxPath("acct")?.appending(Array("..".utf8)) == nil)
    }

    @Test(
        "isWithin matches whole components",
        arguments: [
            ("done/2024/x.csv", "done", true), ("done", "done", true), ("donut/x", "done", false),
            ("done2/x", "done", false), ("acct/done/x", "done", false),
        ]
    )
    func within(path: String, folder: String, expected: Bool) throws {
        let path = try #require(InboxPath(path))
        let folder = try #require(InboxPath(folder))
        #expect(path.isWithin(folder) == expected)
    }

    @Test(
        "a temporary component anywhere makes the path temporary",
        arguments: [
            ("acct/x.csv", false), ("acct/.x.csv", true), (".sync/x.csv", true), ("acct/x.csv.part", true),
            ("x.part/y.csv", true),
        ]
    )
    func temporary(path: String, expected: Bool) throws {
        #expect(try #require(InboxPath(path)).isTemporary == expected)
    }

    @Test("invalid UTF-8 round-trips and displays escaped")
    func invalidUTF8() throws {
        let bytes: [UInt8] = Array("acct/".utf8) + [0xFF] + Array("\n.csv".utf8)
        let path = try #require(InboxPath(bytes: bytes))
        #expect(path.bytes == bytes)
        #expect(path.displayName == "acct/\\xFF\\n.csv")
        #expect("\(path)" == "acct/\\xFF\\n.csv")
    }
}
