/// Derives a merchant name from the payee (or, without one, the description) of a transaction.
///
/// Card and terminal statements surround the merchant with noise: `SQ *BLUE BOTTLE COFFEE`,
/// `STARBUCKS STORE 12345`, `Kartenzahlung ; REWE SAGT DANKE. 48127368 ; ...`,
/// `EC ALDI SUED 0815 12.03. 14:22`. The normaliser removes:
/// - payment-channel prefixes (`POS`, `VISA`, `EC`, `CHECKCARD`, `Kartenzahlung`, `Lastschrift`, ...)
///   and payment-facilitator prefixes (`SQ *`, `PAYPAL *`, `SUMUP *`, `CRV*`, `TST*`, `SP *`),
/// - everything after `//` (the SEPA card location suffix `//Berlin/DE`) or after ` ; `
///   (the field separator some banks put in one text), and `SAGT DANKE` with what follows,
/// - card numbers and masks (`XXXX1234`, `439556XXXXXX009X`), store numbers (`#1234`, `00123`,
///   `F12345`, `STORE 123`, `Filiale 12`), dates and times (`12.03.`, `2024-03-12`, `03/12`,
///   `14:22`), reference codes after `*` (`US*2K4L56TR3`) and a trailing country code (`DE`, `USA`).
///
/// Words keep their case, except that a name written entirely in capitals is title-cased
/// (`STARBUCKS` → `Starbucks`), leaving words of one or two letters (`DM`, `H&M`, `SE`) and a few
/// legal forms (`GmbH`, `LLC`) in their usual spelling. City names are not removed: there is no
/// reliable way to tell them from the merchant; a category rule's `merchant` fixes a name.
public struct MerchantNormalizer: Sendable {
    /// Creates a normaliser.
    public init() {}

    /// The merchant of a transaction: from the payee when it has one, else from the description.
    ///
    /// Returns nil when neither holds anything but noise.
    public func merchant(payee: String?, description: String?) -> String? {
        if let payee, let name = normalize(payee) { return name }
        if let description { return normalize(description) }
        return nil
    }

    /// The merchant name in `text`, or nil when nothing but noise is left.
    public func normalize(_ text: String) -> String? {
        if TextNormalization.isCollapsedASCII(text) {
            var text = text
            return text.withUTF8 { Self.normalizeLatin1($0) }
        }
        if let latin1 = Self.latin1Collapsed(text) { return Self.normalizeLatin1(latin1) }
        return normalizeCharacters(text)
    }

    /// `normalize(_:)` on `Character`s: the reference for every input, the only path for text with
    /// characters beyond ASCII and the Latin-1 letters (see `normalizeLatin1(_:)`).
    func normalizeCharacters(_ text: String) -> String? {
        var text = TextNormalization.collapsingWhitespace(text)
        text = Self.cut(text, at: "//")
        text = Self.stripPrefixes(text)
        text = Self.cut(text, at: " ; ")
        text = Self.cut(text, at: ";")
        text = Self.cutCaseInsensitive(text, at: " SAGT DANKE")

        var words: [Substring] = []
        for token in text.split(separator: " ") {
            var token = token
            if let star = token.firstIndex(of: "*"), star != token.startIndex {
                let reference = token[token.index(after: star)...]
                if Self.isReference(reference) {
                    token = token[..<star]
                } else {
                    words.append(token[..<star])
                    token = reference
                }
            }
            if Self.isNoise(token) {
                // A store word only makes sense with its number: `STORE 123`, `Filiale 12`.
                if let last = words.last, Self.storeWords.contains(last.uppercased()) {
                    words.removeLast()
                }
                continue
            }
            if let last = words.last, Self.storeWords.contains(last.uppercased()), Self.isShortNumber(token) {
                words.removeLast()
                continue
            }
            words.append(token)
        }
        words = words.map { $0.trimming(Self.edgePunctuation) }.filter { !$0.isEmpty }
        while words.count > 1, let last = words.last, Self.countryCodes.contains(String(last)) {
            words.removeLast()
        }
        guard !words.isEmpty else { return nil }
        let name = words.joined(separator: " ")
        return Self.hasLowercase(name) ? name : words.map { Self.titleCased(String($0)) }.joined(separator: " ")
    }
}

