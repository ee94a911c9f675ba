/// The synthetic merchant pool: thousands of names over ``MerchantCategory/all``, drawn with a
/// long-tail (Zipf-like) distribution, so a few merchants recur all the time and most appear rarely.
public struct MerchantPool: Sendable {
    /// The merchants, most frequent first.
    public let merchants: [Merchant]
    /// Cumulative Zipf weights, one per merchant.
    private let cumulative: [Double]
    /// Expected price of a purchase over the whole pool, in cents.
    let meanPurchaseCents: Double


    /// Builds `count` distinct merchants from `seed`.
    public init(count: Int = 3000, seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed ^ 0x6D65_7263_6861_6E74)  // "merchant"
        let categories = MerchantCategory.all
        let categoryWeights = categories.map(\.weight)
        let totalCategoryWeight = categoryWeights.reduce(0, +)
        var seen: Set<String> = []
        var merchants: [Merchant] = []
        merchants.reserveCapacity(count)
        var attempts = 0
        while merchants.count < count, attempts < count * 50 {
            attempts += 1
            var pick = random.below(totalCategoryWeight)
            var categoryIndex = 0
            while pick >= categoryWeights[categoryIndex] {
                pick -= categoryWeights[categoryIndex]
                categoryIndex += 1
            }
            let name = Self.name(for: categories[categoryIndex], using: &random)
            guard seen.insert(name).inserted else { continue }
            let fixed: Int64? =
                categories[categoryIndex].name == "Subscriptions"
                ? [399, 499, 799, 999, 1299, 1499, 1799, 1999][random.below(8)] : nil
            merchants.append(
                Merchant(
                    name: name, categoryIndex: categoryIndex, payees: Self.payees(for: name, using: &random),
                    priceFactor: Int64(700 + random.below(601)), fixedCents: fixed))
        }
        // Rank order: a random key scaled by the category's shopping frequency, dearest key first.
        let keys = merchants.map { random.unit() * Double(categories[$0.categoryIndex].frequency) }
        merchants = merchants.indices.sorted { keys[$0] > keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }.map { merchants[$0] }
        var cumulative: [Double] = []
        cumulative.reserveCapacity(merchants.count)
        var total = 0.0
        var mean = 0.0
        for (rank, merchant) in merchants.enumerated() {
            // Zipf's law with exponent 1: rank r is drawn with weight 1 / r.
            let weight = 1 / Double(rank + 1)
            total += weight
            mean += weight * merchant.meanCents
            cumulative.append(total)
        }
        self.merchants = merchants
        self.cumulative = cumulative
        self.meanPurchaseCents = total > 0 ? mean / total : 0
    }

    /// Draws a merchant index: rank r (counting from 1) with probability proportional to 1 / r.
    public func sample(using random: inout Xoshiro256StarStar) -> Int {
        guard let total = cumulative.last else { return 0 }
        let target = random.unit() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] <= target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Names

    private static let leadingWords = [
        "Blue", "Golden", "Green", "Red", "Silver", "Little", "Big", "Urban", "Corner", "Village", "City", "Harbour",
        "River", "Oak", "Maple", "Cedar", "Pine", "Willow", "Elm", "Birch", "North", "South", "East", "West",
        "Central", "Royal", "Happy", "Lucky", "Sunny", "Bright", "Old Town", "Market Street", "High Street", "Park",
        "Garden", "Lake", "Hill", "Bridge", "Station", "Union", "Liberty", "Summit", "Coastal", "Prairie", "Alpine",
        "Nordic", "Baltic", "Atlas", "Orbit", "Nova", "Zenith", "Apex", "Prime", "Copper", "Iron", "Velvet", "Fox",
        "Owl", "Bear", "Wolf", "Hare", "Crane", "Falcon", "Lotus", "Juniper", "Saffron", "Ginger", "Olive", "Crème",
        "Château", "Fjord", "Canal", "Docklands", "Riverside", "Meadow", "Orchard", "Stone", "Brick", "Ember",
    ]

    private static let surnames = [
        "Smith", "Miller", "Baker", "Johnson", "Garcia", "Müller", "Schmidt", "Rossi", "Dubois", "Jansen", "Novak",
        "Kowalski", "Nguyen", "Patel", "Kim", "Tanaka", "O'Brien", "Murphy", "Zoë", "Åkesson", "Fischer", "Weber",
        "Costa", "Silva", "Moreau", "Bianchi", "Hansen", "Larsen", "Nowak", "Horvat", "Popescu", "Yilmaz", "Chen",
        "Wong", "Singh", "Haddad", "Cohen", "Walsh", "Byrne", "Lindqvist", "Virtanen", "Papadopoulos",
    ]

    private static let cities = [
        "BERLIN", "HAMBURG", "MUNICH", "COLOGNE", "LONDON", "PARIS", "AMSTERDAM", "VIENNA", "ZURICH", "NEW YORK",
        "SEATTLE", "CHICAGO", "DUBLIN", "LISBON", "MADRID", "ROME", "OSLO", "PRAGUE",
    ]

    private static func name(for category: MerchantCategory, using random: inout Xoshiro256StarStar) -> String {
        let noun = category.nouns[random.below(category.nouns.count)]
        let lead = leadingWords[random.below(leadingWords.count)]
        let surname = surnames[random.below(surnames.count)]
        switch random.below(100) {
        case 0..<55: return "\(lead) \(noun)"
        case 55..<70: return "\(surname)'s \(noun)"
        case 70..<82: return "\(surname) \(noun)"
        case 82..<88: return "The \(lead) \(noun)"
        case 88..<94: return "\(lead) \(noun) & Co"
        case 94..<97: return "\(surname), \(surnames[random.below(surnames.count)]) & Sons"
        default: return "\(lead) \(surname) \(noun)"
        }
    }

    /// One payee per store: the clean name, or the name as a card terminal writes it.
    private static func payees(for name: String, using random: inout Xoshiro256StarStar) -> [String] {
        let upper = name.uppercased()
        let stores = 1 + random.below(3)
        func store() -> String {
            let number = random.below(10_000)
            return String(repeating: "0", count: number < 10 ? 3 : number < 100 ? 2 : number < 1000 ? 1 : 0)
                + String(number)
        }
        switch random.below(100) {
        case 0..<52: return [name]
        case 52..<64: return ["SQ *" + upper]
        case 64..<74: return (0..<stores).map { _ in "POS " + store() + " " + upper }
        case 74..<82: return (0..<stores).map { _ in upper + " #" + store() }
        case 82..<88: return (0..<stores).map { _ in upper + " " + store() + " " + cities[random.below(cities.count)] }
        case 88..<93: return ["PAYPAL *" + String(upper.filter { $0 != " " }.prefix(12))]
        case 93..<97: return ["TST* " + name]
        default: return ["CRV*" + upper]
        }
    }
}
