import Testing
import BankdropPostgres
@Test func placeholder() { #expect(Bool(true)) }
