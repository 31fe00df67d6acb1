import HostNet
import Testing
@testable import VNetCore

/// `model: overlay`: what the parser reads and refuses, and each host's part of an overlay.
struct OverlayTopologyTests {
    static let yaml = """
        name: span
        hosts:
          h1: { uri: "qemu:///system", address: 10.123.200.1 }
          h2: { uri: "qemu+tcp://10.123.200.2/system" }
          h3: { uri: "qemu+tcp://10.123.200.6/system" }
        networks:
          - name: ov
            model: overlay
            vni: 4242
            hosts: [h1, h2, h3]
            gateway: h1
            nat: true
            subnet: 10.123.60.0/24
            dhcp: { range: 10.123.60.100-10.123.60.150, hosts: [{ mac: "52:54:00:60:00:01", ip: 10.123.60.9 }] }
        vms:
          - { name: a, host: h1, nics: [{ network: ov, ip: 10.123.60.11 }] }
          - { name: b, host: h2, nics: [{ network: ov, ip: 10.123.60.12, mac: "52:54:00:60:00:12" }] }
        """

    static func parse(_ text: String) throws -> Topology {
        try TopologyParser.parse(text, source: "span.yaml")
    }

    @Test func anOverlayIsReadWithItsDefaults() throws {
        let topology = try Self.parse(Self.yaml)
        let entry = try #require(topology.networks.first)
        #expect(entry.overlay == OverlaySpec(vni: 4242, port: 4789, hosts: ["h1", "h2", "h3"], gateway: "h1", nat: true))
        #expect(entry.spec.model == .nat)
        #expect(entry.host == "h1")
        #expect(entry.overlay?.defaultBridge == "vxb4242")
        #expect(entry.overlay?.vxlanName == "vxl4242")
    }

    @Test func theGatewaysPartServesEveryHostsReservations() throws {
        let part = try #require(try Self.parse(Self.yaml).part(for: "h1").networks.first)
        #expect(part.spec.model == .nat)
        #expect(part.spec.bridge == "vxb4242")
        #expect(part.spec.subnet == .explicit(try IPv4CIDR("10.123.60.0/24")))
        #expect(part.spec.reservations.map(\.ip.description) == ["10.123.60.9", "10.123.60.12"])
        #expect(part.spec.reservations.last?.hostname == "b")
        let links = try #require(part.overlayLinks)
        #expect(links == HostOverlayLinks(
            bridge: "vxb4242", ownsBridge: false, vxlan: HostVXLAN(name: "vxl4242", vni: 4242, local: "10.123.200.1"), mtu: 0,
            peers: ["10.123.200.2", "10.123.200.6"]))
    }

    @Test func anotherHostsPartIsBridgedOnItsOwnBridge() throws {
        let topology = try Self.parse(Self.yaml).part(for: "h2")
        let part = try #require(topology.networks.first)
        #expect(part.spec.model == .bridged)
        #expect(part.spec.bridge == "vxb4242")
        #expect(part.spec.subnet == nil && part.spec.reservations.isEmpty)
        #expect(part.spec.topology == "span")
        #expect(part.overlayLinks?.ownsBridge == true)
        #expect(part.overlayLinks?.vxlan.local == "10.123.200.2")
        #expect(part.overlayLinks?.peers == ["10.123.200.1", "10.123.200.6"])
        // The gateway reserves b's address; here its NIC is a plain one on the bridged part.
        #expect(topology.vms.map(\.spec.name) == ["b"])
        #expect(topology.vms[0].spec.nics[0].ip == nil)
        #expect(topology.vms[0].spec.nics[0].mac == (try MACAddress("52:54:00:60:00:12")))
    }

    @Test func settlingTakesTheMTUFromTheUnderlay() throws {
        let part = try Self.parse(Self.yaml).part(for: "h1")
        let settled = try OverlayPlacement.settle(part) { $0 == "10.123.200.1" ? 9000 : nil }
        #expect(settled.networks[0].overlayLinks?.mtu == 8950)
        #expect(settled.networks[0].spec.mtu == 8950)
        // No link here has h1's address: this is not h1.
        let elsewhere = try #require(throws: VNetError.self) { try OverlayPlacement.settle(part) { _ in nil } }
        #expect(elsewhere.remedy?.option == .applyOnHost && elsewhere.remedy?.value == "h1", "\(elsewhere.message)")
        #expect(elsewhere.message.contains("; run apply on host h1 there,"), "\(elsewhere.message)")
        var tooBig = part
        tooBig.networks[0].overlayLinks?.mtu = 1480
        #expect(throws: VNetError.self) { try OverlayPlacement.settle(tooBig) { _ in 1500 } }
    }

    @Test(arguments: [
        ("vni: 4242", "vni: 0", "VNI 0 is out of range"),
        ("vni: 4242", "port: 4789", "needs vni:"),
        ("    gateway: h1\n", "    gateway: h1\n    port: 70000\n", "port 70000 is out of range"),
        ("hosts: [h1, h2, h3]", "hosts: [h1]", "two or more different hosts"),
        ("hosts: [h1, h2, h3]", "hosts: [h1, h9]", "unknown host 'h9'"),
        ("hosts: [h1, h2, h3]", "hosts: [h1, h2, h3]\n    host: h1", "leave host: out"),
        ("gateway: h1", "gateway: h4", "not one of the overlay's hosts"),
        ("h3: { uri: \"qemu+tcp://10.123.200.6/system\" }", "h3: { uri: \"qemu+ssh://kvm3/system\" }", "host 'h3' has no address"),
        ("mac: \"52:54:00:60:00:12\" ", "", "give mac: too"),
        // A VM on the gateway needs no MAC for its reservation: it is made there.
        ("- { name: a, host: h1,", "- { name: z, host: h1, nics: [{ network: ov, ip: 10.123.60.13 }] }\n  - { name: a, host: h1,", ""),
    ])
    func mistakesAreRefused(original: String, replacement: String, message: String) throws {
        let text = Self.yaml.replacingOccurrences(of: original, with: replacement)
        guard !message.isEmpty else {
            _ = try Self.parse(text)
            return
        }
        let error = try #require(throws: VNetError.self) { try Self.parse(text) }
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.message.hasPrefix("span.yaml:"), "\(error.message)")
    }

    @Test func overlayKeysBelongToOverlaysAndOverlaysNeedHosts() throws {
        let plain = "networks:\n  - { name: n, model: nat, vni: 5 }\n"
        #expect(try #require(throws: VNetError.self) { try Self.parse(plain) }.message.contains("vni applies to model: overlay only"))
        let noHosts = "networks:\n  - { name: n, model: overlay, vni: 5, hosts: [a, b], gateway: a }\n"
        #expect(try #require(throws: VNetError.self) { try Self.parse(noHosts) }.message.contains("unknown host 'a'"))
    }
}
