import Foundation
import Testing

@testable import HostNet

/// The persistent configuration of each flavour against golden files in `Tests/Golden/HostBridge`.
///
/// Set `VNETCTL_UPDATE_GOLDEN=1` to rewrite the golden files from the current output (then review
/// the diff). The goldens live outside the test target's folder, so they need no resource rule.
@Suite("HostBridge persistent configuration")
struct HostBridgeConfigTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Golden/HostBridge")

    /// A bridge on an uplink with two IPv4 addresses, one IPv6 address, two default routes and one more route.
    static let uplinkPlan = HostBridgePlan.creating(
        HostBridgeSettings(name: "vntbr0", mac: "52:54:00:12:34:56", mtu: 1500),
        uplink: "vnteth0",
        addresses: [
            HostAddressSetting(family: .ipv4, address: "10.123.7.2", prefixLength: 24),
            HostAddressSetting(family: .ipv4, address: "10.123.7.3", prefixLength: 24),
            HostAddressSetting(family: .ipv6, address: "fd00:123:7::2", prefixLength: 64, flags: 0x02),
        ],
        routes: [
            HostRouteSetting(family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "10.123.7.1"),
            HostRouteSetting(family: .ipv4, destination: "10.123.50.0", prefixLength: 24, gateway: "10.123.7.1", metric: 50),
            HostRouteSetting(family: .ipv6, destination: "::", prefixLength: 0, gateway: "fd00:123:7::1", metric: 1024),
        ])

    /// A bridge with no uplink yet, STP on.
    static let barePlan = HostBridgePlan.creating(
        HostBridgeSettings(name: "vntbr1", mtu: 9000, stp: true, forwardDelay: 4), uplink: nil, addresses: [], routes: [])

    /// A bridge on an uplink that got its IPv4 address by DHCP.
    static let dhcpPlan = HostBridgePlan.creating(
        HostBridgeSettings(name: "vntbr2", mac: "52:54:00:ab:cd:ef", mtu: 1500),
        uplink: "vnteth2",
        addresses: [HostAddressSetting(family: .ipv4, address: "10.123.8.20", prefixLength: 24, isDynamic: true)],
        routes: [HostRouteSetting(family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "10.123.8.1", metric: 100, origin: 16)])

    static let cases: [(String, HostBridgePlan)] = [("uplink", uplinkPlan), ("bare", barePlan), ("dhcp", dhcpPlan)]
    static let flavours = HostBridgePersistence.allCases.filter { $0 != .none }

    static func rendered(_ plan: HostBridgePlan, _ flavour: HostBridgePersistence) -> String {
        HostBridgeConfig.files(for: plan, flavour).map { file in
            "=== \(file.path) (mode \(String(file.mode, radix: 8)))\n\(file.contents)"
        }.joined()
    }

    @Test("each flavour matches its golden file", arguments: cases.flatMap { c in flavours.map { (c.0, $0) } })
    func matchesGolden(fixture: String, flavour: HostBridgePersistence) throws {
        let plan = Self.cases.first { $0.0 == fixture }!.1
        let output = Self.rendered(plan, flavour)
        let golden = Self.goldenDirectory.appendingPathComponent("\(fixture)-\(flavour.rawValue).golden")
        if ProcessInfo.processInfo.environment["VNETCTL_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try output.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(output == expected, "\(golden.lastPathComponent) differs; VNETCTL_UPDATE_GOLDEN=1 rewrites it")
    }

    @Test("none writes nothing")
    func noneWritesNothing() {
        #expect(HostBridgeConfig.files(for: Self.uplinkPlan, .none).isEmpty)
    }

    @Test("NetworkManager keyfiles are mode 600, the others 644")
    func modes() {
        for flavour in Self.flavours {
            for file in HostBridgeConfig.files(for: Self.uplinkPlan, flavour) {
                #expect(file.mode == (flavour == .nm ? 0o600 : 0o644), "\(file.path)")
            }
        }
    }

    @Test("write then remove leaves the root as it was, and puts a moved-aside ifcfg-DEV back")
    func writeAndRemove() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-persist-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let scripts = root + "/etc/sysconfig/network-scripts"
        try FileManager.default.createDirectory(atPath: scripts, withIntermediateDirectories: true)
        let original = "DEVICE=vnteth0\nBOOTPROTO=dhcp\n"
        try original.write(toFile: scripts + "/ifcfg-vnteth0", atomically: true, encoding: .utf8)
        for flavour in Self.flavours {
            let files = HostBridgeConfig.files(for: Self.uplinkPlan, flavour)
            #expect(HostBridgeConfig.conflict(files, bridge: "vntbr0", existing: HostBridgeConfig.firstLines(root: root)) == nil)
            let written = try HostBridgeConfig.write(files, bridge: "vntbr0", root: root)
            #expect(written == files.map(\.path))
            for file in files {
                let attributes = try FileManager.default.attributesOfItem(atPath: root + file.path)
                #expect((attributes[.posixPermissions] as? Int) == file.mode, "\(file.path)")
                #expect(try String(contentsOfFile: root + file.path, encoding: .utf8) == file.contents)
            }
            let removed = try HostBridgeConfig.remove(bridge: "vntbr0", root: root)
            #expect(Set(removed) == Set(files.map(\.path)))
        }
        #expect(try String(contentsOfFile: scripts + "/ifcfg-vnteth0", encoding: .utf8) == original)
        let left = try FileManager.default.subpathsOfDirectory(atPath: root).filter { !$0.hasSuffix("/") }
            .filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue
            }
        #expect(left == ["etc/sysconfig/network-scripts/ifcfg-vnteth0"])
    }

    @Test("a foreign file in the way is a conflict")
    func foreignFileConflicts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-persist-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/etc/network/interfaces.d", withIntermediateDirectories: true)
        try "auto vntbr0\n".write(toFile: root + "/etc/network/interfaces.d/vntbr0", atomically: true, encoding: .utf8)
        let files = HostBridgeConfig.files(for: Self.uplinkPlan, .ifupdown)
        #expect(HostBridgeConfig.conflict(files, bridge: "vntbr0", existing: HostBridgeConfig.firstLines(root: root))?.contains("not written by vnetctl") == true)
    }

    @Test("the default flavour is detected from marker paths under the root",
          arguments: [
            ("run/systemd/netif", HostBridgePersistence.networkd), ("run/NetworkManager", .nm),
            ("etc/network/interfaces", .ifupdown), ("etc/sysconfig/network-scripts", .ifcfg), ("", .none),
          ])
    func detect(marker: String, expected: HostBridgePersistence) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-persist-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if !marker.isEmpty {
            try FileManager.default.createDirectory(atPath: root + "/" + marker, withIntermediateDirectories: true)
        }
        #expect(HostBridgePersistence.detect(root: root) == expected)
    }

    /// ifupdown's own parser on the ifupdown output: `ifquery` from PATH or `VNETCTL_IFQUERY`
    /// (e.g. from `apt-get download ifupdown; dpkg -x`, which runs no maintainer script).
    @Test("ifquery parses the ifupdown output")
    func ifqueryParses() throws {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["VNETCTL_IFQUERY"], "/usr/sbin/ifquery", "/sbin/ifquery"].compactMap { $0 }
        guard let ifquery = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("note: ifquery not installed (set VNETCTL_IFQUERY); skipping the ifupdown parse check")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-ifquery-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        let file = HostBridgeConfig.files(for: Self.uplinkPlan, .ifupdown)[0]
        try file.contents.write(toFile: directory + "/interfaces", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ifquery)
        process.arguments = ["-i", directory + "/interfaces", "--state-dir", directory + "/state", "vntbr0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("bridge_ports: vnteth0"), "\(text)")
        #expect(text.contains("address: 10.123.7.2\n"), "\(text)")
        #expect(text.contains("netmask: 255.255.255.0"), "\(text)")
        #expect(text.contains("address: fd00:123:7::2"), "\(text)")
        #expect(text.contains("gateway: 10.123.7.1"), "\(text)")
    }
}
