import Foundation
import Testing

@testable import BankdropCore

/// A transaction for identity tests: only the fields the key reads matter.
private func row(
    _ date: String, _ amount: String, payee: String? = nil, description: String? = nil, bankID: String? = nil,
    line: Int = 1
) throws -> StatementTransaction {
    StatementTransaction(
        bookingDate: try #require(LocalDate(iso: date)), amount: try #require(Amount(amount)),
        payee: payee, description: description, bankID: bankID, line: line)
}

/// Keys of `rows` for one account, as one file.
private func keys(
    _ rows: [StatementTransaction], account: String = "DE89370400440532013000",
    mode: RowIdentityAssigner.Mode = .windowed
) throws -> [RowKey] {
    var assigner = RowIdentityAssigner(mode: mode)
    return try rows.map { try assigner.key(for: $0, account: account) }
}

@Suite("Row identity")
struct RowIdentityAssignerTests {
    @Test("two identical coffees on one day both survive")
    func identicalRowsInOneFile() throws {
        let coffee = try row("2025-03-12", "-4.50", payee: "Blue Bottle", description: "Card payment")
        let result = try keys([coffee, coffee, coffee])
        #expect(Set(result).count == 3)
    }

    @Test("an overlapping export gives the shared rows the same keys")
    func overlappingExports() throws {
        // January-March, then February-April: February and March are in both.
        let jan = try row("2025-01-15", "-20.00", payee: "Rewe", line: 2)
        let feb = try row("2025-02-03", "-4.50", payee: "Cafe", line: 3)
        let febAgain = try row("2025-02-03", "-4.50", payee: "Cafe", line: 4)
        let mar = try row("2025-03-01", "1200.00", payee: "Employer", description: "Salary", line: 5)
        let apr = try row("2025-04-01", "-700.00", payee: "Landlord", line: 6)

        let first = try keys([jan, feb, febAgain, mar])
        let second = try keys([feb, febAgain, mar, apr])
        #expect(Array(first[1...3]) == Array(second[0...2]))
        #expect(!second.contains(first[0]))
        #expect(!first.contains(second[3]))
    }

    @Test("re-importing the same file gives the same keys")
    func reimport() throws {
        let rows = [
            try row("2025-03-12", "-4.50", payee: "Cafe"), try row("2025-03-12", "-4.50", payee: "Cafe"),
            try row("2025-03-13", "-9.99", description: "Netflix"),
        ]
        #expect(try keys(rows) == keys(rows))
    }

    @Test("a row with a bank id is keyed by that id, not by its amount or text")
    func bankIDRows() throws {
        let a = try row("2025-03-12", "-4.50", payee: "Cafe", bankID: "FITID-1")
        let sameIDOtherText = try row("2025-03-12", "-4.5", payee: "CAFE CORNER", description: "x", bankID: "FITID-1")
        let otherID = try row("2025-03-12", "-4.50", payee: "Cafe", bankID: "FITID-2")
        let noID = try row("2025-03-12", "-4.50", payee: "Cafe")
        let blankID = try row("2025-03-12", "-4.50", payee: "Cafe", bankID: "  ")

        #expect(try keys([a]) == keys([sameIDOtherText]))
        #expect(try keys([a]) != keys([otherID]))
        #expect(try keys([a]) != keys([noID]))
        // A blank id is no id: the row is keyed by amount and text.
        #expect(try keys([blankID]) == keys([noID]))
        // Two rows with the same bank id in one file are both kept.
        #expect(Set(try keys([a, a])).count == 2)
    }

    @Test(
        "the amount enters the key by value, whatever its scale",
        arguments: [
            ("-4.5", "-4.50"), ("-4.5", "-4.500"), ("12", "12.00"), ("0", "-0.00"), ("0.10", "0.1"),
        ])
    func amountScale(_ left: String, _ right: String) throws {
        #expect(try keys([row("2025-03-12", left, payee: "Cafe")]) == keys([row("2025-03-12", right, payee: "Cafe")]))
    }

