import Testing

@testable import BankdropCore

@Suite("Inbox file names")
struct InboxFileNameTests {
    @Test(
        "temporary names are never imported",
        arguments: [
            ".hidden.csv", ".statement.csv.Xa81Bz",  // rsync's hidden temp name
            ".bankdrop.lock", "statement.csv.part", "statement.csv.PART", "statement.csv.crdownload",
            "statement.csv.download", "upload.tmp", "statement.csv.filepart", "statement.csv~",
            ".statement.csv.swp", "statement.swp", "statement.csv.error.txt", "",
        ]
    )
    func temporary(name: String) {
        #expect(InboxFileName.isTemporary(name))
    }

    @Test(
        "ordinary export names are candidates",
        arguments: [
            "statement.csv", "Umsätze 2024.CSV", "export.ofx", "a.part.csv", "error.txt", "mt940.sta",
            "crdownload", "tmp", "file.txt", "partial",
        ]
    )
    func candidate(name: String) {
        #expect(!InboxFileName.isTemporary(name))
    }

    @Test("byte names with invalid UTF-8 are judged on their bytes")
    func invalidUTF8() {
        #expect(!InboxFileName.isTemporary(bytes: [0xFF, 0xFE] + Array(".csv".utf8)))
        #expect(InboxFileName.isTemporary(bytes: [0xFF] + Array(".part".utf8)))
        #expect(InboxFileName.isTemporary(bytes: Array(".".utf8) + [0xFF]))
    }

    @Test(
        "numbered names for clashes",
        arguments: [
            ("statement.csv", 1, "statement.csv"),
            ("statement.csv", 2, "statement (2).csv"),
            ("statement.csv", 13, "statement (13).csv"),
            ("archive.tar.gz", 2, "archive.tar (2).gz"),
            ("README", 3, "README (3)"),
            ("v1.0 statement", 2, "v1 (2).0 statement"),
            ("name.averyveryverylongextension", 2, "name.averyveryverylongextension (2)"),
        ]
    )
    func numbered(name: String, number: Int, expected: String) {
        #expect(InboxFileName.numbered(Array(name.utf8), number) == Array(expected.utf8))
    }

    @Test("a numbered 255-byte name is shortened to 255 bytes without splitting a character")
    func numberedLongName() throws {
        // 126 two-byte "é" + ".csv" = 256 - 4 + 4... build exactly 255 bytes: 125 "é" (250) + "x" + ".csv".
        let name = Array(String(repeating: "é", count: 125).utf8) + Array("x.csv".utf8)
        #expect(name.count == 255)
        let second = InboxFileName.numbered(name, 2)
        #expect(second.count <= 255)
        #expect(second.count >= 250)
        let text = try #require(String(validating: second, as: UTF8.self))
        #expect(text.hasSuffix(" (2).csv"))
        #expect(InboxFileName.numbered(name, 3) != second)
    }

    @Test("error report names stay within 255 bytes and distinct")
    func errorReportNames() {
        #expect(InboxFileName.errorReportName(for: Array("a.csv".utf8)) == Array("a.csv.error.txt".utf8))

        let longA = [UInt8](repeating: UInt8(ascii: "a"), count: 250) + Array(".csv".utf8) + [0xFF]
        let longB = [UInt8](repeating: UInt8(ascii: "a"), count: 250) + Array(".csv".utf8) + [0xFE]
        let reportA = InboxFileName.errorReportName(for: longA)
        let reportB = InboxFileName.errorReportName(for: longB)
        #expect(reportA.count <= 255)
        #expect(reportB.count <= 255)
        #expect(reportA != reportB)
        #expect(reportA.starts(with: longA.prefix(200)))
        #expect(reportA.suffix(10).elementsEqual(Array(".error.txt".utf8)))
        // The same name always gets the same report name.
        #expect(InboxFileName.errorReportName(for: longA) == reportA)

        let exactly245 = [UInt8](repeating: UInt8(ascii: "b"), count: 245)
        #expect(InboxFileName.errorReportName(for: exactly245).count == 255)
        #expect(InboxFileName.errorReportName(for: exactly245 + [UInt8(ascii: "b")]).count <= 255)
    }

    static let displayCases: [([UInt8], String)] = [
        (Array("plain.csv".utf8), "plain.csv"),
        (Array("two\nlines.csv".utf8), "two\\nlines.csv"),
        (Array("tab\there\r".utf8), "tab\\there\\r"),
        (Array("say \"hi\" it's.csv".utf8), "say \"hi\" it's.csv"),
        (Array("back\\slash".utf8), "back\\\\slash"),
        (Array("esc\u{1B}[31m".utf8), "esc\\u{1B}[31m"),
        (Array("Umsätze €.csv".utf8), "Umsätze €.csv"),
        (Array("bad".utf8) + [0xFF, 0xC3] + Array(".csv".utf8), "bad\\xFF\\xC3.csv"),
        ([0xC0, 0xAF], "\\xC0\\xAF"),  // overlong "/"
        ([0xED, 0xA0, 0x80], "\\xED\\xA0\\x80"),  // UTF-16 surrogate
        (Array("evil\u{202E}vsc.exe".utf8), "evil\\u{202E}vsc.exe"),
    ]

    @Test("display names escape what could corrupt a log line", arguments: displayCases)
    func displayName(bytes: [UInt8], expected: String) {
        #expect(InboxFileName.displayName(bytes) == expected)
    }
}
