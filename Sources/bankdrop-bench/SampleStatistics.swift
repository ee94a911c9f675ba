/// Medians and percentiles of repeated measurements.
///
/// Percentiles use the nearest-rank method (the smallest sample with at least p% of the samples at
/// or below it), so every figure reported is a time that was actually measured.
struct SampleStatistics: Sendable, Hashable {
    /// The samples, sorted ascending; never empty.
    let sorted: [Double]

    /// Statistics of `samples`, or nil when there are none.
    init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        sorted = samples.sorted()
    }

    /// How many samples.
    var count: Int { sorted.count }

    /// The middle sample; the mean of the two middle samples for an even count.
    var median: Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The largest sample.
    var maximum: Double { sorted[sorted.count - 1] }

    /// The nearest-rank `p`th percentile (`p` in 0...100; 0 gives the smallest sample).
    func percentile(_ p: Double) -> Double {
        let clamped = min(max(p, 0), 100)
        let rank = Int((clamped / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }
}
