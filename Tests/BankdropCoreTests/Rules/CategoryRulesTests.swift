import Foundation
import Testing

@testable import BankdropCore

private func transaction(
    _ amount: String, payee: String? = nil, description: String? = nil, category: String? = nil
) throws -> StatementTransaction {
    StatementTransaction(
        bookingDate: try #require(LocalDate(year: 2025, month: 3, day: 12)), amount: try #require(Amount(amount)),
        payee: payee, description: description, category: category, line: 7)
}

private func amount(_ text: String) throws -> Amount { try #require(Amount(text)) }

@Suite("Category rules")
struct CategoryRulesTests {
    @Test("rules are checked in order and the first match wins")
    func firstMatchWins() throws {
        let rules = try CategoryRules([
            CategoryRule(name: "coffee", payeeContains: "starbucks", category: "Coffee"),
            CategoryRule(name: "food", payeeRegex: "(?i)star", category: "Food"),
        ])
        let result = rules.apply(to: try transaction("-4.50", payee: "STARBUCKS STORE 123"), account: "giro")
        #expect(result.category == "Coffee")
        #expect(result.source == .rule(index: 0, name: "coffee"))
        #expect(result.merchant == "Starbucks")
        #expect(result.source.description == "rule #1 (coffee)")
    }

    @Test("every given matcher must match")
    func allMatchersMustMatch() throws {
        let rules = try CategoryRules([
            CategoryRule(
                name: "big rewe", payeeContains: "rewe", amountMax: try amount("-100"), account: "giro",
                category: "Groceries (big)"),
            CategoryRule(payeeContains: "rewe", category: "Groceries"),
        ])
        let big = try transaction("-120.00", payee: "REWE Markt GmbH")
        let small = try transaction("-12.00", payee: "REWE Markt GmbH")
        #expect(rules.apply(to: big, account: "giro").category == "Groceries (big)")
        #expect(rules.apply(to: big, account: "savings").category == "Groceries")
        #expect(rules.apply(to: small, account: "giro").category == "Groceries")
        #expect(rules.apply(to: small, account: "giro").source == .rule(index: 1, name: nil))
    }

    @Test("contains ignores case and whitespace runs; a missing field never matches")
    func containsMatching() throws {
        let rules = try CategoryRules([
            CategoryRule(descriptionContains: "miete  MÄRZ", category: "Rent"),
            CategoryRule(payeeContains: "netflix", category: "Streaming"),
        ])
        #expect(
            rules.apply(to: try transaction("-900", description: "Miete\tmärz 2025"), account: "a").category == "Rent")
        #expect(rules.apply(to: try transaction("-9.99", description: "NETFLIX.COM"), account: "a").category == nil)
        #expect(rules.apply(to: try transaction("-9.99", payee: "NETFLIX.COM"), account: "a").category == "Streaming")
    }

    @Test("a regular expression matches as written; (?i) ignores case")
    func regexMatching() throws {
        let rules = try CategoryRules([
            CategoryRule(name: "fuel", payeeRegex: #"^(ARAL|SHELL)\b"#, category: "Fuel"),
            CategoryRule(name: "salary", descriptionRegex: #"(?i)gehalt|lohn \d{2}/\d{4}"#, category: "Income"),
        ])
        #expect(rules.apply(to: try transaction("-60", payee: "ARAL Station 12"), account: "a").category == "Fuel")
        #expect(rules.apply(to: try transaction("-60", payee: "aral Station 12"), account: "a").category == nil)
        #expect(
            rules.apply(to: try transaction("3000", description: "LOHN 03/2025"), account: "a").category == "Income")
        #expect(rules.apply(to: try transaction("3000", description: "Gehalt März"), account: "a").category == "Income")
    }

    @Test(
        "amount bounds are inclusive on the signed amount",
        arguments: [
            ("-100.00", true), ("-100", true), ("-50.00", true), ("-49.99", false), ("-100.01", false), ("50", false),
        ])
    func amountBounds(_ value: String, _ matches: Bool) throws {
        let rules = try CategoryRules([
            CategoryRule(amountMin: try amount("-100"), amountMax: try amount("-50.00"), category: "Mid")
        ])
        #expect((rules.apply(to: try transaction(value), account: "a").category == "Mid") == matches)
    }

    @Test("without a matching rule the file's category is kept, else there is none")
    func fallbacks() throws {
        let rules = try CategoryRules([CategoryRule(payeeContains: "zzz", category: "Never")])
        let fromFile = rules.apply(
            to: try transaction("-5", payee: "SQ *BLUE BOTTLE", category: " Coffee "), account: "a")
        #expect(fromFile == Classification(merchant: "Blue Bottle", category: "Coffee", source: .file))
        let none = rules.apply(to: try transaction("-5", description: "Gebühren", category: ""), account: "a")
        #expect(none == Classification(merchant: "Gebühren", category: nil, source: .none))
        #expect(CategoryRules().apply(to: try transaction("-5", category: "X"), account: "a").source == .file)
    }

    @Test("a rule's merchant replaces the normalised one")
    func merchantOverride() throws {
        let rules = try CategoryRules([
            CategoryRule(payeeContains: "amzn", category: "Shopping", merchant: "Amazon")
        ])
        let result = rules.apply(to: try transaction("-20", payee: "AMZN Mktp US*2K4L56TR3"), account: "a")
        #expect(result.merchant == "Amazon")
    }

    @Test(
        "a bad rule is an error naming the rule and the key",
        arguments: [
            (CategoryRule(name: "broken", payeeRegex: "(unclosed", category: "X"), "payee_regex", "broken"),
            (CategoryRule(name: "broken", descriptionRegex: "[a-", category: "X"), "description_regex", "broken"),
            (CategoryRule(name: "empty", payeeContains: "  ", category: "X"), "payee_contains", "empty"),
            (CategoryRule(name: "nothing", category: "X"), nil, "nothing"),
            (CategoryRule(name: "blank", payeeContains: "x", category: " "), "category", "blank"),
        ] as [(CategoryRule, String?, String)])
    func invalidRule(_ rule: CategoryRule, _ key: String?, _ name: String) throws {
        let good = CategoryRule(payeeContains: "ok", category: "OK")
        let error = try #require(throws: CategoryRuleError.self) { try CategoryRules([good, rule]) }
        #expect(error.ruleIndex == 1)
        #expect(error.ruleName == name)
        #expect(error.key == key)
        #expect(error.description.hasPrefix("categories.rules[#2] (\"\(name)\")"))
    }

    @Test("amount_min above amount_max is an error")
    func invertedBounds() throws {
        let rule = CategoryRule(amountMin: try amount("10"), amountMax: try amount("-10"), category: "X")
        let error = try #require(throws: CategoryRuleError.self) { try CategoryRules([rule]) }
        #expect(error.key == "amount_min")
    }
}

@Suite("Category rule coding")
struct CategoryRuleCodingTests {
    @Test("decodes snake_case keys; amounts from strings or whole numbers")
    func decode() throws {
        let json = #"""
            {"name": "Rent", "payee_contains": "Hausverwaltung", "payee_regex": "^H", "description_contains": "Miete",
             "description_regex": "\\d", "amount_min": "-1500.00", "amount_max": -500, "account": "giro",
             "category": "Housing", "merchant": "Landlord"}
            """#
        let rule = try JSONDecoder().decode(CategoryRule.self, from: Data(json.utf8))
        #expect(
            rule
                == CategoryRule(
                    name: "Rent", payeeContains: "Hausverwaltung", payeeRegex: "^H", descriptionContains: "Miete",
                    descriptionRegex: #"\d"#, amountMin: try amount("-1500.00"), amountMax: try amount("-500"),
                    account: "giro", category: "Housing", merchant: "Landlord"))
        let again = try JSONDecoder().decode(CategoryRule.self, from: try JSONEncoder().encode(rule))
        #expect(again == rule)
    }

    @Test(
        "a malformed amount or a missing category is a decoding error",
        arguments: [
            #"{"category": "X", "amount_min": "12,50"}"#, #"{"category": "X", "amount_max": 1.5}"#,
            #"{"payee_contains": "x"}"#,
        ])
    func rejects(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CategoryRule.self, from: Data(json.utf8)) }
    }
}
