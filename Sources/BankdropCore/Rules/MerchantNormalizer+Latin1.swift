extension MerchantNormalizer {
    /// `normalize(_:)` on bytes, for text made of ASCII and the Latin-1 letters (`À`...`þ` but
    /// `×` `÷`, `ÿ`): one byte per character, the bytes of the whitespace-collapsed text in
    /// ISO-8859-1.
    ///
    /// Hand-written because it was measured to matter: on `Character`s the normaliser took 71% of
    /// the client's CPU for a 200k-row CSV (`perf record`: `uppercased()` per character in prefix
    /// matching, Foundation's `range(of:)`, Unicode property lookups), and after an ASCII-only byte
    /// path the 5% of rows with an accent still took 14%. In such text every character is one
    /// scalar and one `Character` (no combining marks; CR LF is gone once whitespace is collapsed),
    /// no character is canonically equivalent to another, letters are `A-Z a-z` and the Latin-1
    /// letters, upper- and lower-case pair up 0x20 apart (`ß`, which has no capital, upper-cases to
    /// `SS`), numbers are `0-9`; so the steps below are those of `normalizeCharacters(_:)` one for
    /// one. Text with any other character takes that path. Tests pin both paths to the same result.
    static func normalizeLatin1(_ collapsed: UnsafeBufferPointer<UInt8>) -> String? {
        Latin1MerchantText(bytes: collapsed).merchant()
    }

    /// `normalizeLatin1(_:)` on an array.
    static func normalizeLatin1(_ collapsed: [UInt8]) -> String? {
        collapsed.withUnsafeBufferPointer { normalizeLatin1($0) }
    }

    /// The whitespace-collapsed text in ISO-8859-1, or nil when it holds a character other than
    /// ASCII and the Latin-1 letters of `normalizeLatin1(_:)`.
    static func latin1Collapsed(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var lead: UInt8 = 0
        for byte in text.utf8 {
            let scalar: UInt8
            if lead != 0 {
                // The second byte of a two-byte sequence: U+0080...U+00FF.
                scalar = (lead & 0x03) << 6 | (byte & 0x3F)
                lead = 0
            } else if byte < 0x80 {
                scalar = byte
            } else if byte == 0xC2 || byte == 0xC3 {
                lead = byte
                continue
            } else {
                return nil
            }
            switch scalar {
            case 0x09...0x0D, 0x20, 0x85, 0xA0:
                // White_Space in this range (U+0085 next line, U+00A0 no-break space).
                pendingSpace = !result.isEmpty
                continue
            case 0x80...0xBF, 0xD7, 0xF7, 0xFF:
                return nil
            default:
                break
            }
            if pendingSpace {
                result.append(0x20)
                pendingSpace = false
            }
            result.append(scalar)
        }
        return result
    }
}

/// One whitespace-collapsed text in ISO-8859-1 being normalised; pieces of it are ranges of byte
/// offsets.
private struct Latin1MerchantText {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The words in ISO-8859-1, leaving out those with a character beyond it (they cannot match).
    private static func latin1(_ words: some Sequence<String>) -> [[UInt8]] {
        words.compactMap { word in
            let scalars = word.unicodeScalars.map(\.value)
            return scalars.allSatisfy { $0 <= 0xFF } ? scalars.map { UInt8($0) } : nil
        }
    }

    private static let facilitatorPrefixes = latin1(MerchantNormalizer.facilitatorPrefixes).map(uppercased)
    private static let channelPrefixes = latin1(MerchantNormalizer.channelPrefixes).map(uppercased)
    private static let storeWords = latin1(MerchantNormalizer.storeWords).map(uppercased)
    private static let countryCodes = latin1(MerchantNormalizer.countryCodes)
    private static let shortCommonWords = latin1(MerchantNormalizer.shortCommonWords)
    private static let fixedSpellings = MerchantNormalizer.fixedSpellings.compactMap { key, value in
        latin1([key]).first.flatMap { key in latin1([value]).first.map { (key, $0) } }
    }
    private static let sagtDanke = latin1([" SAGT DANKE"]).map(uppercased)[0]

