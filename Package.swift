// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "vnetctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vnetctl", targets: ["vnetctl"]),
        .library(name: "Libvirt", targets: ["Libvirt"]),
        .library(name: "LibXML", targets: ["LibXML"]),
        .library(name: "VNetCore", targets: ["VNetCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibvirt",
            pkgConfig: "libvirt",
            providers: [.apt(["libvirt-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(name: "CLibNL", pkgConfig: "libnl-route-3.0", providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]),
        // Headers only: Graphviz is loaded at run time, by `graph` alone.
        .systemLibrary(name: "CGraphviz", providers: [.apt(["libgraphviz-dev"])]),
        .target(name: "Graphviz", dependencies: ["CGraphviz"]),
        .target(name: "HostNet", dependencies: ["CLibNL"]),
        .testTarget(name: "HostNetTests", dependencies: ["HostNet"]),
        .target(name: "Libvirt", dependencies: ["CLibvirt"]),
        .target(name: "LibXML", dependencies: ["CLibXML2"]),
        .target(
            name: "VNetCore",
            dependencies: [
                "Libvirt", "LibXML", "HostNet",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Templates")],
            plugins: ["EmbedTemplates"]
        ),
        .executableTarget(name: "embed-templates"),
        .plugin(name: "EmbedTemplates", capability: .buildTool(), dependencies: ["embed-templates"]),
        .target(
            name: "VNetCommands",
            dependencies: [
                "VNetCore", "Libvirt", "LibXML", "Graphviz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "vnetctl",
            dependencies: ["VNetCommands"],
            // Release links with lld, which folds identical code and packs the relative relocations
            // (DT_RELR, glibc 2.36) that every pointer in Swift's metadata needs (docs/benchmarks.md).
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "--icf=all", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(configuration: .release))
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .executableTarget(name: "vnet-leakcheck", dependencies: ["Libvirt", "LibXML"], path: "Tests/LeakCheck"),
        .testTarget(name: "LibXMLTests", dependencies: ["LibXML"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LibvirtTests", dependencies: ["Libvirt"]),
        .testTarget(name: "VNetCoreTests", dependencies: ["VNetCore"]),
        .testTarget(name: "CLITests", dependencies: ["vnetctl", "VNetCommands", "VNetCore", "TestSupport"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Libvirt", "LibXML", "VNetCore", "vnetctl", "TestSupport"]),
    ]
)
