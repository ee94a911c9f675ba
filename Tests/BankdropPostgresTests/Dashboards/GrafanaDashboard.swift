import Foundation

/// The SQL inside a Grafana dashboard JSON file (tests only): every panel target's `rawSql` and
/// every query variable, with where it came from.
struct GrafanaDashboard {
    struct Query: CustomStringConvertible {
        /// `<dashboard> / <panel title> / <refId>` or `<dashboard> / variable <name>`.
        var origin: String
        var sql: String
        /// `time_series` or `table` (variables: `variable`).
        var format: String
        var description: String { origin }
    }

    struct Variable {
        var name: String
        var query: String
        var multi: Bool
        var includeAll: Bool
        var allValue: String?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var uid: String
    var title: String
    var panelIDs: [Int]
    var datasourceUIDs: Set<String>
    var queries: [Query]
    var variables: [Variable]

    /// `<repository>/config/grafana`.
    static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Dashboards
        .deletingLastPathComponent()  // BankdropPostgresTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("config/grafana")

    static func load(_ fileName: String) throws -> GrafanaDashboard {
        let url = configDirectory.appendingPathComponent("dashboards").appendingPathComponent(fileName)
        guard let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw Failure(description: "\(fileName) is not a JSON object")
        }
        let title = root["title"] as? String ?? fileName
        var dashboard = GrafanaDashboard(
            uid: root["uid"] as? String ?? "", title: title, panelIDs: [], datasourceUIDs: [], queries: [], variables: [])
        func datasource(_ object: [String: Any]) {
            if let ds = object["datasource"] as? [String: Any], let uid = ds["uid"] as? String {
                dashboard.datasourceUIDs.insert(uid)
            }
        }
        func walk(_ panels: [[String: Any]]) {
            for panel in panels {
                if let id = panel["id"] as? Int { dashboard.panelIDs.append(id) }
                datasource(panel)
                let panelTitle = panel["title"] as? String ?? "untitled"
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    datasource(target)
                    guard let sql = target["rawSql"] as? String else { continue }
                    dashboard.queries.append(
                        Query(
                            origin: "\(title) / \(panelTitle) / \(target["refId"] as? String ?? "?")", sql: sql,
                            format: target["format"] as? String ?? "time_series"))
                }
                walk(panel["panels"] as? [[String: Any]] ?? [])  // panels inside collapsed rows
            }
        }
        walk(root["panels"] as? [[String: Any]] ?? [])
        let templating = root["templating"] as? [String: Any]
        for variable in templating?["list"] as? [[String: Any]] ?? [] where variable["type"] as? String == "query" {
            datasource(variable)
            let query = (variable["query"] as? String) ?? ((variable["query"] as? [String: Any])?["rawSql"] as? String) ?? ""
            let name = variable["name"] as? String ?? "?"
            dashboard.variables.append(
                Variable(
                    name: name, query: query, multi: variable["multi"] as? Bool ?? false,
                    includeAll: variable["includeAll"] as? Bool ?? false, allValue: variable["allValue"] as? String))
            dashboard.queries.append(Query(origin: "\(title) / variable \(name)", sql: query, format: "variable"))
        }
        return dashboard
    }
}
