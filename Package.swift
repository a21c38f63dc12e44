// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "SwiftLRP",
    products: [
        // everything (re-exports the modules below)
        .library(name: "LRP", targets: ["LRP"]),
        // the engine alone: tensors, layers, models, rules, composites, explainers (needs only OpenBLAS)
        .library(name: "LRPCore", targets: ["LRPCore"]),
        .library(name: "LRPONNX", targets: ["LRPONNX"]),
        .library(name: "LRPData", targets: ["LRPData"]),
        .library(name: "LRPVisualization", targets: ["LRPVisualization"]),
        .library(name: "LRPEvaluation", targets: ["LRPEvaluation"]),
        .library(name: "LRPExplorer", targets: ["LRPExplorer"]),
        .executable(name: "lrp", targets: ["LRPCommandLine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // `lrp serve`'s web server; without its default traits (swift-configuration is not needed)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: nil,
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CLAPACKE",
            pkgConfig: nil,
            providers: [.apt(["liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: nil,
            providers: [.apt(["zlib1g-dev"])]
        ),
        // selects OpenBLAS's proper CPU kernel when the library is loaded
        .target(name: "COpenBLASKernel"),
        // Winograd's data transforms, compiled for several x86 instruction sets
        .target(name: "CWinograd"),
        .target(name: "CMallocTuning"),
        .target(name: "LRPCore", dependencies: ["CBLAS", "COpenBLASKernel", "CMallocTuning", "CWinograd"]),
        .target(name: "LRPData", dependencies: ["LRPCore", "CZlib"]),
        .target(name: "LRPONNX", dependencies: ["LRPCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "LRPVisualization", dependencies: ["LRPCore", "LRPData", "CZlib"]),
        .target(name: "LRPEvaluation", dependencies: ["LRPCore", "LRPData", "LRPVisualization", "CLAPACKE"]),
        .target(name: "LRP", dependencies: ["LRPCore", "LRPData", "LRPONNX", "LRPVisualization", "LRPEvaluation"]),
        // `lrp serve`: the interactive explorer, its page embedded in the binary
        .target(
            name: "LRPExplorer",
            dependencies: ["LRP", .product(name: "Hummingbird", package: "hummingbird")],
            resources: ["index.html", "explorer.css", "explorer.js", "page.js", "specs.js", "sums-plot.js"].map { .embedInCode("Assets/\($0)") }
        ),
        .executableTarget(
            name: "LRPCommandLine",
            dependencies: ["LRP", "LRPExplorer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "LRPBenchmarks",
            dependencies: ["LRP", "CBLAS", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/LRPBenchmarks"
        ),
        // `lrp` is a dependency so that it is built before the tests that run it
        .testTarget(name: "LRPTests", dependencies: ["LRP", "LRPCommandLine"], exclude: ["Fixtures"]),
        // the API through Hummingbird's test client, and (with `make test-browser`) the page in headless Chromium
        .testTarget(name: "LRPExplorerTests", dependencies: [
            "LRPExplorer", "LRP", "LRPCommandLine", .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz` builds the libFuzzer target with `LRP_FUZZ=1 swift build --sanitize fuzzer --sanitize address`;
// it has no `main` of its own (libFuzzer supplies it), so it exists only in that build.
if Context.environment["LRP_FUZZ"] != nil {
    package.targets.append(.executableTarget(
        name: "LRPFuzz", dependencies: ["LRP"], path: "Fuzz/LRPFuzz",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
