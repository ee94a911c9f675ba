import Foundation
import GrafanaDashboards

extension GrafanaDashboard {
    /// `<repository>/config/grafana`.
    static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Dashboards
        .deletingLastPathComponent()  // BankdropPostgresTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("config/grafana")

    /// The shipped dashboard `config/grafana/dashboards/<fileName>` of this checkout.
    static func load(_ fileName: String) throws -> GrafanaDashboard {
        try GrafanaDashboard(
            contentsOf: configDirectory.appendingPathComponent("dashboards").appendingPathComponent(fileName))
    }
}
