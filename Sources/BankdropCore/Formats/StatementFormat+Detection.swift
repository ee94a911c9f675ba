extension StatementFormat {
    /// Guesses the format of a file from its first bytes, the file extension breaking ties.
    ///
    /// Content decides first: an OFX header (`OFXHEADER`, `<?OFX`, `<OFX>`), the camt.053
    /// namespace, MT940 tags (`:20:`, `:25:`, `:60F:` at the start of a line, also after SWIFT
    /// control bytes and `{1:...}` blocks), a QIF header (`!Type:`, `!Account`, `!Option`). For other
    /// text the extension (`.ofx .qfx .xml .sta .mta .mt940 .940 .qif .csv .txt`) names the format;
    /// without a known extension, text with a delimiter (`;` `,` tab `|`) in its first lines is CSV.
    ///
    /// - Parameters:
    ///   - prefix: the first bytes of the file; 4 KiB is plenty.
    ///   - fileExtension: the extension with or without the dot, any case; nil when there is none.
    /// - Returns: nil when nobody can read it: empty, NUL bytes, binary (PDF, ZIP, images). Text
    ///   in UTF-16 with a byte order mark is looked at as the text it is.
    public static func detect(prefix: [UInt8], fileExtension: String?) -> StatementFormat? {
        var bytes = prefix[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            bytes = Detection.utf8(fromUTF16: bytes)[...]
        }
        guard !bytes.isEmpty, !bytes.contains(0), !Detection.isBinary(bytes) else { return nil }
        let lower = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
        let start = lower.drop { TextDecoding.isWhitespace($0) || $0 == 0x01 || $0 == 0x03 }
        if start.starts(with: Array("ofxheader".utf8)) || Detection.contains(lower, "<?ofx")
            || Detection.contains(lower, "<ofx>")
        {
            return .ofx
        }
        if Detection.contains(lower, "urn:iso:std:iso:20022:tech:xsd:camt.053.") { return .camt053 }
        if Detection.hasMT940Tags(bytes) { return .mt940 }
        if start.starts(with: Array("!type:".utf8)) || start.starts(with: Array("!account".utf8))
            || start.starts(with: Array("!option".utf8))
        {
            return .qif
        }
        let byExtension = Detection.format(ofExtension: fileExtension)
        if let byExtension, byExtension != .csv { return byExtension }
        if Detection.hasDelimitedLines(bytes) { return .csv }
        return byExtension
    }
}

/// The content checks behind ``StatementFormat/detect(prefix:fileExtension:)``.
private enum Detection {
    /// The UTF-8 of UTF-16 text that starts with its byte order mark (a unit cut at the end of
    /// the prefix is dropped).
    static func utf8(fromUTF16 bytes: ArraySlice<UInt8>) -> [UInt8] {
        let bigEndian = bytes.first == 0xFE
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex + 2
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    static func format(ofExtension fileExtension: String?) -> StatementFormat? {
        guard var name = fileExtension?.lowercased() else { return nil }
        if name.hasPrefix(".") { name.removeFirst() }
        switch name {
        case "ofx", "qfx": return .ofx
        case "xml": return .camt053
        case "sta", "mta", "mt940", "940": return .mt940
        case "qif": return .qif
        case "csv", "txt": return .csv
        default: return nil
        }
    }

    /// Magic numbers of common binary files, or more than 1% control bytes (besides tab, line
    /// ends, form feed, SWIFT's SOH/ETX and DOS's end-of-file 0x1A).
    static func isBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        let magic: [[UInt8]] = [
            Array("%PDF".utf8), [0x50, 0x4B, 0x03, 0x04], [0x1F, 0x8B], [0x89, 0x50, 0x4E, 0x47],
            [0xFF, 0xD8, 0xFF], Array("GIF8".utf8), [0xD0, 0xCF, 0x11, 0xE0],
        ]
        if magic.contains(where: { bytes.starts(with: $0) }) { return true }
        let allowed: Set<UInt8> = [0x01, 0x03, 0x09, 0x0A, 0x0C, 0x0D, 0x1A]
        let control = bytes.count { ($0 < 0x20 && !allowed.contains($0)) || $0 == 0x7F }
        return control * 100 > bytes.count
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return false }
        return haystack.firstRange(of: pattern) != nil
    }

    /// Whether one of the first lines starts with `:20:`, `:25:` or `:60F:`, after SOH/ETX bytes
    /// and `{1:...}{2:...}{4:` blocks.
    static func hasMT940Tags(_ bytes: ArraySlice<UInt8>) -> Bool {
        let tags = [":20:", ":25:", ":60F:"].map { Array($0.utf8) }
        for line in lines(bytes).prefix(40) {
            var rest = line.drop { $0 == 0x01 || $0 == 0x03 || $0 == 0x20 }
            while rest.first == UInt8(ascii: "{") {
                if rest.starts(with: Array("{4:".utf8)) {
                    rest = rest.dropFirst(3)
                } else if let close = rest.firstIndex(of: UInt8(ascii: "}")) {
                    rest = rest[(close + 1)...]
                } else {
                    break
                }
            }
            if tags.contains(where: { rest.starts(with: $0) }) { return true }
        }
        return false
    }

    /// Whether the first non-empty lines of text carry a field delimiter.
    static func hasDelimitedLines(_ bytes: ArraySlice<UInt8>) -> Bool {
        let delimiters: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), 0x09, UInt8(ascii: "|")]
        let candidates = lines(bytes).filter { !$0.allSatisfy(TextDecoding.isWhitespace) }.prefix(5)
        return candidates.contains { line in line.contains { delimiters.contains($0) } }
    }

    private static func lines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        bytes.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }
    }
}
