// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tonghop",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tonghop", targets: ["tonghop"]),
        .library(name: "Sheets", targets: ["Sheets"]),
        .library(name: "TongHop", targets: ["TongHop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CZip",
            pkgConfig: "libzip",
            providers: [.apt(["libzip-dev"]), .brew(["libzip"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "Sheets",
            dependencies: ["CZip", "CLibXML2"]
            // No unsafe flags: a package that has them cannot be a dependency. The hot state
            // of the SAX handlers opts out of exclusivity checks property by property instead.
        ),
        .target(
            name: "TongHop",
            dependencies: [
                "Sheets",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite itself, as GRDB links it: the ledger binds a file's values directly.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "tonghop",
            dependencies: [
                "TongHop",
                "Sheets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sheets-bench",
            dependencies: ["Sheets"],
            path: "Benchmarks/SheetsBench"
        ),
        .testTarget(
            name: "SheetsTests",
            dependencies: ["Sheets", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures", "RealWorld"]
        ),
        .testTarget(
            name: "TongHopTests",
            dependencies: ["TongHop", "Sheets"],
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TongHop"]
        ),
    ]
)
