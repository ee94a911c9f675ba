import Testing

@testable import BankdropCore

@Suite("Row key")
struct RowKeyTests {
    @Test("hex round trip")
    func hexRoundTrip() throws {
        let hex = "00ff10ab" + String(repeating: "0123456789abcdef", count: 3) + "fedcba98"
        let key = try #require(RowKey(hex: hex))
        #expect(key.hex == hex)
        #expect(key.bytes.count == 32)
        #expect(key.bytes.prefix(4) == [0x00, 0xff, 0x10, 0xab])
        #expect(RowKey(bytes: key.bytes) == key)
        #expect(RowKey(hex: hex.uppercased()) == key)
    }

    @Test(
        "rejects wrong lengths and non-hex digits",
        arguments: [
            "", "00", String(repeating: "0", count: 63), String(repeating: "0", count: 65),
            String(repeating: "0", count: 62) + "0g",
        ])
    func rejects(_ hex: String) {
        #expect(RowKey(hex: hex) == nil)
    }

    @Test("orders byte-wise")
    func order() throws {
        let low = try #require(RowKey(bytes: [UInt8](repeating: 0, count: 31) + [1]))
        let high = try #require(RowKey(bytes: [1] + [UInt8](repeating: 0, count: 31)))
        #expect(low < high)
        #expect(RowKey(bytes: [1, 2, 3]) == nil)
    }
}
