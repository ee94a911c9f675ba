/// One figure: a value with its unit, and, where there is one, the baseline measured in the same
/// run and the ratio value / baseline.
struct BenchFigure: Codable, Sendable, Hashable {
    /// The `--only` group that measured it.
    var group: BenchGroup
    /// The row count N it was measured at; nil for figures that do not depend on N (burst).
    var size: Int?
    /// What kind of figure it is, e.g. `import.folder.wall`; several rows may share one key
    /// (one per baseline, per query).
    var key: String
    /// The row's label, e.g. `10k: bankdrop import, 141 monthly files, vs bare \copy`.
    var metric: String
    var value: Double
    /// `ms`, `rows/s`, `MiB`, `rows`, `files`, `refreshes`.
    var unit: String
    /// The baseline's value in the same unit.
    var baseline: Double?
    /// value / baseline.
    var ratio: Double?
    /// How many runs the value is the median (or percentile) of.
    var runs: Int

    init(
        group: BenchGroup, size: Int?, key: String, metric: String, value: Double, unit: String,
        baseline: Double? = nil,
        runs: Int
    ) {
        self.group = group
        self.size = size
        self.key = key
        self.metric = metric
        self.value = value
        self.unit = unit
        self.baseline = baseline
        self.ratio = baseline.flatMap { $0 > 0 ? value / $0 : nil }
        self.runs = runs
    }

    private enum CodingKeys: String, CodingKey {
        case group, size, key, metric, value, unit, baseline, ratio, runs
    }

    /// Every key, with `null` for a missing size, baseline or ratio, so that every row has the same shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(size, forKey: .size)
        try container.encode(key, forKey: .key)
        try container.encode(metric, forKey: .metric)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(baseline, forKey: .baseline)
        try container.encode(ratio, forKey: .ratio)
        try container.encode(runs, forKey: .runs)
    }
}
