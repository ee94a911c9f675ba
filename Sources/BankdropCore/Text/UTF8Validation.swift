/// The outcome of checking bytes for well-formed UTF-8.
enum UTF8Validation: Equatable {
    /// Every byte belongs to a complete, well-formed sequence.
    case valid
    /// Well-formed up to `start`, where a sequence begins that the bytes end in the middle of.
    case truncated(start: Int)
    /// Well-formed up to `start`, where an ill-formed sequence of `length` bytes begins.
    case invalid(start: Int, length: Int)

    /// Checks `bytes` (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8Validation {
        guard let base = bytes.baseAddress else { return .valid }
        let count = bytes.count
        var index = 0
        while index < count {
            // Bank exports are mostly ASCII: skip 8 bytes at a time while no high bit is set.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            let continuationCount: Int
            switch lead {
            case 0xC2...0xDF: continuationCount = 1
            case 0xE0:
                continuationCount = 2
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: continuationCount = 2
            case 0xED:
                continuationCount = 2
                upper = 0x9F
            case 0xF0:
                continuationCount = 3
                lower = 0x90
            case 0xF1...0xF3: continuationCount = 3
            case 0xF4:
                continuationCount = 3
                upper = 0x8F
            default: return .invalid(start: index, length: 1)
            }
            for offset in 1...continuationCount {
                guard index + offset < count else { return .truncated(start: index) }
                let byte = bytes[index + offset]
                let (low, high) = offset == 1 ? (lower, upper) : (0x80, 0xBF)
                guard byte >= low, byte <= high else { return .invalid(start: index, length: offset) }
            }
            index += continuationCount + 1
        }
        return .valid
    }

    /// Checks an array of bytes.
    static func check(_ bytes: [UInt8]) -> UTF8Validation {
        bytes.withUnsafeBufferPointer { check($0) }
    }
}
