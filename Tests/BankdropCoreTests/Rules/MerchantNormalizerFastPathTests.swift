import Testing

@testable import BankdropCore

/// The byte-wise path of `MerchantNormalizer.normalize(_:)` (ASCII and Latin-1 letters) must give exactly what the
/// `Character` path gives: merchant names are stored and grouped on, so a difference would split
/// one merchant in two.
@Suite("Merchant normaliser fast path")
struct MerchantNormalizerFastPathTests {
    /// ASCII texts at the edges of each rule.
    static let asciiEdgeCases: [String] = [
        "", " ", "\t\r\n", "a", "A", "ab", "AB", "abc", "ABC", "\u{01}CTRL\u{7F}", "NUL\0BYTE",
        // cuts
        "//", "//x", "x//y", "X//", "; a", "a;b", "a ; b", " ; ", ";", "a ;b", "a; b ; c",
        "FOO sagt danke 12", "FOO SAGT DANKE", "sagt danke", " SAGT DANKEX", "xSAGT DANKE", "FOO SAGT DANK",
        // prefixes, any case, repeated, with separators
        "sq *blue bottle", "Sq*Name", "SQ", "SQ *", "SQ  *  x", "sqx *y", "PAYPAL *PAYPAL *NETFLIX", "pp*x",
        "pos debit visa ec foo", "ec:foo", "EC/foo", "EC;foo", "EC-KARTENZAHLUNG x", "ec-kartenzahlung x",
        "ECHO", "EC", "EC ", "POS", "POSX BAR", "ueberweisung Miete", "UEBERWEISUNG", "Lastschrift:Stadtwerke",
        "debit card purchase", "DEBIT CARD PURCHASE XXXX1234 TARGET", "-*,:FOO", "|| BAR", "GUTSCHRIFT ; x",
        // the star rule
        "FOO*", "*FOO", "FOO*BAR", "FOO*BAR12", "FOO*ABC123", "FOO*abc123", "FOO*ABCDEF", "FOO*A*B*123456",
        "STORE* 123", "STORE*123", "A*1234567 B",
        // noise
        "#", "# 12", "#12a", "STORE 12", "store 12", "Store #12", "FILIALE 7 X", "NR. 5", "no. 5 x", "NR:XXX1234",
        "XXXX", "xxxx", "XXX", "X*X*", "**12", "x1x2", "439556XXXXXX009X", "12", "1.2", "12.", "123", "12:30",
        "2024-03-12T14:22:05", "1T", "12T", "F12345", "FIL2500", "ABCD1234", "AB12", "A 123", "STORE",
        // words, case and spelling
        "DE", "FOO DE", "FOO de", "FOO DE USA", "DE USA", "ZALANDO SE", "FOO GMBH", "foo gmbh", "E.V. X",
        "FOO INC.", "INC", "OF", "THE OF", "AT", "H&M", "7-ELEVEN", "(FOO)BAR", "A+B CO", "X-Y-Z", "MCDONALD'S",
        "Already Mixed CASE", "ALL CAPS, NO LOWER CASE", "a,b,c", ",,,", "A | B",
    ]

    @Test("ASCII edge cases take the byte path and agree with the Character path", arguments: asciiEdgeCases)
    func asciiEdge(_ text: String) throws {
        let normalizer = MerchantNormalizer()
        let collapsed = try #require(MerchantNormalizer.latin1Collapsed(text))
        #expect(MerchantNormalizer.normalizeLatin1(collapsed) == normalizer.normalizeCharacters(text))
        #expect(normalizer.normalize(text) == normalizer.normalizeCharacters(text))
    }

    /// Accented letters next to every rule: prefixes with `Ü`, `ß` (no one-letter capital), store
    /// words and references with letters that are not ASCII, separators beside accents.
    static let latin1Cases: [(text: String, merchant: String?)] = [
        ("Fischer's Café", "Fischer's Café"),
        ("CAFÉ MÜLLER", "Café Müller"),
        ("ÜBERWEISUNG Miete", "Miete"),
        ("überweisung Miete", "Miete"),
        ("ECHTZEITÜBERWEISUNG ; Max Müller", "Max Müller"),
        ("BÄCKEREI MÜLLER GMBH", "Bäckerei Müller GmbH"),
        ("GROßE STRAßE 12.03.", "Große Straße"),
        ("ßAB CD", "SSab CD"),
        ("ÆØÅ ÀÉÎ-ÕÜ", "Æøå Àéî-Õü"),
        ("straße 123", "straße"),
        ("KARTENZAHLUNG\u{00A0}REWE", "Rewe"),
        ("NEXT\u{0085}LINE", "Next Line"),
        ("É//Paris", "É"),
        ("x//É", "x"),
        ("É ; x", "É"),
        ("ÉCOLE SAGT DANKE", "École"),
        ("STORE É", "Store É"),
        ("STORE 12 É", "É"),
        ("FILIALE Ö", "Filiale Ö"),
        ("É*123456", "É"),
        ("X*É12345", "X É12345"),
        ("#É", "#É"),
        ("ÀB123", "ÀB123"),
        ("AÉC123", "Aéc123"),
        ("12É", "12É"),
        ("ÄÖÜ DE", "Äöü"),
        ("Mañana", "Mañana"),
        ("PAYPAL *Zoë", "Zoë"),
        ("sq *ÉCLAIR", "Éclair"),
        ("Ö", "Ö"),
        ("öl", "öl"),
    ]

