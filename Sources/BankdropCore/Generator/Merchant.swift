/// One synthetic merchant: its name, its category, how card terminals write it, and its prices.
public struct Merchant: Sendable, Hashable {
    /// The clean name (`Blue Oak Roasters`).
    public var name: String
    /// Index into ``MerchantCategory/all``.
    public var categoryIndex: Int
    /// How statements write the counterparty: the clean name, or terminal noise such as
    /// `SQ *BLUE OAK ROASTERS`, `POS 4417 BLUE OAK ROASTERS` or `BLUE OAK ROASTERS #0412`, one per store.
    public var payees: [String]
    /// Per-mille factor on the category's prices (some shops are dearer).
    var priceFactor: Int64
    /// A fixed price in cents (subscriptions), or nil when each purchase differs.
    var fixedCents: Int64?

    /// The merchant's category.
    public var category: MerchantCategory { MerchantCategory.all[categoryIndex] }

    /// The expected price of one purchase, in cents (for sizing salaries).
    var meanCents: Double {
        if let fixedCents { return Double(fixedCents) }
        let category = category
        let mean = Double(category.minimumCents) + Double(category.maximumCents - category.minimumCents) / 3
        return mean * Double(priceFactor) / 1000
    }

    /// The price of one purchase, in cents (at least one cent).
    func price(using random: inout Xoshiro256StarStar) -> Int64 {
        if let fixedCents { return fixedCents }
        let category = category
        let u = random.unit()
        // Skewed towards the cheap end, as receipts are.
        let base = Double(category.minimumCents) + Double(category.maximumCents - category.minimumCents) * u * u
        return max(1, Int64(base) * priceFactor / 1000)
    }
}
