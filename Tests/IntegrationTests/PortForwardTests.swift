import Foundation
import Testing
import TestSupport

/// Port forwards into nat networks, proven through the kernel: an outside namespace reaches a
/// namespace guest's TCP service through the host's port, and nothing else newly; the host and
/// other guests reach it too (hairpin); iptables-save stays whole; removal leaves no rule.
///
/// vnetctl starts these networks itself, so the libvirt hook plays no part here (`ForwardHookTests`).
@Suite(.onTestThreads, .serialized)
struct PortForwardTests {
    static let uri = "qemu:///system"

    /// A random host port pair base for one test, far from the ports services use.
    static func hostPort() -> Int { Int.random(in: 20000...29990) }

    static func mac() -> String {
        let id = NetObjectNames.id()
        return "52:54:00:" + stride(from: 0, to: 6, by: 2).map { offset in
            let start = id.index(id.startIndex, offsetBy: offset)
            return String(id[start..<id.index(start, offsetBy: 2)])
        }.joined(separator: ":")
    }

    @Test func outsideReachesTheGuestThroughItsForwardAndNothingElse() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let (subnet, gateway, guestIP) = ("10.123.\(octet).0/24", "10.123.\(octet).1", "10.123.\(octet).11")
        let name = TestNames.unique("fwd")
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "b")
        let port = Self.hostPort()
        let mac = Self.mac()
        defer {
            _ = try? VNetCtlBinary.run(["-c", Self.uri, "undefine", "network", name])
            Virsh.destroyAndUndefine(name)
            ForwardChains.removeLeftovers(of: name)
        }
        let define = try VNetCtlBinary.run([
            "-c", Self.uri, "define", "network", name, "--model", "nat", "--subnet", subnet, "--bridge", bridge,
            "--host", "\(mac),\(guestIP),web1", "--forward", "tcp:\(port):web1:80",
            "--forward", "tcp:\(port + 1)-\(port + 2):\(guestIP):81-82", "--start",
        ])
        try #require(define.status == 0, "\(define)")

        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let guest = try GuestNamespace(bridge: bridge, mac: mac)
        defer { guest.remove() }
        try guest.configure(address: "\(guestIP)/24", gateway: gateway)
        let web = try TokenService(namespace: guest.name, port: 80)
        defer { web.stop() }
        let ranged = try TokenService(namespace: guest.name, port: 82)
        defer { ranged.stop() }
        let unforwarded = try TokenService(namespace: guest.name, port: 8000)
        defer { unforwarded.stop() }

        // From outside, through the host's address on the outside link.
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == web.token)
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port + 2) == ranged.token, "host port+2 → guest 82")
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port + 3) == nil, "a port that is not forwarded")
        // Even with a route to the nat subnet, the guest's ports are not reachable directly:
        // only DNATed connections to the forwarded port are newly accepted.
        try outside.addRoute(to: subnet)
        #expect(TokenClient.fetch(from: outside.name, guestIP, 80) == nil)
        #expect(TokenClient.fetch(from: outside.name, guestIP, 8000) == nil)

        // Hairpin: the host itself, and another guest of the network through its gateway.
        #expect(TokenClient.fetch(from: nil, outside.rootAddress, port) == web.token)
        let neighbour = try GuestNamespace(bridge: bridge)
        defer { neighbour.remove() }
        try neighbour.configure(address: "10.123.\(octet).12/24", gateway: gateway)
        #expect(TokenClient.fetch(from: neighbour.name, gateway, port) == web.token)

        // The rules: in vnetctl's chains, entered first, readable by iptables-save.
        let save = try Command.output(["iptables-save"])
        #expect(!save.contains("incompatible"), "\(save)")
        #expect(try ForwardChains.firstRule("nat", "PREROUTING") == "-A PREROUTING -j VNETCTL_PRE")
        #expect(try ForwardChains.firstRule("filter", "FORWARD") == "-A FORWARD -j VNETCTL_FWD")
        let rules = try ForwardChains.lines(of: name)
        let accepts = rules.filter { $0.hasPrefix("-A VNETCTL_FWD ") }
        #expect(accepts.count == 2, "\(rules)")
        #expect(accepts.allSatisfy {
            $0.contains("-d \(guestIP)/32 -o \(bridge) -p tcp") && $0.contains("--ctstate NEW") && $0.contains("--ctstate DNAT")
                && $0.hasSuffix("-j ACCEPT")
        }, "\(accepts)")
        #expect(rules.contains { $0.hasPrefix("-A VNETCTL_PRE ") && $0.contains("--dport \(port) ") && $0.contains("--to-destination \(guestIP):80") })

        // Stored in the metadata that virsh shows, and listed by vnetctl.
        let xml = try Virsh.dumpXML(name)
        #expect(xml.contains("host-ports=\"\(port)\"") && xml.contains("guest=\"\(guestIP)\"") && xml.contains("vm=\"web1\""), "\(xml)")
        let listed = try VNetCtlBinary.run(["-c", Self.uri, "--json", "forwards", name])
        #expect(listed.status == 0 && listed.stdout.contains("\"forward\" : \"tcp:\(port):web1:80\""), "\(listed)")
        let entry = try #require(
            ((try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [String: Any])?["forwards"] as? [[String: Any]])
        #expect(entry.first?["hostPorts"] as? [String: Int] == ["start": port, "end": port], "\(listed)")
        #expect(entry.first?["guestPorts"] as? [String: Int] == ["start": 80, "end": 80], "\(listed)")

        // libvirt still starts and stops another network while forwards exist.
        let other = try LabNetwork.make(model: .nat)
        defer { other.remove() }
        #expect(try Virsh.isActive(other.name))
        let stop = try Virsh.run(["net-destroy", other.name])
        #expect(stop.status == 0, "\(stop)")
        #expect(try !Virsh.isActive(other.name))

        // A second network may not take the same host port.
        let clash = try VNetCtlBinary.run([
            "-c", Self.uri, "define", "network", TestNames.unique("fwc"), "--model", "nat", "--subnet", "auto",
            "--subnet-pool", "10.123.0.0/16", "--forward", "tcp:\(port):10.123.0.11:80",
        ])
        #expect(clash.status == 2 && clash.stderr.split(separator: "\n").count == 1, "\(clash)")
        #expect(clash.stderr.contains("already forwarded by network '\(name)'"), "\(clash)")

        let undefine = try VNetCtlBinary.run(["-c", Self.uri, "undefine", "network", name])
        #expect(undefine.status == 0, "\(undefine)")
        #expect(try ForwardChains.lines(of: name).isEmpty)
        let after = try Command.output(["iptables-save"])
        #expect(!after.contains(guestIP) && !after.contains("--dport \(port)"), "\(after)")
        let ruleset = try Command.output(["nft", "list", "ruleset"])
        #expect(!ruleset.contains(guestIP) && !ruleset.contains("dport \(port)") && !ruleset.contains("dport \(port + 1)-"), "\(ruleset)")
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, port) == nil)
    }

    @Test func applyChangesForwardsLiveWithoutRestartingTheNetwork() throws {
        let octet = try TestSubnets.freeThirdOctet()
        let (gateway, guestIP) = ("10.123.\(octet).1", "10.123.\(octet).11")
        let prefix = TestNames.unique("fwa")
        let (network, vm) = ("\(prefix)-n", "\(prefix)-web")
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "b")
        let (first, second) = (Self.hostPort(), Self.hostPort() + 5)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).yaml")
        func write(forwards: [String]) throws {
            let list = forwards.map { "\"\($0)\"" }.joined(separator: ", ")
            try """
                networks:
                  - name: \(network)
                    model: nat
                    subnet: 10.123.\(octet).0/24
                    bridge: \(bridge)
                    forwards: [\(list)]
                vms:
                  - name: \(vm)
                    start: false
                    nics: [{ network: \(network), ip: \(guestIP) }]
                """.write(to: file, atomically: true, encoding: .utf8)
        }
        func apply(_ extra: [String] = []) throws -> CommandResult {
            try VNetCtlBinary.run(["-c", Self.uri, "apply", "-f", file.path] + extra)
        }
        defer {
            _ = try? VNetCtlBinary.run(["-c", Self.uri, "teardown", "-f", file.path])
            _ = try? Command.run(["virsh", "-c", Self.uri, "undefine", vm])
            Virsh.destroyAndUndefine(network)
            ForwardChains.removeLeftovers(of: network)
            try? FileManager.default.removeItem(at: file)
        }
        try write(forwards: ["tcp:\(first):\(vm):80"])
        let created = try apply()
        try #require(created.status == 0, "\(created)")

        let outside = try OutsideNamespace()
        defer { outside.remove() }
        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        try guest.configure(address: "\(guestIP)/24", gateway: gateway)
        let web = try TokenService(namespace: guest.name, port: 80)
        defer { web.stop() }
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, first) == web.token)
        let dnsmasq = try String(contentsOfFile: "/run/libvirt/network/\(network).pid", encoding: .utf8)

        try write(forwards: ["tcp:\(second):\(vm):80"])
        let check = try apply(["--check", "--diff"])
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("-port forward: tcp:\(first):\(vm):80 → \(guestIP)"), "\(check)")
        #expect(check.stdout.contains("+port forward: tcp:\(second):\(vm):80 → \(guestIP)"), "\(check)")
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, first) == web.token, "--check changed nothing")

        let changed = try apply()
        #expect(changed.status == 0, "\(changed)")
        #expect(changed.stdout.contains("network \(network): updated live (-forward tcp:\(first):\(vm):80; +forward tcp:\(second):\(vm):80)"), "\(changed)")
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, second) == web.token)
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, first) == nil)
        // Not restarted: the same dnsmasq serves it and the guest is still plugged into its bridge.
        #expect(try String(contentsOfFile: "/run/libvirt/network/\(network).pid", encoding: .utf8) == dnsmasq)
        #expect(try Command.output(["ip", "-o", "link", "show", "master", bridge]).contains(guest.hostInterface))
        let saved = try Command.output(["virsh", "-c", Self.uri, "net-dumpxml", "--inactive", network])
        #expect(saved.contains("host-ports=\"\(second)\"") && !saved.contains("host-ports=\"\(first)\""), "\(saved)")
        let again = try apply()
        #expect(again.stdout.split(separator: "\n").last?.hasPrefix("0 changed") == true, "\(again)")

        try write(forwards: [])
        let removed = try apply()
        #expect(removed.status == 0 && removed.stdout.contains("-forward tcp:\(second):\(vm):80"), "\(removed)")
        #expect(try ForwardChains.lines(of: network).isEmpty)
        #expect(TokenClient.fetch(from: outside.name, outside.rootAddress, second) == nil)
        #expect(try !Command.output(["nft", "list", "ruleset"]).contains("dport \(second)"))
    }
}
