import Testing

@testable import HostNet

/// `HostOverlay`'s planners over hand-built links: what each state of the host lacks, read from nothing.
struct HostOverlayPlanTests {
    static let vxlan = HostVXLAN(name: "vxl42", vni: 42, local: "10.123.1.1")
    static let bridgeName = "vxb42"
    static let alias = HostOverlay.alias(bridge: bridgeName)
    static let links = HostOverlayLinks(
        bridge: bridgeName, ownsBridge: true, vxlan: vxlan, mtu: 1450, peers: ["10.123.1.2", "10.123.1.3"])

    static let eth = HostLink(index: 2, name: "eth0", kind: .ethernet, mac: "52:54:00:00:00:01", mtu: 1500, isUp: true)
    static func bridge(mtu: Int = 1450, up: Bool = true) -> HostLink {
        HostLink(index: 7, name: bridgeName, kind: .bridge, kernelKind: "bridge", mtu: mtu, isUp: up)
    }
    static func port(mtu: Int = 1450, up: Bool = true, master: Int? = 7) -> HostLink {
        HostLink(index: 8, name: "vxl42", kind: .other, kernelKind: "vxlan", mtu: mtu, isUp: up, masterIndex: master)
    }
    static let converged = HostVXLANLink(vxlan: vxlan, alias: alias, peers: ["10.123.1.2", "10.123.1.3"])

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var hostLinks: [HostLink]
        var vxlans: [HostVXLANLink]
        var steps: [HostOverlayStep]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing there", hostLinks: [eth], vxlans: [], steps: [
            .createBridge(bridgeName, mtu: 1450), .createVXLAN(vxlan, mtu: 1450, bridge: bridgeName),
            .enslave("vxl42", bridge: bridgeName), .setUp("vxl42"), .setUp(bridgeName),
            .addPeer("10.123.1.2", vxlan: "vxl42"), .addPeer("10.123.1.3", vxlan: "vxl42"),
        ]),
        Case(name: "converged", hostLinks: [eth, bridge(), port()], vxlans: [converged], steps: []),
        Case(name: "MTUs, state and master differ", hostLinks: [eth, bridge(mtu: 1500, up: false), port(mtu: 1500, up: false, master: nil)],
             vxlans: [converged], steps: [
                .setMTU("vxl42", 1450), .setMTU(bridgeName, 1450), .enslave("vxl42", bridge: bridgeName), .setUp("vxl42"),
                .setUp(bridgeName),
             ]),
        Case(name: "alias lost, peers differ", hostLinks: [eth, bridge(), port()],
             vxlans: [HostVXLANLink(vxlan: vxlan, alias: nil, peers: ["10.123.1.9", "10.123.1.2"])], steps: [
                .setAlias("vxl42", bridge: bridgeName), .deletePeer("10.123.1.9", vxlan: "vxl42"), .addPeer("10.123.1.3", vxlan: "vxl42"),
             ]),
        Case(name: "VNI differs", hostLinks: [eth, bridge(), port()],
             vxlans: [HostVXLANLink(vxlan: HostVXLAN(name: "vxl42", vni: 43, local: "10.123.1.1"), alias: alias, peers: ["10.123.1.2"])],
             steps: [
                .deleteLink("vxl42"), .createVXLAN(vxlan, mtu: 1450, bridge: bridgeName), .enslave("vxl42", bridge: bridgeName),
                .setUp("vxl42"), .addPeer("10.123.1.2", vxlan: "vxl42"), .addPeer("10.123.1.3", vxlan: "vxl42"),
             ]),
    ]

    @Test(arguments: cases) func plansWhatTheHostLacks(_ test: Case) throws {
        #expect(try HostOverlay.plan(Self.links, hostLinks: test.hostLinks, vxlans: test.vxlans) == test.steps)
    }

    @Test func aGatewaysMissingBridgeLeavesThePortUnplugged() throws {
        var links = Self.links
        links.ownsBridge = false
        #expect(try HostOverlay.plan(links, hostLinks: [Self.eth, Self.port(master: nil)], vxlans: [Self.converged]).isEmpty)
        #expect(try HostOverlay.plan(links, hostLinks: [Self.eth, Self.bridge(), Self.port(master: nil)], vxlans: [Self.converged])
            == [.enslave("vxl42", bridge: Self.bridgeName)])
    }

    @Test func refusesLinksOfAnotherKindUnderItsNames() {
        let notBridge = HostLink(index: 7, name: Self.bridgeName, kind: .ethernet, mtu: 1500, isUp: true)
        #expect(throws: HostNetError.self) { try HostOverlay.plan(Self.links, hostLinks: [notBridge], vxlans: []) }
        #expect(throws: HostNetError.self) { try HostOverlay.plan(Self.links, hostLinks: [Self.port()], vxlans: []) }
        #expect(throws: HostNetError.self) {
            try HostOverlay.planRemoval(bridge: Self.bridgeName, ownsBridge: true, vxlan: "eth0", hostLinks: [Self.eth])
        }
    }

    @Test func removalDeletesWhatExists() throws {
        let all = [Self.eth, Self.bridge(), Self.port()]
        #expect(try HostOverlay.planRemoval(bridge: Self.bridgeName, ownsBridge: true, vxlan: "vxl42", hostLinks: all)
            == [.deleteLink("vxl42"), .deleteLink(Self.bridgeName)])
        #expect(try HostOverlay.planRemoval(bridge: Self.bridgeName, ownsBridge: false, vxlan: "vxl42", hostLinks: all) == [.deleteLink("vxl42")])
        #expect(try HostOverlay.planRemoval(bridge: Self.bridgeName, ownsBridge: true, vxlan: "vxl42", hostLinks: [Self.eth]).isEmpty)
    }

    struct PortCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bridged: Bool
        var vxlans: [HostVXLANLink]
        var steps: [HostOverlayStep]
        var testDescription: String { name }
    }

    static let portCases: [PortCase] = [
        PortCase(name: "bridged part", bridged: true, vxlans: [converged], steps: [.deleteLink("vxl42"), .deleteLink(bridgeName)]),
        PortCase(name: "gateway part", bridged: false, vxlans: [converged], steps: [.deleteLink("vxl42")]),
        PortCase(name: "no port names the bridge", bridged: true,
                 vxlans: [HostVXLANLink(vxlan: vxlan, alias: HostOverlay.alias(bridge: "other"))], steps: []),
    ]

    @Test(arguments: portCases) func prunedPortsGoByTheirAlias(_ test: PortCase) {
        #expect(HostOverlay.planPortRemoval(
            bridge: Self.bridgeName, bridged: test.bridged, hostLinks: [Self.eth, Self.bridge(), Self.port()], vxlans: test.vxlans)
            == test.steps)
    }

    @Test func underlayMTUIsTheMTUOfTheLinkHoldingTheAddress() {
        let address = HostAddress(linkIndex: 2, linkName: "eth0", family: .ipv4, address: "10.123.1.1", prefixLength: 24)
        #expect(HostOverlay.underlayMTU(address: "10.123.1.1", hostLinks: [Self.eth], addresses: [address]) == 1500)
        #expect(HostOverlay.underlayMTU(address: "10.123.1.9", hostLinks: [Self.eth], addresses: [address]) == nil)
    }
}
