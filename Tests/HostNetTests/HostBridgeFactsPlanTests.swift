import Testing

@testable import HostNet

/// `planCreate` and `planDelete` over hand-built links and link settings: no kernel is read.
@Suite("HostBridge plan from facts")
struct HostBridgeFactsPlanTests {
    static let links = [
        HostLink(index: 1, name: "lo", kind: .loopback, mtu: 65536, isUp: true),
        HostLink(index: 2, name: "vnteth0", kind: .ethernet, mac: "52:54:00:12:34:56", mtu: 9000, isUp: true),
        HostLink(index: 3, name: "vntwl0", kind: .wireless, mac: "52:54:00:12:34:57", mtu: 1500, isUp: true),
        HostLink(index: 4, name: "vntbr9", kind: .bridge, kernelKind: "bridge", mac: "52:54:00:99:00:01", mtu: 1500, isUp: true),
        HostLink(index: 5, name: "vnteth1", kind: .ethernet, mac: "52:54:00:99:00:01", mtu: 1500, isUp: true, masterIndex: 4),
        HostLink(index: 6, name: "vnet7", kind: .tun, kernelKind: "tun", mtu: 1500, isUp: true, masterIndex: 4),
        HostLink(index: 7, name: "vnttun0", kind: .tun, kernelKind: "tun", mtu: 1500, isUp: true),
        HostLink(index: 8, name: "vntbr8", kind: .bridge, kernelKind: "bridge", mac: "52:54:00:88:00:01", mtu: 1500, isUp: false),
    ]

    static let address = HostAddressSetting(family: .ipv4, address: "10.123.7.2", prefixLength: 24, broadcast: "10.123.7.255")
    static let linkLocal = HostAddressSetting(family: .ipv6, address: "fe80::5054:ff:fe12:3456", prefixLength: 64, scope: 253)
    static let route = HostRouteSetting(family: .ipv4, destination: "0.0.0.0", prefixLength: 0, gateway: "10.123.7.1", metric: 100)
    static let bridgeAddress = HostAddressSetting(family: .ipv4, address: "10.123.9.2", prefixLength: 24)
    static let bridgeRoute = HostRouteSetting(family: .ipv4, destination: "10.123.90.0", prefixLength: 24, gateway: "10.123.9.1")

    static let settings = HostLinkSettings(
        addresses: ["vnteth0": [address, linkLocal], "vntbr9": [bridgeAddress, linkLocal], "vntbr8": [bridgeAddress]],
        routes: ["vnteth0": [route], "vntbr9": [bridgeRoute], "vntbr8": [bridgeRoute]],
        stp: ["vntbr9": true, "vntbr8": false], forwardDelay: ["vntbr9": 15, "vntbr8": 0])

    @Test("create takes the uplink's MAC, MTU, addresses (not link-local) and routes from the facts")
    func createWithUplink() throws {
        let plan = try HostBridge.planCreate(
            HostBridgeRequest(name: "vntbr0", uplink: "vnteth0"), links: Self.links, settings: Self.settings)
        #expect(plan == HostBridgePlan.creating(
            HostBridgeSettings(name: "vntbr0", mac: "52:54:00:12:34:56", mtu: 9000), uplink: "vnteth0",
            addresses: [Self.address], routes: [Self.route]))
    }

    @Test("create without an uplink, and an uplink with no settings at all")
    func createBare() throws {
        let bare = try HostBridge.planCreate(
            HostBridgeRequest(name: "vntbr0", stp: true, forwardDelay: 4, mtu: 1400), links: Self.links, settings: Self.settings)
        #expect(bare == HostBridgePlan.creating(
            HostBridgeSettings(name: "vntbr0", mtu: 1400, stp: true, forwardDelay: 4), uplink: nil, addresses: [], routes: []))
        let quiet = try HostBridge.planCreate(
            HostBridgeRequest(name: "vntbr0", uplink: "vnteth0"), links: Self.links, settings: HostLinkSettings())
        #expect(quiet.addresses.isEmpty && quiet.routes.isEmpty && quiet.uplink == "vnteth0")
    }

    @Test("create refuses what the facts rule out", arguments: [
        (HostBridgeRequest(name: "vnteth0"), "vnteth0 already exists (a ethernet link)"),
        (HostBridgeRequest(name: "vntbr0", uplink: "vntnone"), "no network interface named vntnone"),
        (HostBridgeRequest(name: "vntbr0", uplink: "vntbr9"), "uplink vntbr9 is a bridge itself"),
        (HostBridgeRequest(name: "vntbr0", uplink: "lo"), "uplink lo is a loopback device"),
        (HostBridgeRequest(name: "vntbr0", uplink: "vntwl0"), "uplink vntwl0 is a wireless NIC"),
        (HostBridgeRequest(name: "vntbr0", uplink: "vnteth1"), "uplink vnteth1 is already a port of vntbr9"),
        (HostBridgeRequest(name: "vntbr0", uplink: "vnttun0"), "uplink vnttun0 is not an Ethernet device"),
        (HostBridgeRequest(name: "vntbr0", forwardDelay: 1, mtu: 67), "MTU 67 is out of range"),
        (HostBridgeRequest(name: "vntbr0", stp: true, forwardDelay: 1), "forward delay 1 is out of range: 2 to 30"),
    ])
    func createRefusals(request: HostBridgeRequest, message: String) {
        #expect {
            try HostBridge.planCreate(request, links: Self.links, settings: Self.settings)
        } throws: { error in
            guard let error = error as? HostBridgeError else { return false }
            return error.kind == .invalidInput && error.message.hasPrefix(message)
        }
    }

    @Test("delete finds the uplink by MAC, skips taps, and takes the bridge's settings from the facts")
    func deleteWithUplink() throws {
        let plan = try HostBridge.planDelete("vntbr9", links: Self.links, settings: Self.settings)
        #expect(plan == HostBridgePlan.deleting(
            HostBridgeSettings(name: "vntbr9", mac: "52:54:00:99:00:01", mtu: 1500, stp: true, forwardDelay: 15), isUp: true,
            ports: ["vnteth1", "vnet7"], uplink: "vnteth1", addresses: [Self.bridgeAddress], routes: [Self.bridgeRoute]))
    }

    @Test("delete of a bridge without ports leaves its addresses and routes alone")
    func deleteWithoutUplink() throws {
        let plan = try HostBridge.planDelete("vntbr8", links: Self.links, settings: Self.settings)
        #expect(plan == HostBridgePlan.deleting(
            HostBridgeSettings(name: "vntbr8", mac: "52:54:00:88:00:01", mtu: 1500), isUp: false, ports: [], uplink: nil,
            addresses: [], routes: []))
    }

    @Test("delete refuses what the facts rule out", arguments: [
        ("vntnone", "no network interface named vntnone"),
        ("vnteth0", "vnteth0 is not a bridge (it is a ethernet link)"),
        ("br/0", "invalid bridge name"),
    ])
    func deleteRefusals(name: String, message: String) {
        #expect {
            try HostBridge.planDelete(name, links: Self.links, settings: Self.settings)
        } throws: { error in
            guard let error = error as? HostBridgeError else { return false }
            return error.kind == .invalidInput && error.message.hasPrefix(message)
        }
    }
}
