import Foundation
import Testing
import TestSupport

/// `model: overlay` across this machine (the gateway, h1) and the second host (h2): each host's part
/// applied by vnetctl on that host (`apply --host`), a namespace guest on each host's bridge taking its
/// reserved address from the gateway's dnsmasq, and h2's guest pinging h1's across the VXLAN.
///
/// Checked through the kernel (`ip -d -j link`, `bridge -j fdb`, on each side) and virsh.
@Suite(.onTestThreads, .serialized, .enabled(if: SecondHost.current != nil, "set VNETCTL_SECOND_HOST=NAME=URI of a second-host.sh host"))
struct OverlayNetworkTests {
    /// One VXLAN or bridge link as `ip -d -j link show` prints it.
    struct Link: Decodable {
        struct Info: Decodable {
            struct Data: Decodable {
                var id: Int?
                var local: String?
                var port: Int?
                var learning: Bool?
            }
            var info_kind: String?
            var info_data: Data?
        }
        var mtu: Int
        var master: String?
        var flags: [String]
        var linkinfo: Info?
    }

    struct Entry: Decodable {
        var mac: String
        var dst: String?
    }

    let host: SecondHost
    let id = NetObjectNames.id()
    /// Above HostOverlayTests' fixed VNIs: a second VXLAN link with a VNI and port in use is refused.
    let vni = Int.random(in: 7_400_000..<7_999_999)
    var vxlan: String { "vxl\(vni)" }
    var bridge: String { NetObjectNames.interface(id, "b") }
    let network = TestNames.unique("ovl")

    init() throws {
        host = try #require(SecondHost.current)
    }

    /// `command` here (`h1`) or on the second host (`h2`).
    func on(_ name: String, _ command: [String]) throws -> CommandResult {
        try Command.run(name == "h1" ? command : host.exec(command))
    }

    func vnetctl(_ name: String, _ arguments: [String]) throws -> CommandResult {
        try on(name, [VNetCtlBinary.path] + arguments)
    }

    func link(_ name: String, on side: String) throws -> Link? {
        let result = try on(side, ["ip", "-d", "-j", "link", "show", "dev", name])
        guard result.status == 0 else { return nil }
        return try JSONDecoder().decode([Link].self, from: Data(result.stdout.utf8)).first
    }

    func peers(on side: String) throws -> [String] {
        let output = try on(side, ["bridge", "-j", "fdb", "show", "dev", vxlan]).stdout
        return try JSONDecoder().decode([Entry].self, from: Data(output.utf8)).filter { $0.mac == "00:00:00:00:00:00" }.compactMap(\.dst)
    }

    func networks(on side: String) throws -> String {
        try on(side, ["virsh", "-q", "net-list", "--all", "--name"]).stdout
    }

