import Testing

@testable import BankdropCore

@Suite("Merchant normaliser")
struct MerchantNormalizerTests {
    /// Card, terminal and transfer texts as US and German banks write them, and the merchant.
    static let cases: [(text: String, merchant: String)] = [
        // United States
        ("STARBUCKS STORE 12345", "Starbucks"),
        ("STARBUCKS STORE #01234 SEATTLE WA", "Starbucks Seattle WA"),
        ("SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"),
        ("SQ * SUNRISE CAFE 03/12", "Sunrise Cafe"),
        ("PAYPAL *NETFLIX", "Netflix"),
        ("PAYPAL *EBAY INC", "Ebay Inc"),
        ("POS DEBIT WHOLE FOODS MKT #10234", "Whole Foods Mkt"),
        ("POS PURCHASE TRADER JOE'S #552 14:22", "Trader Joe's"),
        ("DEBIT CARD PURCHASE XXXXXX1234 TARGET 00012345", "Target"),
        ("CHECKCARD 0312 CHIPOTLE 1234", "Chipotle"),
        ("TST* JOES PIZZA", "Joes Pizza"),
        ("SP * ALLBIRDS", "Allbirds"),
        ("AMZN Mktp US*2K4L56TR3", "AMZN Mktp"),
        ("MCDONALD'S F12345", "Mcdonald's"),
        ("MCDONALD'S #112", "Mcdonald's"),
        ("SHELL OIL 57444120300", "Shell Oil"),
        ("7-ELEVEN 38294", "7-Eleven"),
        ("COSTCO WHSE #0123", "Costco Whse"),
        ("NETFLIX.COM", "Netflix.com"),
        ("Spotify USA", "Spotify"),
        ("UBER *TRIP", "Uber Trip"),
        ("VISA H&M 0815", "H&M"),
        // Germany
        ("REWE SAGT DANKE. 48127368", "Rewe"),
        ("LIDL SAGT DANKE//Berlin/DE", "Lidl"),
        ("ALDI SUED//MUENCHEN/DE 2024-03-12T14:22:05 KFN 1 VJ 1234", "Aldi Sued"),
        ("Kartenzahlung REWE Markt GmbH", "REWE Markt GmbH"),
        (
            "Kartenzahlung ; SCORE-SB-STATION ; GANDERKESEE 74026606 ; Kartennummer: 439556XXXXXX009X",
            "Score-Sb-Station"
        ),
        ("EC ALDI SUED 0815 12.03. 14:22", "Aldi Sued"),
        ("EC-Kartenzahlung EDEKA Center Nord XXXX1234", "EDEKA Center Nord"),
        ("SumUp  *Eiscafe Venezia", "Eiscafe Venezia"),
        ("CRV*Backhaus Müller", "Backhaus Müller"),
        ("VISA ROSSMANN 2345", "Rossmann"),
        ("DM-Drogerie Markt Berlin 2024-03-12", "DM-Drogerie Markt Berlin"),
        ("PAYPAL *ZALANDO SE", "Zalando SE"),
        ("Tankstelle ARAL 12.03.2024 08:15", "Tankstelle ARAL"),
        ("KAUFLAND FILIALE 12", "Kaufland"),
        (
            "Lastschrift ; AMAZON EU S.A R.L., NIEDERLASSUNG DEUTSCHLAND ; DE93000000000000000000",
            "Amazon EU S.A R.L. Niederlassung Deutschland"
        ),
        ("DB Vertrieb GmbH", "DB Vertrieb GmbH"),
        ("BAECKEREI KAMPS GMBH", "Baeckerei Kamps GmbH"),
        ("VISA Firma", "Firma"),
        ("PayPal Europe S.a.r.l. et Cie S.C.A", "PayPal Europe S.a.r.l. et Cie S.C.A"),
        ("Netto Marken-Discount", "Netto Marken-Discount"),
        ("ECHO BAR", "Echo Bar"),
    ]

    @Test("card and terminal noise is removed", arguments: cases)
    func normalize(_ text: String, _ merchant: String) {
        #expect(MerchantNormalizer().normalize(text) == merchant)
    }

    @Test("nothing but noise gives no merchant", arguments: ["", "   ", "12.03. 14:22", "SQ *", "XXXX1234 #0815"])
    func onlyNoise(_ text: String) {
        #expect(MerchantNormalizer().normalize(text) == nil)
    }

    @Test("the payee wins; the description is the fallback")
    func payeeThenDescription() {
        let normalizer = MerchantNormalizer()
        #expect(normalizer.merchant(payee: "SQ *BLUE BOTTLE", description: "Coffee beans") == "Blue Bottle")
        #expect(normalizer.merchant(payee: nil, description: "REWE SAGT DANKE. 4812") == "Rewe")
        #expect(normalizer.merchant(payee: "  ", description: "Netflix") == "Netflix")
        #expect(normalizer.merchant(payee: nil, description: nil) == nil)
    }
}
