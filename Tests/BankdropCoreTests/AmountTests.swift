import Testing
@testable import BankdropCore
@Test func amountParses() { #expect(Amount("-1.50")?.description == "-1.50") }
