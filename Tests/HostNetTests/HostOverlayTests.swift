import Foundation
import Testing

@testable import HostNet

/// Overlay links made through HostNet and checked with `ip -d -j link` and `bridge -j fdb`.
///
/// Needs root. Every link has a `vnto` name; the VXLAN links use a veth's test address as their local
/// address and VNIs no other test uses, and are deleted even when a check fails.
@Suite(.serialized)
struct HostOverlayTests {
    struct Detail: Decodable {
        struct Info: Decodable {
            struct Data: Decodable {
                var id: Int?
                var local: String?
                var port: Int?
                var learning: Bool?
                var group: String?
            }
            var info_kind: String?
            var info_data: Data?
        }
        var ifname: String
        var mtu: Int
        var master: String?
        var operstate: String?
        var flags: [String]
        var linkinfo: Info?
    }

    struct Entry: Decodable {
        var mac: String
        var dst: String?
    }

    static func detail(_ name: String) throws -> Detail {
        try #require(try JSONDecoder().decode([Detail].self, from: IPCommand.run("-d", "-j", "link", "show", "dev", name)).first)
    }

    static func peers(_ name: String) throws -> [String] {
        let data = try BridgeCommand.bridge(["-j", "fdb", "show", "dev", name])
        return try JSONDecoder().decode([Entry].self, from: data).filter { $0.mac == "00:00:00:00:00:00" }.compactMap(\.dst).sorted()
    }

    /// A veth with a test address to send from, like a host's underlay NIC.
    static func underlay(_ name: String, address: String, mtu: Int) throws {
        try IPCommand.run("link", "add", name, "mtu", String(mtu), "type", "veth", "peer", "name", name + "p")
        try IPCommand.run("addr", "add", address + "/30", "dev", name)
        try IPCommand.run("link", "set", name, "up")
    }

    @Test func convergesFromNothingAndASecondRunChangesNothing() throws {
        let stem = IPCommand.uniqueName("vnto", hexDigits: 5)
        let (underlay, bridge, vx) = (stem + "u", stem + "b", stem + "x")
        defer {
            for link in [vx, bridge, underlay] { _ = try? IPCommand.run("link", "del", link) }
        }
        try Self.underlay(underlay, address: "10.123.252.1", mtu: 1400)
        let mtu = try #require(try HostOverlay.underlayMTU(address: "10.123.252.1")) - HostVXLAN.overhead
        #expect(mtu == 1350)
        let links = HostOverlayLinks(
            bridge: bridge, ownsBridge: true, vxlan: HostVXLAN(name: vx, vni: 7_340_001, local: "10.123.252.1"),
            mtu: mtu, peers: ["10.123.252.2", "10.123.252.6"])
        try HostOverlay.execute(try HostOverlay.plan(links))

        let vxlan = try Self.detail(vx)
        #expect(vxlan.linkinfo?.info_kind == "vxlan")
        #expect(vxlan.linkinfo?.info_data?.id == 7_340_001)
        #expect(vxlan.linkinfo?.info_data?.port == 4789)
        #expect(vxlan.linkinfo?.info_data?.local == "10.123.252.1")
        #expect(vxlan.linkinfo?.info_data?.learning == false)
        #expect(vxlan.linkinfo?.info_data?.group == nil)
        #expect(vxlan.master == bridge)
        #expect(vxlan.mtu == 1350)
        #expect(vxlan.flags.contains("UP"))
        let bridgeDetail = try Self.detail(bridge)
        #expect(bridgeDetail.linkinfo?.info_kind == "bridge")
        #expect(bridgeDetail.mtu == 1350)
        #expect(bridgeDetail.flags.contains("UP"))
        #expect(try HostNetwork.bridgeSTP(bridge) == false)
        #expect(try Self.peers(vx) == ["10.123.252.2", "10.123.252.6"])
        #expect(try HostNetwork.vxlanPeers(of: vx).sorted() == ["10.123.252.2", "10.123.252.6"])
        let read = try #require(try HostNetwork.vxlanLinks().first { $0.name == vx })
        #expect(read.vxlan == links.vxlan)
        #expect(read.alias == HostOverlay.alias(bridge: bridge))
        #expect(read.peers.sorted() == ["10.123.252.2", "10.123.252.6"])

        #expect(try HostOverlay.plan(links).isEmpty)
    }

