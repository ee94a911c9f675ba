import Testing

@testable import BankdropCore

@Suite("File-name globs")
struct FileNameGlobTests {
    @Test(
        "matching",
        arguments: [
            ("*.csv", "giro.csv", true),
            ("*.csv", ".csv", true),
            ("*.csv", "giro.csv.part", false),
            ("*.csv", "giro.CSV", false),
            ("Umsaetze_DE89*.csv", "Umsaetze_DE89370400440532013000_2025.csv", true),
            ("Umsaetze_DE89*.csv", "Umsaetze_DE42120300001033738756.csv", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "abcbc", true),
            ("a*b*c", "acb", false),
            ("*", "", true),
            ("**x", "x", true),
            ("?", "", false),
            ("???.ofx", "abc.ofx", true),
            ("???.ofx", "abcd.ofx", false),
            ("paypal-[0-9][0-9][0-9][0-9]-??.csv", "paypal-2025-11.csv", true),
            ("paypal-[0-9][0-9][0-9][0-9]-??.csv", "paypal-25-11.csv", false),
            ("[!.]*", ".hidden", false),
            ("[!.]*", "visible", true),
            ("[^.]*", ".hidden", false),
            ("[]a]x", "]x", true),
            ("[]a]x", "ax", true),
            ("[a-]x", "-x", true),
            ("[a-c]", "b", true),
            ("[a-c]", "d", false),
            ("\\*.csv", "*.csv", true),
            ("\\*.csv", "a.csv", false),
            ("konto-ü*.sta", "konto-über.sta", true),
            ("*[Kk]onto*.mta", "VR_Konto_2025.mta", true),
        ])
    func matches(_ pattern: String, _ name: String, _ expected: Bool) throws {
        #expect(try FileNameGlob(pattern).matches(name) == expected)
    }

    @Test("malformed patterns are errors", arguments: ["", "[abc", "abc\\", "[z-a]", "[!"])
    func malformed(_ pattern: String) {
        #expect(throws: FileNameGlob.Error.self) { try FileNameGlob(pattern) }
    }

    @Test("a long run of stars does not blow up")
    func manyStars() throws {
        let glob = try FileNameGlob(String(repeating: "a*", count: 30) + "b")
        #expect(!glob.matches(String(repeating: "a", count: 200)))
    }

    @Test("the first matching account rule names the account")
    func accountRules() {
        let accounts = BankdropConfiguration.Accounts(rules: [
            AccountRule(glob: "Umsaetze_DE89*.csv", account: "Giro"),
            AccountRule(glob: "*.csv", account: "Other CSV"),
            AccountRule(glob: "[broken", account: "Never"),
        ])
        #expect(accounts.account(forFileName: "Umsaetze_DE89_2025.csv") == "Giro")
        #expect(accounts.account(forFileName: "paypal.csv") == "Other CSV")
        #expect(accounts.account(forFileName: "statement.ofx") == nil)
        #expect(accounts.account(forFileName: "[broken") == nil)
    }
}
