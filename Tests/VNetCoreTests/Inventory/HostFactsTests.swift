import HostNet
import Testing
@testable import VNetCore

/// Whether a connection's host is this machine, and the overlay planning that reads it from hand-built facts.
struct HostFactsTests {
    static let addresses = [
        HostAddress(linkIndex: 1, linkName: "lo", family: .ipv4, address: "127.0.0.1", prefixLength: 8),
        HostAddress(linkIndex: 2, linkName: "eth0", family: .ipv4, address: "10.123.200.13", prefixLength: 30),
    ]

    @Test(arguments: [
        ("qemu:///system", true), ("test:///default", true), ("qemu+ssh://localhost/system", true),
        ("qemu+tcp://10.123.200.13/system", true), ("qemu+ssh://root@10.123.200.13:22/system", true),
        ("qemu+tcp://10.123.200.14/system", false), ("qemu+tcp://[fd00::1]/system", false),
    ])
    func thisMachineIsALocalURIOrOneOfItsAddresses(uri: String, here: Bool) {
        #expect(HostFacts.isThisMachine(uri, addresses: Self.addresses) == here)
    }

    static let bridge = "vxb42"
    static func facts(thisMachine: Bool) -> HostFacts {
        HostFacts(
            remote: true, isThisMachine: thisMachine,
            links: [
                HostLink(index: 2, name: "eth0", kind: .ethernet, mtu: 1500, isUp: true),
                HostLink(index: 7, name: bridge, kind: .bridge, kernelKind: "bridge", mtu: 1450, isUp: true),
                HostLink(index: 8, name: "vxl42", kind: .other, kernelKind: "vxlan", mtu: 1450, isUp: true, masterIndex: 7),
            ],
            addresses: thisMachine ? addresses : [],
            vxlanLinks: thisMachine
                ? [HostVXLANLink(vxlan: HostVXLAN(name: "vxl42", vni: 42, local: "10.123.200.13"), alias: HostOverlay.alias(bridge: bridge))]
                : nil)
    }

    @Test func pruneRemovesPortsOnlyOnThisMachine() {
        #expect(OverlayLinks.planPruneRemoval(bridge: Self.bridge, bridged: true, host: Self.facts(thisMachine: true))
            == [.deleteLink("vxl42"), .deleteLink(Self.bridge)])
        #expect(OverlayLinks.planPruneRemoval(bridge: "other", bridged: true, host: Self.facts(thisMachine: true)) == nil)
        #expect(OverlayLinks.planPruneRemoval(bridge: Self.bridge, bridged: true, host: Self.facts(thisMachine: false)) == nil)
    }

    @Test func underlayMTUComesFromTheFacts() {
        #expect(OverlayLinks.underlayMTU("10.123.200.13", host: Self.facts(thisMachine: true)) == 1500)
        #expect(OverlayLinks.underlayMTU("10.123.200.13", host: Self.facts(thisMachine: false)) == nil)
    }

    @Test func overlayPlanningIsRefusedOnAnotherMachine() throws {
        let links = HostOverlayLinks(
            bridge: Self.bridge, ownsBridge: true, vxlan: HostVXLAN(name: "vxl42", vni: 42, local: "10.123.200.13"), mtu: 1450, peers: [])
        #expect(try OverlayLinks.plan(links, host: Self.facts(thisMachine: true)).isEmpty)
        #expect(throws: VNetError.self) { try OverlayLinks.plan(links, host: Self.facts(thisMachine: false)) }
    }
}