    @Test(
        "canonical amounts",
        arguments: [
            ("-4.50", "-4.5"), ("12.00", "12"), ("-0.00", "0"), ("0.050", "0.05"), ("8.850", "8.85"), ("100", "100"),
        ])
    func canonicalAmount(_ input: String, _ expected: String) throws {
        #expect(RowIdentityAssigner.canonicalAmount(try #require(Amount(input))) == expected)
    }

    @Test("different amounts give different keys")
    func differentAmounts() throws {
        #expect(
            try keys([row("2025-03-12", "-4.50", payee: "Cafe")]) != keys([row("2025-03-12", "-4.05", payee: "Cafe")]))
    }

    @Test(
        "whitespace runs in payee and description do not matter",
        arguments: [
            ("STARBUCKS STORE 123", "  STARBUCKS \t STORE\n123 "),
            ("STARBUCKS STORE 123", "STARBUCKS\u{00A0}STORE\u{3000}123"),
            ("Miete März", "Miete  März\r\n"),
        ])
    func whitespace(_ left: String, _ right: String) throws {
        #expect(
            try keys([row("2025-03-12", "-4.50", payee: left, description: left)])
                == keys([row("2025-03-12", "-4.50", payee: right, description: right)]))
    }

    @Test("text keeps its case, and a missing text equals an empty one")
    func caseAndNil() throws {
        #expect(try keys([row("2025-03-12", "-1", payee: "Cafe")]) != keys([row("2025-03-12", "-1", payee: "CAFE")]))
        #expect(
            try keys([row("2025-03-12", "-1", payee: nil, description: nil)])
                == keys([row("2025-03-12", "-1", payee: " ", description: "")]))
    }

    @Test("payee and description are separate fields")
    func fieldBoundaries() throws {
        // Plain concatenation would make these equal; length prefixes keep them apart.
        #expect(
            try keys([row("2025-03-12", "-1", payee: "ab", description: "")])
                != keys([row("2025-03-12", "-1", payee: "a", description: "b")]))
        #expect(
            try keys([row("2025-03-12", "-1", payee: "Cafe", description: nil)])
                != keys([row("2025-03-12", "-1", payee: nil, description: "Cafe")]))
    }

    @Test("the account is normalised: spaces removed, ASCII upper-cased")
    func accountNormalisation() throws {
        let coffee = try row("2025-03-12", "-4.50", payee: "Cafe")
        #expect(
            try keys([coffee], account: "DE89 3704 0044 0532 0130 00")
                == keys([coffee], account: "de89370400440532013000"))
        #expect(
            try keys([coffee], account: "DE89370400440532013000") != keys([coffee], account: "DE89370400440532013001"))
        #expect(RowIdentityAssigner.normalizedAccount(" ab 12\tc ") == "AB12C")
    }

    @Test("a newest-first file works in windowed mode and gives the same keys")
    func descendingDates() throws {
        let ascending = [
            try row("2025-03-10", "-4.50", payee: "Cafe"), try row("2025-03-10", "-4.50", payee: "Cafe"),
            try row("2025-03-11", "-20.00", payee: "Rewe"), try row("2025-03-12", "-4.50", payee: "Cafe"),
        ]
        let descending = Array(ascending.reversed())
        #expect(Set(try keys(descending, mode: .windowed)) == Set(try keys(ascending, mode: .windowed)))
    }

    @Test("interleaved dates throw in windowed mode, naming the date and line")
    func interleavedWindowed() throws {
        let rows = [
            try row("2025-03-10", "-1", payee: "A", line: 2), try row("2025-03-11", "-2", payee: "B", line: 3),
            try row("2025-03-10", "-3", payee: "C", line: 4),
        ]
        let date = try #require(LocalDate(iso: "2025-03-10"))
        #expect(throws: RowIdentityError.dateRevisited(date: date, line: 4)) { try keys(rows, mode: .windowed) }
        #expect("\(RowIdentityError.dateRevisited(date: date, line: 4))".contains("line 4"))
    }

    @Test("interleaved dates work in trackAll mode, with the keys a grouped file gets")
    func interleavedTrackAll() throws {
        let a = try row("2025-03-10", "-4.50", payee: "Cafe")
        let b = try row("2025-03-11", "-4.50", payee: "Cafe")
        let interleaved = try keys([a, b, a, b], mode: .trackAll)
        let grouped = try keys([a, a, b, b], mode: .windowed)
        #expect(Set(interleaved).count == 4)
        #expect(Set(interleaved) == Set(grouped))
    }

    @Test("each account has its own date window (multi-account files)")
    func accountsHaveOwnWindows() throws {
        var assigner = RowIdentityAssigner(mode: .windowed)
        let sequence = [
            ("9100", "2025-03-10"), ("9100", "2025-03-11"), ("9200", "2025-03-10"), ("9200", "2025-03-11"),
            ("9100", "2025-03-11"),
        ]
        let result = try sequence.map { try assigner.key(for: row($0.1, "-1", payee: "X"), account: $0.0) }
        #expect(Set(result).count == 5)
        // Account 9100 going back to a date it has closed is a revisit.
        #expect(throws: RowIdentityError.self) {
            try assigner.key(for: row("2025-03-10", "-1", payee: "X"), account: "9100")
        }
    }

    /// The assigner keeps the current account's state aside between rows; two spellings of one
    /// account must still share one count, in both modes.
    @Test(
        "two spellings of one account share occurrence counts",
        arguments: [RowIdentityAssigner.Mode.windowed, .trackAll])
    func spellingsShareCounts(mode: RowIdentityAssigner.Mode) throws {
        let coffee = try row("2025-03-12", "-4.50", payee: "Blue Bottle")
        var assigner = RowIdentityAssigner(mode: mode)
        let spellings = ["DE89 3704 0044 0532 0130 00", "de89370400440532013000", "9100", "DE89370400440532013000"]
        let result = try spellings.map { try assigner.key(for: coffee, account: $0) }
        let oneSpelling = try keys([coffee, coffee, coffee], mode: mode)
        #expect([result[0], result[1], result[3]] == oneSpelling)
        #expect(result[2] == (try keys([coffee], account: "9100", mode: mode))[0])
        #expect(assigner.trackedCountEntries == 2)
    }

    @Test("windowed mode keeps counts for the current date only")
    func memoryStaysFlat() throws {
        var assigner = RowIdentityAssigner(mode: .windowed)
        var start = try #require(LocalDate(year: 2015, month: 1, day: 1))
        for _ in 0..<400 {
            for n in 0..<20 {
                _ = try assigner.key(for: row(start.description, "-\(n).00", payee: "Shop \(n % 7)"), account: "A")
            }
            start = start.next
        }
        #expect(assigner.trackedCountEntries <= 20)
    }

    /// The expected digests were computed outside Swift (Python's hashlib) from the format in
    /// `RowIdentityAssigner`'s documentation, so this also checks that the code does what it says.
    @Test("the key format is stable (persistent: a change must fail here)")
    func pinnedKey() throws {
        let coffee = try row("2025-03-12", "-4.50", payee: "Blue Bottle", description: "Card payment")
        let fitid = try row("2009-04-01", "-6.60", payee: "MCDONALD'S #112", bankID: "0000123456782009040100001")
        let result = try keys([coffee, coffee], account: "DE89 3704 0044 0532 0130 00")
        #expect(result[0].hex == "8bd2eb97298bae3055ee11662306c850f31ca92244f6bb92ccb8184bb42d9de0")
        #expect(result[1].hex == "12485c43a5e4107e4a71ea19a554098b128e2398fdb85791af11d2cefd5432b5")
        #expect(
            try keys([fitid], account: "12300 000012345678")[0].hex
                == "c96c0b93d2844adf47198f830b6751ca1884044c63c6951955c9fecb5d5562c6")
    }
}

extension LocalDate {
    /// The following day (tests only).
    fileprivate var next: LocalDate {
        if let d = LocalDate(year: year, month: month, day: day + 1) { return d }
        if let d = LocalDate(year: year, month: month + 1, day: 1) { return d }
        return LocalDate(year: year + 1, month: 1, day: 1) ?? self
    }
}
