// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "bankdrop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bankdrop", targets: ["bankdrop"]),
        .executable(name: "bankdrop-bench", targets: ["bankdrop-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one adapter target.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CInotifyTools",
            providers: [.apt(["libinotifytools0-dev"])]
        ),

        // Pure core: formats, money, dates, identity, rules, state machines. No I/O.
        .target(
            name: "BankdropCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // PostgreSQL adapter: libpq connection, COPY, migrations, partitions, embedded cluster.
        .target(
            name: "BankdropPostgres",
            dependencies: [
                "BankdropCore", "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Inbox adapter: inotify watcher and safe directory operations.
        .target(
            name: "BankdropInbox",
            dependencies: [
                "BankdropCore", "CInotifyTools",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Services and use cases wiring the adapters together.
        .target(
            name: "BankdropAgent",
            dependencies: [
                "BankdropCore", "BankdropPostgres", "BankdropInbox",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The binary: argument parsing and wiring only.
        .executableTarget(
            name: "bankdrop",
            dependencies: [
                "BankdropAgent", "BankdropCore", "BankdropInbox", "BankdropPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Grafana dashboard files: their SQL, expanded as Grafana expands it (tests and benchmark).
        .target(name: "GrafanaDashboards"),
        // The benchmark harness: runs the real `bankdrop` and `psql`, prints figures, never fails on time.
        .executableTarget(
            name: "bankdrop-bench",
            dependencies: [
                "BankdropAgent", "BankdropCore", "BankdropPostgres", "GrafanaDashboards",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "BankdropCoreTests", dependencies: ["BankdropCore"]),
        .testTarget(name: "BankdropInboxTests", dependencies: ["BankdropInbox", "BankdropCore"]),
        .testTarget(
            name: "BankdropPostgresTests",
            dependencies: ["BankdropPostgres", "BankdropAgent", "GrafanaDashboards", "bankdrop-bench"]
        ),
        .testTarget(
            name: "BankdropAgentTests",
            dependencies: ["BankdropAgent", "BankdropCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
