import Foundation

/// Everything measured, with the machine it was measured on, as one Markdown table and as JSON.
struct Report: Sendable {
    /// Lines describing the machine and the build, printed above the table.
    var header: [String]
    /// Loud warnings (a debug build), printed above the header.
    var warnings: [String]
    var figures: [BenchFigure] = []
    /// Measurements that could not be taken, with why.
    var failures: [String] = []

    /// Adds one figure.
    mutating func add(_ figure: BenchFigure) {
        figures.append(figure)
    }

    /// The header, then `| metric | value | unit | baseline | ratio |`.
    var markdown: String {
        var lines: [String] = []
        for warning in warnings { lines.append("> **WARNING:** \(warning)") }
        if !warnings.isEmpty { lines.append("") }
        lines += header.map { "- \($0)" }
        lines.append("")
        lines.append("| metric | value | unit | baseline | ratio |")
        lines.append("|---|---:|---|---:|---:|")
        for m in figures {
            lines.append(
                "| \(Self.escaped(m.metric)) | \(Self.format(m.value)) | \(m.unit) | \(m.baseline.map(Self.format) ?? "") | "
                    + "\(m.ratio.map(Self.formatRatio) ?? "") |")
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("Not measured:")
            lines += failures.map { "- \($0.split(separator: "\n").first.map(String.init) ?? $0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The figures as a JSON array.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(figures)
    }

    /// `1234.5` → `1,235`; `12.345` → `12.3`; `0.1234` → `0.123`.
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1000 {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 0
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.usesGroupingSeparator = true
            formatter.groupingSeparator = ","
            formatter.groupingSize = 3
            return formatter.string(from: NSNumber(value: value.rounded())) ?? String(Int(value.rounded()))
        }
        if value == value.rounded() { return String(Int(value)) }
        return String(format: magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f", value)
    }

    /// `3.0512` → `3.05`; `0.002` → `0.002` (two significant digits below 0.1, so a small ratio never shows as 0).
    static func formatRatio(_ ratio: Double) -> String {
        if ratio != 0, abs(ratio) < 0.1 { return String(format: "%.2g", ratio) }
        return String(format: "%.2f", ratio)
    }

    /// A cell's text with `|` escaped, so a panel title cannot break the table.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