    @Test("Latin-1 letters take the byte path and agree with the Character path", arguments: latin1Cases)
    func latin1(_ text: String, _ merchant: String?) throws {
        let normalizer = MerchantNormalizer()
        let collapsed = try #require(MerchantNormalizer.latin1Collapsed(text))
        #expect(MerchantNormalizer.normalizeLatin1(collapsed) == normalizer.normalizeCharacters(text))
        #expect(normalizer.normalize(text) == merchant)
    }

    /// Other text stays on the Character path: case mappings and equivalences only Unicode knows
    /// (`ſ` upper-cases to `S`, `ı` to `I`, the Kelvin sign equals `K`, U+037E equals `;`),
    /// combining marks, `ÿ` (its capital is not Latin-1), symbols of the Latin-1 block.
    static let otherCases: [(text: String, merchant: String?)] = [
        ("ſq *Foo", "Foo"),
        ("vıSA Foo", "Foo"),
        ("FOO SAGT DAN\u{212A}E 12", "Foo"),
        ("FOO\u{037E} BAR", "Foo"),
        ("CAFE\u{0301} MU\u{0308}LLER", "Cafe\u{0301} Mu\u{0308}ller"),
        ("ÿ ÿ", "ÿ ÿ"),
        ("FOO ¦", "Foo"),
        ("5 µ", "5 µ"),
        ("A×B", "A×B"),
        ("Zoë\u{3000}Café", "Zoë Café"),
        ("€ 12", "€ 12"),
    ]

    @Test("other text takes the Character path", arguments: otherCases)
    func otherText(_ text: String, _ merchant: String?) {
        #expect(MerchantNormalizer.latin1Collapsed(text) == nil)
        #expect(MerchantNormalizer().normalize(text) == merchant)
    }

    /// Pieces that the rules look at, glued at random: 20,000 texts, the same on every run.
    @Test("random texts agree with the Character path")
    func randomTexts() {
        let pieces = [
            "SQ", "sq", "PAYPAL", "Paypal", "SP", "TST", "CRV", "PP", "*", "*", " *", "POS", "pos", "DEBIT", "VISA",
            "EC",
            "ec", "EC-KARTENZAHLUNG", "KARTENZAHLUNG", "Lastschrift", "GUTSCHRIFT", "CHECKCARD", "//", "/", ";", " ; ",
            ":", "#", "#12", "STORE", "store", "Filiale", "NR.", "NO", "12", "123", "0815", "12.03.", "14:22",
            "2024-03-12", "XXXX", "xx", "X", "1234", "439556XXXXXX009X", "F12345", "US*2K4L56TR3", "SAGT DANKE",
            "sagt", "DANKE", "DE", "USA", "SE", "GMBH", "GmbH", "INC.", "E.V.", "OF", "DE", "7-ELEVEN", "H&M", "(",
            ")", "+", "-", ",", "|", "'", ".", "T", "A", "b", "REWE", "Rewe", "rewe", "BLUE BOTTLE", "Coffee", "\t",
            "\r\n", "  ", "É", "é", "Ü", "ü", "ß", "ÄÖÜ", "Café", "MÜLLER", "Straße", "ÜBERWEISUNG", "À1", "\u{00A0}",
        ]
        var random = Xoshiro256StarStar(seed: 6)
        let normalizer = MerchantNormalizer()
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<(1 + random.below(7)) {
                if random.chance(0.5) { text += " " }
                text += pieces[random.below(pieces.count)]
            }
            if normalizer.normalize(text) != normalizer.normalizeCharacters(text) { mismatches.append(text) }
        }
        #expect(mismatches.count == 0, "first mismatches: \(mismatches.prefix(5))")
    }
}