    /// Removes this test's overlay from both hosts, whatever a failed check left: `teardown`, then
    /// the network and the links by hand, then the test's files.
    func removeOverlay(file: String, directory: URL) {
        for side in ["h2", "h1"] {
            _ = try? vnetctl(side, ["teardown", "-f", file, "--host", side])
            _ = try? on(side, ["virsh", "-q", "net-destroy", network])
            _ = try? on(side, ["virsh", "-q", "net-undefine", network])
            _ = try? on(side, ["ip", "link", "del", vxlan])
            _ = try? on(side, ["ip", "link", "del", bridge])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func underlayMTU(on side: String, device: String) throws -> Int {
        try #require(try link(device, on: side)).mtu
    }

    @Test func guestsOnTwoHostsShareTheGatewaysDHCPAndReachEachOther() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let subnet = "10.123.\(octet)"
        let (mac1, mac2) = ("52:54:00:\(id.prefix(2)):\(id.dropFirst(2).prefix(2)):01", "52:54:00:\(id.prefix(2)):\(id.dropFirst(2).prefix(2)):02")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-ovl-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("overlay.yaml").path
        try """
            name: \(network)
            hosts:
              h1: {uri: "qemu:///system", address: \(host.localAddress)}
              h2: {uri: "\(host.uri)", address: \(host.address)}
            networks:
              - name: \(network)
                model: overlay
                vni: \(vni)
                hosts: [h1, h2]
                gateway: h1
                bridge: \(bridge)
                subnet: \(subnet).0/24
                dhcp:
                  range: \(subnet).100-\(subnet).150
                  hosts:
                    - {mac: "\(mac1)", ip: \(subnet).11}
                    - {mac: "\(mac2)", ip: \(subnet).12}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let guestNamespace = NetObjectNames.namespace(id + "r")
        let (guestHost, guestEnd) = (NetObjectNames.interface(id, "h"), NetObjectNames.interface(id, "g"))
        defer {
            _ = try? Command.run(["ip", "netns", "del", guestNamespace])
            removeOverlay(file: file, directory: directory)
        }

        for side in ["h1", "h2"] {
            let apply = try vnetctl(side, ["apply", "-f", file, "--host", side])
            try #require(apply.status == 0, "\(side): \(apply)")
        }
        // Each side: the VXLAN link (no group, learning off) in the bridge, the other host its one peer,
        // both 50 bytes below the underlay's MTU.
        for (side, local, peer, underlay) in [
            ("h1", host.localAddress, host.address, "\(host.namespace)a"), ("h2", host.address, host.localAddress, "\(host.namespace)b"),
        ] {
            let link = try #require(try link(vxlan, on: side), "\(side) has no \(vxlan)")
            let mtu = try underlayMTU(on: side, device: underlay) - 50
            #expect(link.linkinfo?.info_kind == "vxlan")
            #expect(link.linkinfo?.info_data?.id == vni)
            #expect(link.linkinfo?.info_data?.local == local)
            #expect(link.linkinfo?.info_data?.port == 4789)
            #expect(link.linkinfo?.info_data?.learning == false)
            #expect(link.master == bridge, "\(side)")
            #expect(link.mtu == mtu, "\(side)")
            #expect(try self.link(bridge, on: side)?.mtu == mtu, "\(side)")
            #expect(try peers(on: side) == [peer], "\(side)")
            #expect(try networks(on: side).contains(network), "\(side)")
        }
        let gatewayXML = try Command.output(["virsh", "net-dumpxml", network])
        #expect(!gatewayXML.contains("<forward"), "the gateway's network is isolated: \(gatewayXML)")
        #expect(gatewayXML.contains("10.123.\(octet).11"))
        let otherXML = try on("h2", ["virsh", "net-dumpxml", network]).stdout
        #expect(otherXML.contains("<forward mode='bridge'/>") && otherXML.contains("<bridge name='\(bridge)'/>"), "\(otherXML)")
        for side in ["h1", "h2"] {
            let again = try vnetctl(side, ["apply", "-f", file, "--host", side])
            #expect(again.status == 0 && again.stdout.contains("0 changed"), "\(side): \(again)")
            // The Ansible module on that host, as a play runs it with host: "{{ inventory_hostname }}".
            let arguments = directory.appendingPathComponent("args-\(side).json").path
            try #"{"src": "\#(file)", "host": "\#(side)"}"#.write(toFile: arguments, atomically: true, encoding: .utf8)
            let module = try vnetctl(side, [arguments])
            let result = try JSONSerialization.jsonObject(with: Data(module.stdout.utf8)) as? [String: Any]
            #expect(module.status == 0 && result?["changed"] as? Bool == false, "\(side): \(module)")
        }

        // A guest on each host's bridge: h1's is the harness's namespace; h2's veth is made in that
        // host's namespace and its far end moved into a namespace of its own.
        let guest1 = try GuestNamespace(bridge: bridge, mac: mac1)
        defer { guest1.remove() }
        try Command.output(["ip", "netns", "add", guestNamespace])
        try Command.output(["ip", "-n", host.namespace, "link", "add", guestHost, "type", "veth", "peer", "name", guestEnd])
        try Command.output(["ip", "-n", host.namespace, "link", "set", guestEnd, "netns", guestNamespace])
        try Command.output(["ip", "-n", guestNamespace, "link", "set", guestEnd, "address", mac2, "up"])
        try Command.output(["ip", "-n", host.namespace, "link", "set", guestHost, "master", bridge, "up"])
        let script = directory.appendingPathComponent("udhcpc.sh").path
        try """
            #!/bin/sh
            case "$1" in
                deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
                bound|renew) ip -4 addr flush dev "$interface"; ip addr add "$ip/24" dev "$interface" ;;
            esac
            exit 0

            """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script)

        #expect(try guest1.dhcp() == "\(subnet).11")
        let lease2 = try Command.run(["ip", "netns", "exec", guestNamespace, "busybox", "udhcpc", "-i", guestEnd, "-n", "-q", "-T", "1", "-t", "10", "-s", script])
        #expect(lease2.status == 0 && lease2.stderr.contains("lease of \(subnet).12 obtained from \(subnet).1"), "\(lease2)")
        func ping2to1() throws -> Bool {
            for _ in 0..<3 where try Command.run(["ip", "netns", "exec", guestNamespace, "ping", "-n", "-c", "1", "-W", "1", "\(subnet).11"]).status == 0 {
                return true
            }
            return false
        }
        #expect(try ping2to1(), "h2's guest reaches h1's across the VXLAN")

        // A run killed half-way on h2 (its VXLAN link made, never plugged nor given its peer) converges.
        try Command.output(["ip", "-n", host.namespace, "link", "del", vxlan])
        try Command.output(["ip", "-n", host.namespace, "link", "add", vxlan, "type", "vxlan", "id", String(vni), "local", host.address, "dstport", "4789", "nolearning"])
        let rerun = try vnetctl("h2", ["apply", "-f", file, "--host", "h2"])
        #expect(rerun.status == 0 && rerun.stdout.contains("1 changed"), "\(rerun)")
        #expect(try link(vxlan, on: "h2")?.master == bridge)
        #expect(try peers(on: "h2") == [host.localAddress])
        #expect(try ping2to1(), "after the rerun on h2")

        // libvirt makes a new bridge for every start of the gateway's network; the hook plugs the VXLAN link in again.
        try Command.output(["virsh", "-q", "net-destroy", network])
        try Command.output(["virsh", "-q", "net-start", network])
        let hook = Process()
        hook.executableURL = URL(fileURLWithPath: VNetCtlBinary.path)
        hook.arguments = ["forwards", "hook", network, "started", "begin", "-"]
        let input = Pipe()
        hook.standardInput = input
        try hook.run()
        input.fileHandleForWriting.write(Data(try Command.output(["virsh", "net-dumpxml", network]).utf8))
        try input.fileHandleForWriting.close()
        hook.waitUntilExit()
        #expect(try link(vxlan, on: "h1")?.master == bridge, "the hook re-plugged the VXLAN link")

        for side in ["h2", "h1"] {
            let teardown = try vnetctl(side, ["teardown", "-f", file, "--host", side])
            #expect(teardown.status == 0, "\(side): \(teardown)")
            let links = try on(side, ["ip", "-d", "link"]).stdout
            #expect(!links.contains(vxlan) && !links.contains(bridge) && !links.contains("vxlan id \(vni)"), "\(side): \(links)")
            #expect(!(try networks(on: side).contains(network)), "\(side)")
        }
    }

    /// `apply --prune` of a file that no longer names the overlay removes its network and, since the
    /// links outlive it, its VXLAN link and (on the bridged host) vnetctl's bridge, on each host.
    @Test func pruningTheOverlayRemovesItsLinksOnBothHosts() throws {
        let subnet = "10.123.\(try TestSubnets.freeThirdOctet())"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-ovp-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (full, pruned) = (directory.appendingPathComponent("overlay.yaml").path, directory.appendingPathComponent("pruned.yaml").path)
        let header = """
            name: \(network)
            hosts:
              h1: {uri: "qemu:///system", address: \(host.localAddress)}
              h2: {uri: "\(host.uri)", address: \(host.address)}

            """
        try (header + """
            networks:
              - {name: \(network), model: overlay, vni: \(vni), hosts: [h1, h2], gateway: h1, bridge: \(bridge), subnet: \(subnet).0/24}

            """).write(toFile: full, atomically: true, encoding: .utf8)
        try (header + "networks: []\n").write(toFile: pruned, atomically: true, encoding: .utf8)
        defer { removeOverlay(file: full, directory: directory) }
        for side in ["h1", "h2"] {
            let apply = try vnetctl(side, ["apply", "-f", full, "--host", side])
            try #require(apply.status == 0 && (try link(vxlan, on: side)) != nil, "\(side): \(apply)")
        }
        for side in ["h2", "h1"] {
            let prune = try vnetctl(side, ["apply", "-f", pruned, "--host", side, "--prune"])
            #expect(prune.status == 0 && prune.stdout.contains("ip link del \(vxlan)"), "\(side): \(prune)")
            let links = try on(side, ["ip", "-d", "link"]).stdout
            #expect(!links.contains(vxlan) && !links.contains(bridge) && !links.contains("vxlan id \(vni)"), "\(side): \(links)")
            #expect(!(try networks(on: side).contains(network)), "\(side)")
            let again = try vnetctl(side, ["apply", "-f", pruned, "--host", side, "--prune"])
            #expect(again.status == 0 && again.stdout.contains("0 changed"), "\(side): \(again)")
        }
    }
}