    private static let space = UInt8(ascii: " ")
    private static let star = UInt8(ascii: "*")
    private static let colon = UInt8(ascii: ":")
    private static let hash = UInt8(ascii: "#")

    func merchant() -> String? {
        var text = 0..<bytes.count
        text = cut(text, at: [UInt8(ascii: "/"), UInt8(ascii: "/")])
        text = strippingPrefixes(text)
        text = cut(text, at: [Self.space, UInt8(ascii: ";"), Self.space])
        text = cut(text, at: [UInt8(ascii: ";")])
        text = cutIgnoringCase(text, at: Self.sagtDanke)

        var words: [Range<Int>] = []
        var start = text.lowerBound
        for index in text.lowerBound...text.upperBound where index == text.upperBound || bytes[index] == Self.space {
            if index > start { add(token: start..<index, to: &words) }
            start = index + 1
        }
        // Trimmed in place: a new array per step cost 4% of the client's CPU (perf, 200k rows).
        var kept = 0
        for word in words {
            let trimmed = trimmingEdgePunctuation(word)
            guard !trimmed.isEmpty else { continue }
            words[kept] = trimmed
            kept += 1
        }
        words.removeLast(words.count - kept)
        while words.count > 1, let last = words.last, Self.countryCodes.contains(where: { equals(last, $0) }) {
            words.removeLast()
        }
        guard !words.isEmpty else { return nil }

        let titleCase = !words.contains { word in word.contains { Self.isLowercase(bytes[$0]) } }
        var name: [UInt8] = []
        name.reserveCapacity(text.count)
        for (index, word) in words.enumerated() {
            if index > 0 { name.append(Self.space) }
            if titleCase {
                appendTitleCased(word, to: &name)
            } else {
                name.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[word]))
            }
        }
        return Self.string(latin1: name)
    }

    /// ISO-8859-1 bytes as a String.
    private static func string(latin1: [UInt8]) -> String {
        guard latin1.contains(where: { $0 >= 0x80 }) else { return String(decoding: latin1, as: UTF8.self) }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(latin1.count * 2)
        for byte in latin1 {
            if byte < 0x80 {
                utf8.append(byte)
            } else {
                utf8.append(0xC0 | byte >> 6)
                utf8.append(0x80 | byte & 0x3F)
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// One token of the split text: the `*` rule, noise, store words (see `normalizeCharacters`).
    private func add(token whole: Range<Int>, to words: inout [Range<Int>]) {
        var token = whole
        if let star = token.first(where: { bytes[$0] == Self.star }), star != token.lowerBound {
            let reference = star + 1..<token.upperBound
            if isReference(reference) {
                token = token.lowerBound..<star
            } else {
                words.append(token.lowerBound..<star)
                token = reference
            }
        }
        if isNoise(token) {
            if let last = words.last, isStoreWord(last) { words.removeLast() }
            return
        }
        if let last = words.last, isStoreWord(last), isShortNumber(token) {
            words.removeLast()
            return
        }
        words.append(token)
    }

    // MARK: Cutting and prefixes

    /// The text before the first `separator`, when that is not at the start.
    private func cut(_ text: Range<Int>, at separator: [UInt8]) -> Range<Int> {
        guard let found = firstIndex(of: separator, in: text), found != text.lowerBound else { return text }
        return text.lowerBound..<found
    }

    private func firstIndex(of separator: [UInt8], in text: Range<Int>) -> Int? {
        guard text.count >= separator.count else { return nil }
        for start in text.lowerBound...(text.upperBound - separator.count) where bytes[start] == separator[0] {
            if equals(start..<start + separator.count, separator) { return start }
        }
        return nil
    }

    /// The text before the first `separator` (ignoring case) that starts after the first byte.
    private func cutIgnoringCase(_ text: Range<Int>, at separator: [UInt8]) -> Range<Int> {
        guard !text.isEmpty else { return text }
        for start in text.lowerBound + 1..<text.upperBound
        where droppingPrefixIgnoringCase(start..<text.upperBound, separator) != nil {
            return text.lowerBound..<start
        }
        return text
    }

    /// See `MerchantNormalizer.stripPrefixes(_:)`.
    private func strippingPrefixes(_ text: Range<Int>) -> Range<Int> {
        var rest = text
        var changed = true
        while changed {
            changed = false
            for prefix in Self.facilitatorPrefixes {
                guard let afterName = droppingPrefixIgnoringCase(rest, prefix) else { continue }
                var afterSpace = afterName.lowerBound
                while afterSpace < afterName.upperBound, bytes[afterSpace] == Self.space { afterSpace += 1 }
                if afterSpace < afterName.upperBound, bytes[afterSpace] == Self.star {
                    rest = afterSpace + 1..<afterName.upperBound
                    changed = true
                }
            }
            for prefix in Self.channelPrefixes {
                guard let after = droppingPrefixIgnoringCase(rest, prefix), !after.isEmpty else { continue }
                let next = bytes[after.lowerBound]
                guard next == Self.space || next == UInt8(ascii: ";") || next == UInt8(ascii: "/") || next == Self.colon
                else { continue }
                rest = after
                changed = true
            }
            var trimmed = rest.lowerBound
            while trimmed < rest.upperBound, bytes[trimmed] == Self.space || Self.isEdgePunctuation(bytes[trimmed]) {
                trimmed += 1
            }
            if trimmed != rest.lowerBound {
                rest = trimmed..<rest.upperBound
                changed = true
            }
        }
        return rest
    }

    /// The rest after `prefix` (upper-case ASCII) compared ignoring case, or nil.
    private func droppingPrefixIgnoringCase(_ text: Range<Int>, _ prefix: [UInt8]) -> Range<Int>? {
        guard text.count >= prefix.count else { return nil }
        for (offset, expected) in prefix.enumerated() where Self.uppercased(bytes[text.lowerBound + offset]) != expected
        {
            return nil
        }
        return text.lowerBound + prefix.count..<text.upperBound
    }

    // MARK: Words

    private func trimmingEdgePunctuation(_ word: Range<Int>) -> Range<Int> {
        var lower = word.lowerBound
        var upper = word.upperBound
        while lower < upper, Self.isEdgePunctuation(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isEdgePunctuation(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private func isStoreWord(_ word: Range<Int>) -> Bool {
        Self.storeWords.contains { word.count == $0.count && droppingPrefixIgnoringCase(word, $0) != nil }
    }

    private func equals(_ range: Range<Int>, _ literal: [UInt8]) -> Bool {
        guard range.count == literal.count else { return false }
        for (offset, byte) in literal.enumerated() where bytes[range.lowerBound + offset] != byte { return false }
        return true
    }

    /// See `MerchantNormalizer.isNoise(_:)`.
    private func isNoise(_ token: Range<Int>) -> Bool {
        isNumberLike(token) || isCardMask(token) || isStoreNumber(token)
    }

    private func isNumberLike(_ token: Range<Int>) -> Bool {
        guard let first = token.first, Self.isDigit(bytes[first]) else { return false }
        var digits = 0
        var separators = 0
        for index in token {
            let byte = bytes[index]
            if Self.isDigit(byte) {
                digits += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == Self.colon
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "T")
            {
                separators += 1
            } else {
                return false
            }
        }
        return digits >= 3 || (digits >= 2 && separators >= 1)
    }

    private func isShortNumber(_ token: Range<Int>) -> Bool {
        !token.isEmpty && token.allSatisfy { Self.isDigit(bytes[$0]) }
    }

    private func isCardMask(_ token: Range<Int>) -> Bool {
        var body = token
        if let colon = token.last(where: { bytes[$0] == Self.colon }) { body = colon + 1..<token.upperBound }
        guard !body.isEmpty else { return false }
        var masks = 0
        var digits = 0
        var onlyCapitalX = true
        for index in body {
            let byte = bytes[index]
            if byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x") || byte == Self.star {
                masks += 1
                if byte != UInt8(ascii: "X") { onlyCapitalX = false }
            } else if Self.isDigit(byte) {
                digits += 1
                onlyCapitalX = false
            } else {
                return false
            }
        }
        return (masks >= 2 && digits >= 2) || (masks >= 4 && digits == 0 && onlyCapitalX)
    }

    private func isStoreNumber(_ token: Range<Int>) -> Bool {
        if let first = token.first, bytes[first] == Self.hash {
            return token.dropFirst().allSatisfy { Self.isDigit(bytes[$0]) }
        }
        let letters = token.prefix { Self.isASCIILetter(bytes[$0]) }.count
        let rest = token.dropFirst(letters)
        return (1...3).contains(letters) && rest.count >= 3 && rest.allSatisfy { Self.isDigit(bytes[$0]) }
    }

    private func isReference(_ text: Range<Int>) -> Bool {
        text.count >= 6 && text.allSatisfy { Self.isASCIILetter(bytes[$0]) || Self.isDigit(bytes[$0]) }
            && text.contains { Self.isDigit(bytes[$0]) }
    }

    /// See `MerchantNormalizer.titleCased(_:)`.
    private func appendTitleCased(_ word: Range<Int>, to name: inout [UInt8]) {
        if let fixed = Self.fixedSpellings.first(where: { equals(word, $0.0) }) {
            name.append(contentsOf: fixed.1)
            return
        }
        let letters = word.count { Self.isLetter(bytes[$0]) }
        if letters <= 2, !Self.shortCommonWords.contains(where: { equals(word, $0) }) {
            name.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[word]))
            return
        }
        var startOfSegment = true
        for index in word {
            let byte = bytes[index]
            if Self.isLetter(byte) {
                if startOfSegment, byte == 0xDF {
                    name.append(contentsOf: [UInt8(ascii: "S"), UInt8(ascii: "S")])
                } else {
                    name.append(startOfSegment ? Self.uppercased(byte) : Self.lowercased(byte))
                }
                startOfSegment = false
            } else {
                name.append(byte)
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "(")
                    || byte == UInt8(ascii: "+")
                {
                    startOfSegment = true
                }
            }
        }
    }

    // MARK: Bytes

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `A-Z a-z`: what the rules mean by `isASCII && isLetter`.
    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// `Character.isLetter`: ASCII letters and `À`...`ÿ` but `×` and `÷`.
    private static func isLetter(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (byte >= 0xC0 && byte != 0xD7 && byte != 0xF7)
    }

    /// A lower-case letter with a one-letter capital 0x20 below (`ß` is not one).
    private static func isLowercase(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= 0xE0 && byte <= 0xFE && byte != 0xF7)
    }

    /// A capital letter with a lower-case letter 0x20 above.
    private static func isUppercase(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= 0xC0 && byte <= 0xDE && byte != 0xD7)
    }

    /// The capital, where it is one letter (`ß` stays `ß` here; its capital `SS` is written by
    /// `appendTitleCased`, the one place that needs it).
    private static func uppercased(_ byte: UInt8) -> UInt8 { isLowercase(byte) ? byte - 0x20 : byte }
    private static func uppercased(_ bytes: [UInt8]) -> [UInt8] { bytes.map(uppercased) }
    private static func lowercased(_ byte: UInt8) -> UInt8 { isUppercase(byte) ? byte + 0x20 : byte }

    /// `MerchantNormalizer.edgePunctuation`, by ISO-8859-1 byte value.
    private static let edgePunctuation: [Bool] = (0...255).map { byte in
        MerchantNormalizer.edgePunctuation.contains {
            $0.unicodeScalars.count == 1 && $0.unicodeScalars.first?.value == UInt32(byte)
        }
    }

    private static func isEdgePunctuation(_ byte: UInt8) -> Bool { edgePunctuation[Int(byte)] }
}
