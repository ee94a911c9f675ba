/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny 64-bit generator, used here to expand one seed
/// into the state of ``Xoshiro256StarStar`` and to derive independent seeds (one per account).
///
/// Deterministic on every platform: the same seed gives the same numbers, which the synthetic data
/// generator relies on (`bankdrop generate --seed`).
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// Creates a generator whose first output depends on `seed` only.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
