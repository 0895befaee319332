// swift-tools-version:5.3
// libFuzzer targets for the readers and parsers (see `make fuzz`). A separate package so
// that libFuzzer's own main links: build with
//   swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "tonghop-fuzz",
    dependencies: [
        .package(name: "tonghop", path: ".."),
    ],
    targets: [
        .target(name: "FuzzXLSX", dependencies: [.product(name: "Sheets", package: "tonghop")]),
        .target(name: "FuzzCSV", dependencies: [.product(name: "Sheets", package: "tonghop")]),
        .target(name: "FuzzNumbers", dependencies: [.product(name: "TongHop", package: "tonghop")]),
        .target(name: "FuzzDecimal", dependencies: [.product(name: "Sheets", package: "tonghop")]),
        .target(name: "FuzzExpression", dependencies: [.product(name: "TongHop", package: "tonghop")]),
    ]
)
