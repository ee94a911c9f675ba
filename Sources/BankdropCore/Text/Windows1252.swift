/// The Windows-1252 code page: ISO-8859-1 with printable characters in `0x80...0x9F`.
enum Windows1252 {
    /// Unicode scalars for `0x80...0x9F`. The five bytes Windows leaves undefined map to the C1
    /// control of the same value, as the WHATWG encoding standard does, so every byte decodes.
    static let highControls: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar value of one byte.
    static func scalar(for byte: UInt8) -> UInt32 {
        (0x80...0x9F).contains(byte) ? highControls[Int(byte - 0x80)] : UInt32(byte)
    }

    /// The bytes as UTF-8.
    static func transcode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var runStart = 0
        bytes.withUnsafeBufferPointer { input in
            for index in 0..<input.count where input[index] >= 0x80 {
                if runStart < index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index]))
                }
                TextDecoder.appendUTF8(scalar(for: input[index]), to: &output)
                runStart = index + 1
            }
            if runStart < input.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart...]))
            }
        }
        return output
    }
}
