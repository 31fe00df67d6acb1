// swift-tools-version:6.0
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
        .target(name: "Libvirt", dependencies: ["CLibvirt"]),
        .target(name: "LibXML", dependencies: ["CLibXML2"]),
        .target(
            name: "VNetCore",
            dependencies: [
                "Libvirt", "LibXML",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "VNetCommands",
            dependencies: [
                "VNetCore", "Libvirt", "LibXML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "vnetctl", dependencies: ["VNetCommands"]),
        .testTarget(name: "LibXMLTests", dependencies: ["LibXML"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LibvirtTests", dependencies: ["Libvirt"]),
        .testTarget(name: "VNetCoreTests", dependencies: ["VNetCore"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Libvirt", "LibXML", "VNetCore"]),
    ]
)
