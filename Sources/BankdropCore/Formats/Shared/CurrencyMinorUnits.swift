/// The number of minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, KWD 3).
///
/// Readers pad amounts the file writes with fewer digits (`9,` → `9.00`, `111` → `111.00`) and
/// never cut digits a file writes beyond them (a 3-decimal EUR amount stays 3-decimal).
enum CurrencyMinorUnits {
    /// Minor-unit digits of `code`; 2 for codes not listed here and for nil (the common case).
    static func digits(of code: String?) -> Int {
        guard let code else { return 2 }
        if zero.contains(code) { return 0 }
        if three.contains(code) { return 3 }
        if code == "CLF" || code == "UYW" { return 4 }
        return 2
    }

    /// `amount` padded to at least the minor units of `currency`.
    static func pad(_ amount: Amount, currency: String?) -> Amount {
        amount.padded(toScale: digits(of: currency))
    }

    private static let zero: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ]
    private static let three: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
}