    @Test func changesOnlyWhatDiffers() throws {
        let stem = IPCommand.uniqueName("vnto", hexDigits: 5)
        let (underlay, bridge, vx) = (stem + "u", stem + "b", stem + "x")
        defer {
            for link in [vx, bridge, underlay] { _ = try? IPCommand.run("link", "del", link) }
        }
        try Self.underlay(underlay, address: "10.123.252.5", mtu: 1500)
        var links = HostOverlayLinks(
            bridge: bridge, ownsBridge: true, vxlan: HostVXLAN(name: vx, vni: 7_340_002, local: "10.123.252.5"),
            mtu: 1450, peers: ["10.123.252.9", "10.123.252.10"])
        try HostOverlay.execute(try HostOverlay.plan(links))
        let index = try Self.detail(vx)

        // A peer less, a peer more, a lower MTU: the link stays, the entries and MTU change.
        links.peers = ["10.123.252.10", "10.123.252.13"]
        links.mtu = 1400
        let steps = try HostOverlay.plan(links)
        #expect(Set(steps) == [
            .setMTU(vx, 1400), .setMTU(bridge, 1400),
            .deletePeer("10.123.252.9", vxlan: vx), .addPeer("10.123.252.13", vxlan: vx),
        ])
        try HostOverlay.execute(steps)
        #expect(try Self.peers(vx) == ["10.123.252.10", "10.123.252.13"])
        #expect(try Self.detail(vx).mtu == 1400)
        #expect(try Self.detail(bridge).mtu == 1400)
        #expect(try Self.detail(vx).ifname == index.ifname)

        // Another VNI cannot be changed on a VXLAN link: it is made again, plugged and given its peers.
        links.vxlan.vni = 7_340_003
        try HostOverlay.execute(try HostOverlay.plan(links))
        #expect(try Self.detail(vx).linkinfo?.info_data?.id == 7_340_003)
        #expect(try Self.detail(vx).master == bridge)
        #expect(try Self.peers(vx) == ["10.123.252.10", "10.123.252.13"])
        #expect(try HostOverlay.plan(links).isEmpty)

        // Taken out of its bridge by hand, it is put back; removal leaves neither link.
        try IPCommand.run("link", "set", vx, "nomaster")
        #expect(try HostOverlay.plan(links).contains(.enslave(vx, bridge: bridge)))
        try HostOverlay.execute(try HostOverlay.plan(links))
        #expect(try Self.detail(vx).master == bridge)
        #expect(try HostOverlay.plan(links).isEmpty)
        try HostOverlay.execute(try HostOverlay.planRemoval(bridge: bridge, ownsBridge: true, vxlan: vx))
        #expect(try HostNetwork.link(named: vx) == nil)
        #expect(try HostNetwork.link(named: bridge) == nil)
        #expect(try HostOverlay.planRemoval(bridge: bridge, ownsBridge: true, vxlan: vx).isEmpty)
    }

    @Test func aBridgeItDoesNotOwnIsNeitherMadeNorRemoved() throws {
        let stem = IPCommand.uniqueName("vnto", hexDigits: 5)
        let (bridge, vx) = (stem + "b", stem + "x")
        defer {
            for link in [vx, bridge] { _ = try? IPCommand.run("link", "del", link) }
        }
        let links = HostOverlayLinks(
            bridge: bridge, ownsBridge: false, vxlan: HostVXLAN(name: vx, vni: 7_340_004, port: 4790, local: "127.0.0.1"),
            mtu: 1450, peers: ["10.123.252.17"])
        try HostOverlay.execute(try HostOverlay.plan(links))
        #expect(try HostNetwork.link(named: bridge) == nil)
        #expect(try Self.detail(vx).master == nil)
        #expect(try Self.detail(vx).linkinfo?.info_data?.port == 4790)
        #expect(try HostOverlay.plan(links).isEmpty)

        try IPCommand.run("link", "add", bridge, "type", "bridge")
        #expect(try HostOverlay.plan(links) == [.enslave(vx, bridge: bridge)])
        // What the network hook does when libvirt has made the bridge: the alias names it.
        #expect(try HostOverlay.plugPorts(into: bridge) == [vx])
        #expect(try Self.detail(vx).master == bridge)
        #expect(try HostOverlay.plan(links).isEmpty)
        #expect(try HostOverlay.plugPorts(into: stem + "n").isEmpty)
        #expect(try HostOverlay.planRemoval(bridge: bridge, ownsBridge: false, vxlan: vx) == [.deleteLink(vx)])
    }
}

/// Runs `bridge` from iproute2.
enum BridgeCommand {
    static func bridge(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/bridge")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw IPCommand.Failure(description: "bridge \(arguments) failed") }
        return data
    }
}
