import HostNet
import Testing
@testable import VNetCore

/// A topology's `create_bridge` planned from hand-built host facts, no daemon: the inventory reads
/// the links' settings only for a file that asks for a host bridge, and the bridge's plan takes the
/// uplink's addresses and routes from them.
struct TopologyHostBridgePlanTests {
    static let library = TemplateRenderingTests.library
    static let bridged = "networks:\n  - { name: vnt-lan, model: bridged, bridge: vntbr0, uplink: vnteth0, create_bridge: true }\n"
    static let address = HostAddressSetting(family: .ipv4, address: "10.123.60.2", prefixLength: 24)
    static let route = HostRouteSetting(family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "10.123.60.1")
    static let links = [
        HostLink(index: 1, name: "lo", kind: .loopback, mtu: 65536, isUp: true),
        HostLink(index: 2, name: "vnteth0", kind: .ethernet, mac: "52:54:00:60:00:02", mtu: 1500, isUp: true),
    ]

    static func host(settings: HostLinkSettings?, files: HostBridgeFiles = HostBridgeFiles(), links: [HostLink] = links) -> HostFacts {
        HostFacts(links: links, linkSettings: settings, bridgeFiles: settings == nil ? nil : files)
    }

    static func plan(_ yaml: String, _ host: HostFacts) throws -> TopologyPlan {
        try TopologyPlanner.plan(try TopologyParser.parse(yaml, source: "t.yaml"), inventory: Inventory(host: host), templates: library)
    }

    @Test("only a file with create_bridge reads the links' settings", arguments: [
        (bridged, true),
        ("networks:\n  - { name: vnt-lan, model: bridged, bridge: br0 }\n", false),
        ("networks:\n  - { name: vnt-nat, model: nat, subnet: 10.123.61.0/24 }\n", false),
    ])
    func scope(yaml: String, readsSettings: Bool) throws {
        let scope = TopologyPlanner.scope(of: try TopologyParser.parse(yaml, source: "t.yaml"))
        #expect(scope.hostBridges == readsSettings)
        #expect(scope.host)
    }

    @Test("the bridge's plan moves the uplink's addresses and routes that the facts hold")
    func planFromFacts() throws {
        let settings = HostLinkSettings(addresses: ["vnteth0": [Self.address]], routes: ["vnteth0": [Self.route]])
        let plan = try Self.plan(Self.bridged, Self.host(settings: settings))
        let bridge = try #require(plan.hostBridges.first)
        #expect(plan.hostBridges.count == 1)
        #expect(bridge.uplink == "vnteth0")
        #expect(bridge.steps == [
            "create bridge vntbr0 address 52:54:00:60:00:02 mtu 1500 stp off forward-delay 0",
            "set vntbr0 up",
            "add address 10.123.60.2/24 to vntbr0",
            "add vnteth0 to bridge vntbr0",
            "add route default via 10.123.60.1 dev vntbr0",
            "delete route default via 10.123.60.1 dev vnteth0",
            "delete address 10.123.60.2/24 from vnteth0",
        ])
        #expect(plan.actions.map(\.outcome) == [.created])
    }

    @Test("a bridge that exists and was finished is not planned again")
    func existingBridge() throws {
        let links = Self.links + [HostLink(index: 3, name: "vntbr0", kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true)]
        let plan = try Self.plan(Self.bridged, Self.host(settings: HostLinkSettings(), links: links))
        #expect(plan.hostBridges.isEmpty)
    }

    @Test("facts read without the links' settings cannot plan a bridge")
    func withoutSettings() throws {
        #expect {
            try Self.plan(Self.bridged, Self.host(settings: nil))
        } throws: { error in
            (error as? VNetError)?.kind == .failure && "\(error)".contains("link settings were not read")
        }
    }

    @Test("another machine's bridges are not planned: its link settings are never read")
    func remoteHost() throws {
        let remote = HostFacts(remote: true, isThisMachine: false, links: Self.links, vxlanLinks: nil, unseen: ["addresses", "routes"])
        #expect {
            try Self.plan(Self.bridged, remote)
        } throws: { error in
            (error as? VNetError)?.kind == .invalidInput && "\(error)".contains("cannot be made over a remote connection")
        }
    }

    @Test("the bridge's record, the detected network manager and the files in the way come from the facts")
    func filesFromFacts() throws {
        let settings = HostLinkSettings(addresses: ["vnteth0": [Self.address]])
        var files = HostBridgeFiles(detected: .ifupdown, firstLines: ["/etc/network/interfaces.d/vntbr0": "auto vntbr0"])
        let conflict = { (files: HostBridgeFiles) throws(VNetError) in
            _ = try HostBridgeSetup.prepareCreate(name: "vntbr0", uplink: "vnteth0", host: Self.host(settings: settings, files: files))
        }
        #expect { try conflict(files) } throws: { "\($0)".contains("/etc/network/interfaces.d/vntbr0 exists and was not written by vnetctl") }

        files.firstLines = ["/etc/network/interfaces.d/vntbr0": HostBridgeConfigFile.marker("vntbr0")]
        let prepared = try HostBridgeSetup.prepareCreate(
            name: "vntbr0", uplink: "vnteth0", host: Self.host(settings: settings, files: files))
        #expect(prepared.persistence == "ifupdown" && prepared.persistenceDetected)
        #expect(prepared.files.map(\.path) == ["/etc/network/interfaces.d/vntbr0"])

        files.records["vntbr0"] = HostBridgeIntent(action: .delete, request: nil, persistence: "", plan: prepared.plan, files: [])
        #expect { try conflict(files) } throws: { "\($0)".contains("a cut-off 'host-bridge delete vntbr0'") }
        files.records = [:]
        files.unreadableRecords["vntbr0"] = "/run/vnetctl/host-bridges/vntbr0.json cannot be read"
        #expect { try conflict(files) } throws: { "\($0)".contains("vntbr0.json cannot be read") }
    }

    @Test("an existing bridge whose create was cut off is planned again, from its record")
    func unfinishedBridge() throws {
        let settings = HostLinkSettings(addresses: ["vnteth0": [Self.address]], routes: ["vnteth0": [Self.route]])
        let first = try Self.plan(Self.bridged, Self.host(settings: settings))
        let made = try #require(first.hostBridges.first)
        var files = HostBridgeFiles()
        files.records["vntbr0"] = made.intent
        let links = Self.links + [HostLink(index: 3, name: "vntbr0", kind: .bridge, kernelKind: "bridge", mtu: 1500, isUp: true)]
        let again = try Self.plan(Self.bridged, Self.host(settings: HostLinkSettings(), files: files, links: links))
        let resumed = try #require(again.hostBridges.first)
        #expect(resumed.resumed)
        #expect(resumed.steps == made.steps)
    }
}
