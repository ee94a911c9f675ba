import Foundation

/// The SQL inside a Grafana dashboard JSON file: every panel target's `rawSql` (panels inside
/// collapsed rows included) and every query variable, each with where it came from.
///
/// ```swift
/// let dashboard = try GrafanaDashboard(contentsOf: URL(fileURLWithPath: "config/grafana/dashboards/bankdrop.json"))
/// for query in dashboard.queries { print(query.origin) }
/// ```
public struct GrafanaDashboard: Sendable {
    /// One SQL query of the dashboard: a panel target or a query variable.
    public struct Query: Sendable, CustomStringConvertible {
        /// `<dashboard> / <panel title> / <refId>` or `<dashboard> / variable <name>`.
        public var origin: String
        /// The panel's title, or `variable <name>` for a query variable.
        public var panelTitle: String
        /// The target's `refId` (`A`, `B`...); nil for a query variable.
        public var refID: String?
        /// The SQL as written in the dashboard, macros and variables not yet expanded.
        public var sql: String
        /// `time_series` or `table` (query variables: `variable`).
        public var format: String
        /// ``origin``.
        public var description: String { origin }

        /// Creates a query.
        public init(origin: String, panelTitle: String, refID: String?, sql: String, format: String) {
            self.origin = origin
            self.panelTitle = panelTitle
            self.refID = refID
            self.sql = sql
            self.format = format
        }
    }

    /// A query variable of the dashboard's templating (`$account`).
    public struct Variable: Sendable {
        /// The name used in queries without the `$`.
        public var name: String
        /// The SQL that lists the variable's values.
        public var query: String
        /// Whether several values can be selected at once.
        public var multi: Bool
        /// Whether the variable offers "All".
        public var includeAll: Bool
        /// What "All" expands to, when the dashboard sets a custom value (e.g. a subquery).
        public var allValue: String?

        /// Creates a variable.
        public init(name: String, query: String, multi: Bool, includeAll: Bool, allValue: String?) {
            self.name = name
            self.query = query
            self.multi = multi
            self.includeAll = includeAll
            self.allValue = allValue
        }
    }

    /// A dashboard file that cannot be read as a dashboard.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong, naming the file.
        public var description: String

        /// Creates a failure.
        public init(description: String) {
            self.description = description
        }
    }

    /// The dashboard's `uid`.
    public var uid: String
    /// The dashboard's `title` (the file name when it has none).
    public var title: String
    /// Every panel `id`, in order (to check they are unique).
    public var panelIDs: [Int]
    /// Every data source `uid` the panels, targets and variables name.
    public var datasourceUIDs: Set<String>
    /// Every panel target with `rawSql`, then every query variable.
    public var queries: [Query]
    /// The query variables.
    public var variables: [Variable]

    /// Reads the dashboard JSON file at `url`.
    /// - Throws: a Foundation error when the file cannot be read or is not JSON; ``Failure`` when
    ///   its top level is not an object.
    public init(contentsOf url: URL) throws {
        try self.init(json: Data(contentsOf: url), fileName: url.lastPathComponent)
    }

    /// Reads a dashboard from its JSON; `fileName` names it in errors and stands in for a missing title.
    /// - Throws: a Foundation error when `json` is not JSON; ``Failure`` when its top level is not an object.
    public init(json: Data, fileName: String) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Failure(description: "\(fileName) is not a JSON object")
        }
        let title = root["title"] as? String ?? fileName
        uid = root["uid"] as? String ?? ""
        self.title = title
        panelIDs = []
        datasourceUIDs = []
        queries = []
        variables = []
        walk(root["panels"] as? [[String: Any]] ?? [])
        let templating = root["templating"] as? [String: Any]
        for variable in templating?["list"] as? [[String: Any]] ?? [] where variable["type"] as? String == "query" {
            noteDatasource(of: variable)
            let query =
                (variable["query"] as? String) ?? ((variable["query"] as? [String: Any])?["rawSql"] as? String) ?? ""
            let name = variable["name"] as? String ?? "?"
            variables.append(
                Variable(
                    name: name, query: query, multi: variable["multi"] as? Bool ?? false,
                    includeAll: variable["includeAll"] as? Bool ?? false, allValue: variable["allValue"] as? String))
            queries.append(
                Query(
                    origin: "\(title) / variable \(name)", panelTitle: "variable \(name)", refID: nil, sql: query,
                    format: "variable"))
        }
    }

    private mutating func noteDatasource(of object: [String: Any]) {
        if let datasource = object["datasource"] as? [String: Any], let uid = datasource["uid"] as? String {
            datasourceUIDs.insert(uid)
        }
    }

    private mutating func walk(_ panels: [[String: Any]]) {
        for panel in panels {
            if let id = panel["id"] as? Int { panelIDs.append(id) }
            noteDatasource(of: panel)
            let panelTitle = panel["title"] as? String ?? "untitled"
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                noteDatasource(of: target)
                guard let sql = target["rawSql"] as? String else { continue }
                let refID = target["refId"] as? String ?? "?"
                queries.append(
                    Query(
                        origin: "\(title) / \(panelTitle) / \(refID)", panelTitle: panelTitle, refID: refID, sql: sql,
                        format: target["format"] as? String ?? "time_series"))
            }
            walk(panel["panels"] as? [[String: Any]] ?? [])  // panels inside collapsed rows
        }
    }
}