extension MerchantNormalizer {
    /// Prefixes that name the payment channel, not the merchant. Matched case-insensitively,
    /// as whole words (or up to their `*`), repeatedly: `POS DEBIT VISA ...`.
    static let channelPrefixes: [String] = [
        "DEBIT CARD PURCHASE", "POS PURCHASE", "POS DEBIT", "POS", "CHECKCARD", "EFTPOS", "VISA", "EC",
        "EC-KARTENZAHLUNG", "KARTENZAHLUNG", "GIROCARD", "LASTSCHRIFT", "SEPA-LASTSCHRIFT", "BASISLASTSCHRIFT",
        "FOLGELASTSCHRIFT", "GUTSCHRIFT", "ÜBERWEISUNG", "UEBERWEISUNG", "ECHTZEITÜBERWEISUNG", "DAUERAUFTRAG",
    ]

    /// Payment facilitators whose name is followed by `*` and the merchant: `SQ *BLUE BOTTLE`.
    static let facilitatorPrefixes: [String] = ["SQ", "PAYPAL", "SUMUP", "CRV", "TST", "SP", "PP"]

    /// Words that introduce a store number and go with it.
    static let storeWords: Set<String> = ["STORE", "STORE#", "FILIALE", "FIL", "FIL.", "NR", "NR.", "NO", "NO.", "#"]

    /// Country codes removed at the end of a name (written in capitals). `SE` is missing on
    /// purpose: it is also the legal form Societas Europaea (`Zalando SE`).
    static let countryCodes: Set<String> = [
        "DE", "DEU", "US", "USA", "GB", "GBR", "UK", "AT", "AUT", "CH", "CHE", "NL", "NLD", "FR", "FRA", "IT", "ITA",
        "ES", "ESP", "BE", "BEL", "LU", "LUX", "IE", "IRL", "PL", "POL", "DK", "DNK", "CAN", "AUS",
    ]

    /// Characters removed from the start and end of each word.
    static let edgePunctuation: Set<Character> = [",", ";", ":", "*", "/", "-", "|", "¦"]

    /// Short words that title-case like any other word in an all-capitals name.
    static let shortCommonWords: Set<String> = ["OF", "IN", "AT", "ON", "TO", "BY", "AM", "IM", "AN", "DE", "LA", "LE"]

    /// Legal forms and words with a fixed spelling in a title-cased name.
    static let fixedSpellings: [String: String] = [
        "GMBH": "GmbH", "MBH": "mbH", "KGAA": "KGaA", "OHG": "OHG", "LLC": "LLC", "E.V.": "e.V.", "E.K.": "e.K.",
        "INC": "Inc", "INC.": "Inc.",
    ]

    /// Removes channel and facilitator prefixes, repeatedly, with the separators after them.
    static func stripPrefixes(_ text: String) -> String {
        var rest = Substring(text)
        var changed = true
        while changed {
            changed = false
            for prefix in facilitatorPrefixes {
                // `SQ *NAME`, `SQ*NAME`, `SumUp  *Name`: the star is what makes it a facilitator.
                guard let afterName = rest.droppingPrefix(caseInsensitive: prefix) else { continue }
                let afterSpace = afterName.drop(while: { $0 == " " })
                if afterSpace.first == "*" {
                    rest = afterSpace.dropFirst()
                    changed = true
                }
            }
            for prefix in channelPrefixes {
                guard let after = rest.droppingPrefix(caseInsensitive: prefix) else { continue }
                // Whole words only: `ECHO` is not `EC` + `HO`.
                guard let next = after.first, next == " " || next == ";" || next == "/" || next == ":" else { continue }
                rest = after
                changed = true
            }
            let trimmed = rest.drop(while: { $0 == " " || edgePunctuation.contains($0) })
            if trimmed.count != rest.count {
                rest = trimmed
                changed = true
            }
        }
        return String(rest)
    }

    /// The text before `separator`, when there is something before it.
    static func cut(_ text: String, at separator: String) -> String {
        guard let range = text.range(of: separator), range.lowerBound != text.startIndex else { return text }
        return String(text[..<range.lowerBound])
    }

