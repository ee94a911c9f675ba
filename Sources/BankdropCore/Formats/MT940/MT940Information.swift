/// The parsed `:86:` field (information to account owner) of one MT940 statement line.
///
/// German banks (DFÜ-Abkommen / DK format) structure it: a three-digit business code, then
/// subfields `?00` posting text, `?20`–`?29` and `?60`–`?63` purpose, `?30` BIC, `?31` IBAN,
/// `?32`+`?33` counterparty name. Lines are cut at 65 characters anywhere, even inside a `?NN`
/// marker, so the lines are joined with nothing before splitting. Other banks write free text:
/// its lines are joined with one space, and it names no payee.
struct MT940Information: Hashable {
    /// The counterparty (`?32` + `?33`), only from structured fields.
    var payee: String?
    /// The purpose text: `?20`–`?29` then `?60`–`?63` joined as written (else `?00`), or the free text.
    var description: String?

    /// Parses the field's physical lines (the first without its `:86:` tag).
    init(lines: [[UInt8]]) {
        let first = lines.first ?? []
        let structured =
            first.count >= 4 && first.prefix(3).allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && first[3] == UInt8(ascii: "?")
        guard structured else {
            let text = TextDecoding.trimmed(TextDecoding.string(Array(lines.joined(separator: [UInt8(ascii: " ")]))))
            self.payee = nil
            self.description = text.isEmpty ? nil : text
            return
        }
        let bytes = Array(TextDecoding.string(Array(lines.joined())).utf8)
        var purpose = ""
        var name = ""
        var postingText = ""
        var index = 0
        var current: Int?
        var start = 0
        func close(at end: Int) {
            guard let code = current else { return }
            let value = String(decoding: bytes[start..<end], as: UTF8.self)
            switch code {
            case 20...29, 60...63: purpose += value
            case 32, 33: name += value
            case 0: postingText += value
            default: break
            }
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "?"), index + 2 < bytes.count,
                let tens = Self.digit(bytes[index + 1]), let ones = Self.digit(bytes[index + 2])
            {
                close(at: index)
                current = tens * 10 + ones
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        close(at: bytes.count)
        let payee = TextDecoding.trimmed(name)
        let description = TextDecoding.trimmed(purpose.isEmpty ? postingText : purpose)
        self.payee = payee.isEmpty ? nil : payee
        self.description = description.isEmpty ? nil : description
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
