/// A spending category of the synthetic merchant pool: its label, how often merchants of it occur,
/// its price range and the nouns its merchant names are made of.
public struct MerchantCategory: Sendable, Hashable {
    /// The label written into files that carry a category (CSV `category`, QIF `L`).
    public var name: String
    /// How often people shop in this category (relative): frequent categories take the top ranks
    /// of the pool, so the most common merchants are coffee shops and grocers, not airlines.
    var frequency: Int
    /// Relative share of the merchant pool.
    var weight: Int
    /// Cheapest purchase, in cents.
    var minimumCents: Int64
    /// Dearest purchase, in cents.
    var maximumCents: Int64
    /// Whether two identical purchases on one day are common (two coffees, two tickets).
    var twins: Bool
    /// How the bank describes a purchase of this category.
    var purchaseText: String
    /// The last words of merchant names (`Roasters` in `Blue Oak Roasters`).
    var nouns: [String]

    /// The categories of the merchant pool, in a fixed order (the generator's output depends on it).
    public static let all: [MerchantCategory] = [
        .init("Groceries", 10, 16, 4_50, 185_00, false, "Card payment",
              ["Market", "Grocer", "Supermarket", "Foods", "Fresh Market", "Farm Shop", "Organics", "Deli"]),
        .init("Coffee", 10, 10, 2_20, 7_80, true, "Contactless payment",
              ["Coffee", "Roasters", "Espresso Bar", "Café", "Coffee House", "Coffee Co"]),
        .init("Bakery", 8, 6, 1_80, 14_50, true, "Contactless payment",
              ["Bakery", "Bakehouse", "Patisserie", "Bagels", "Boulangerie"]),
        .init("Restaurants", 5, 12, 14_00, 120_00, false, "Card payment",
              ["Kitchen", "Bistro", "Trattoria", "Grill", "Diner", "Brasserie", "Noodle Bar", "Sushi", "Taqueria"]),
        .init("Fast food", 6, 6, 5_50, 24_00, true, "Contactless payment",
              ["Burgers", "Falafel", "Kebab", "Fried Chicken", "Pizza Slice", "Dumplings"]),
        .init("Transport", 8, 7, 2_40, 38_00, true, "Card payment",
              ["Transit", "Metro", "Taxi", "Cabs", "Bike Share", "Parking"]),
        .init("Fuel", 3, 4, 28_00, 96_00, false, "Card payment", ["Fuel", "Gas", "Petrol", "Service Station"]),
        .init("Pharmacy", 3, 4, 3_50, 64_00, false, "Card payment", ["Pharmacy", "Chemist", "Apotheke", "Drugstore"]),
        .init("Health", 1, 2, 20_00, 240_00, false, "Card payment", ["Dental", "Physio", "Clinic", "Optician"]),
        .init("Clothing", 1, 4, 14_00, 190_00, false, "Card payment",
              ["Outfitters", "Apparel", "Boutique", "Shoes", "Denim"]),
        .init("Electronics", 1, 2, 9_90, 899_00, false, "Online purchase", ["Electronics", "Computers", "Mobile", "Tech"]),
        .init("Home", 1, 4, 6_00, 320_00, false, "Card payment",
              ["Hardware", "Home", "Garden Centre", "Furniture", "Interiors"]),
        .init("Books", 1, 2, 5_00, 48_00, false, "Card payment", ["Books", "Bookshop", "Comics", "Stationery"]),
        .init("Entertainment", 2, 3, 8_00, 75_00, false, "Card payment",
              ["Cinema", "Theatre", "Bowling", "Arcade", "Records"]),
        .init("Subscriptions", 1, 3, 3_99, 19_99, false, "Direct debit",
              ["Streaming", "Music", "Cloud", "News", "Fitness App"]),
        .init("Utilities", 1, 2, 25_00, 160_00, false, "Direct debit", ["Energy", "Power", "Water", "Telecom", "Broadband"]),
        .init("Travel", 1, 2, 45_00, 950_00, false, "Online purchase",
              ["Airlines", "Air", "Hotels", "Rail", "Hostel", "Car Rental"]),
        .init("Pets", 1, 2, 6_00, 95_00, false, "Card payment", ["Pet Supplies", "Vet", "Pet Shop"]),
        .init("Sports", 1, 2, 9_00, 140_00, false, "Card payment", ["Sports", "Climbing Gym", "Fitness", "Bikes", "Outdoor"]),
        .init("Gifts", 1, 2, 5_00, 80_00, false, "Card payment", ["Florist", "Gifts", "Toys", "Flowers"]),
    ]

    /// The category of salaries (money in).
    public static let incomeName = "Income"
    /// The category of rent payments.
    public static let housingName = "Housing"

    private init(
        _ name: String, _ frequency: Int, _ weight: Int, _ minimumCents: Int64, _ maximumCents: Int64, _ twins: Bool,
        _ purchaseText: String, _ nouns: [String]
    ) {
        self.name = name
        self.frequency = frequency
        self.weight = weight
        self.minimumCents = minimumCents
        self.maximumCents = maximumCents
        self.twins = twins
        self.purchaseText = purchaseText
        self.nouns = nouns
    }
}
