// swift-tools-version: 6.2
// A package that uses SwiftLRP's engine alone: `make check-core-only` builds and runs it and checks that
// neither SwiftProtobuf, zlib nor LAPACKE is built or linked.
import PackageDescription

let package = Package(
    name: "CoreOnly",
    dependencies: [.package(name: "SwiftLRP", path: "../..")],
    targets: [
        .executableTarget(name: "CoreOnly", dependencies: [.product(name: "LRPCore", package: "SwiftLRP")]),
    ],
    swiftLanguageModes: [.v6]
)