    /// The text before `separator` (compared ignoring case), when there is something before it.
    static func cutCaseInsensitive(_ text: String, at separator: String) -> String {
        let characters = Substring(text)
        guard !characters.isEmpty else { return text }
        var start = characters.index(after: characters.startIndex)
        while start < characters.endIndex {
            if characters[start...].droppingPrefix(caseInsensitive: separator) != nil {
                return String(characters[..<start])
            }
            start = characters.index(after: start)
        }
        return text
    }

    /// Whether a word is noise: a card mask, a store or terminal number, a date, a time.
    static func isNoise(_ token: Substring) -> Bool {
        isNumberLike(token) || isCardMask(token) || isStoreNumber(token)
    }

    /// Digits with date, time or decimal separators: `00123`, `12.03.`, `2024-03-12`, `14:22`, `03/12`.
    static func isNumberLike(_ token: Substring) -> Bool {
        guard let first = token.first, first.isASCII, first.isNumber else { return false }
        var digits = 0
        var separators = 0
        for character in token {
            if character.isASCII, character.isNumber {
                digits += 1
            } else if ".,:/-+T".contains(character) {
                separators += 1
            } else {
                return false
            }
        }
        return digits >= 3 || (digits >= 2 && separators >= 1)
    }

    /// A number short enough to be a store number after a store word (`Filiale 12`, `NO. 7`).
    static func isShortNumber(_ token: Substring) -> Bool {
        !token.isEmpty && token.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `XXXX1234`, `************1234`, `439556XXXXXX009X`, `NR:XXX1234`, `XXXX`.
    static func isCardMask(_ token: Substring) -> Bool {
        var body = token
        if let colon = body.lastIndex(of: ":") { body = body[body.index(after: colon)...] }
        guard !body.isEmpty else { return false }
        var masks = 0
        var digits = 0
        for character in body {
            if character == "X" || character == "x" || character == "*" {
                masks += 1
            } else if character.isASCII, character.isNumber {
                digits += 1
            } else {
                return false
            }
        }
        return (masks >= 2 && digits >= 2) || (masks >= 4 && digits == 0 && body.allSatisfy { $0 == "X" })
    }

    /// `#1234`, `#`, `F12345`, `FIL2500`, `ARN74830725339`: a short letter code before 3+ digits.
    static func isStoreNumber(_ token: Substring) -> Bool {
        if token.first == "#" {
            return token.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
        }
        let letters = token.prefix(while: { $0.isASCII && $0.isLetter })
        let rest = token.dropFirst(letters.count)
        return (1...3).contains(letters.count) && rest.count >= 3 && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A reference code after `*`: six or more letters and digits, with at least one digit.
    static func isReference(_ text: Substring) -> Bool {
        text.count >= 6 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            && text.contains(where: \.isNumber)
    }

    /// Whether `text` has a lower-case letter (`ß`, which has no capital in most text, not counted).
    static func hasLowercase(_ text: String) -> Bool {
        text.contains { $0.isLowercase && $0 != "ß" }
    }

    /// `STARBUCKS` → `Starbucks`, `7-ELEVEN` → `7-Eleven`, `GMBH` → `GmbH`; `DM`, `H&M` unchanged.
    static func titleCased(_ word: String) -> String {
        if let fixed = fixedSpellings[word] { return fixed }
        let letters = word.filter(\.isLetter)
        if letters.count <= 2, !shortCommonWords.contains(word) { return word }
        var result = ""
        var startOfSegment = true
        for character in word {
            if character.isLetter {
                result += startOfSegment ? character.uppercased() : character.lowercased()
                startOfSegment = false
            } else {
                result.append(character)
                if "-&(+".contains(character) { startOfSegment = true }
            }
        }
        return result
    }
}

extension Substring {
    /// The rest after `prefix`, compared ignoring case, or nil when the text does not start with it.
    fileprivate func droppingPrefix(caseInsensitive prefix: String) -> Substring? {
        var index = startIndex
        for expected in prefix {
            guard index < endIndex, self[index].uppercased() == expected.uppercased() else { return nil }
            index = self.index(after: index)
        }
        return self[index...]
    }

    /// The text without the given characters at either end.
    fileprivate func trimming(_ characters: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, characters.contains(first) { result = result.dropFirst() }
        while let last = result.last, characters.contains(last) { result = result.dropLast() }
        return result
    }
}
