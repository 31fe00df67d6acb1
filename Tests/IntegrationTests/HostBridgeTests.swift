import Foundation
import Testing
import TestSupport

/// `vnetctl host-bridge` on veths and namespaces the tests make, never on the machine's own uplink.
///
/// `HostBridgeLab` is a namespace whose veth "uplink" carries 10.123.201.2/24, fd00:123:201::2/64,
/// the default routes and one more route, towards a peer namespace at 10.123.201.1. The addresses
/// are private to the namespaces. Persistent configuration always goes to a temporary root.
@Suite(.onTestThreads, .serialized) struct HostBridgeTests {
    @Test func createInANamespaceKeepsTheAddressAndTheDefaultRoute() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let mac = try lab.linkField(lab.uplink, "address") as? String

        let result = try lab.vnetctl(["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "none"])
        #expect(result.status == 0, "\(result)")

        let flags = try lab.linkField(lab.bridge, "flags") as? [String] ?? []
        #expect(flags.contains("UP"))
        #expect(try lab.linkField(lab.bridge, "address") as? String == mac, "the bridge carries the uplink's MAC")
        #expect(try lab.linkField(lab.uplink, "master") as? String == lab.bridge)
        #expect(try lab.inside(["cat", "/sys/class/net/\(lab.bridge)/bridge/stp_state"]).trimmed == "0")
        #expect(try lab.inside(["cat", "/sys/class/net/\(lab.bridge)/bridge/forward_delay"]).trimmed == "0")
        let bridgeAddresses = try lab.addresses(of: lab.bridge)
        #expect(bridgeAddresses.contains("10.123.201.2/24"))
        #expect(bridgeAddresses.contains("fd00:123:201::2/64"))
        #expect(try lab.addresses(of: lab.uplink).allSatisfy { $0.hasPrefix("fe80:") })
        #expect(try lab.routeDevice(["-4", "route", "show", "default"]) == lab.bridge)
        #expect(try lab.routeDevice(["-6", "route", "show", "default"]) == lab.bridge)
        #expect(try lab.routeDevice(["-4", "route", "show", "10.123.250.0/24"]) == lab.bridge)
        #expect(lab.peerPings("10.123.201.2"), "the peer still reaches the address")

        let list = try lab.vnetctl(["host-bridge", "list", "--json"])
        #expect(list.status == 0, "\(list)")
        let object = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        let bridges = object?["bridges"] as? [[String: Any]] ?? []
        let listed = bridges.first { $0["name"] as? String == lab.bridge }
        #expect(listed?["ports"] as? [String] == [lab.uplink], "\(list.stdout)")
        #expect(listed?["stp"] as? Bool == false)
    }

    @Test func deleteRestoresTheOriginalStateExactlyAndRemovesItsFiles() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let before = try lab.snapshot()

        let created = try lab.vnetctl(["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "networkd"])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("persist: networkd"), "\(created.stdout)")
        let netdev = lab.persistRoot + "/etc/systemd/network/05-vnetctl-\(lab.bridge).netdev"
        #expect(FileManager.default.fileExists(atPath: netdev))

        let deleted = try lab.vnetctl(["host-bridge", "delete", lab.bridge])
        #expect(deleted.status == 0, "\(deleted)")
        #expect(try lab.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: netdev))
        #expect(lab.peerPings("10.123.201.2"))
    }

    /// The namespace's new links get IPv6 disabled (`net.ipv6.conf.default.disable_ipv6`), so the
    /// kernel refuses the uplink's IPv6 address on the new bridge: a real failure after the bridge
    /// exists, is up, and holds the IPv4 address.
    @Test func aFailingStepLeavesTheNamespaceExactlyAsBefore() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        try lab.inside(["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
        let before = try lab.snapshot()

        let result = try lab.vnetctl(["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "networkd"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("add address fd00:123:201::2/64 to \(lab.bridge) failed"), "\(result.stderr)")
        #expect(result.stderr.contains("were undone"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try lab.snapshot() == before)
        #expect(try lab.persistedFiles().isEmpty)
    }

    @Test func badInputExitsTwoWithOneLineAndChangesNothing() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let other = lab.name("x")
        let port = lab.name("d")
        try lab.inside(["ip", "link", "add", other, "type", "bridge"])
        try lab.inside(["ip", "link", "add", port, "type", "veth", "peer", "name", lab.name("e")])
        try lab.inside(["ip", "link", "set", port, "master", other])
        let before = try lab.snapshot()
        let cases: [([String], String)] = [
            (["create", "vntbr0123456789x"], "invalid bridge name"),
            (["create", "vnt/br"], "invalid bridge name"),
            (["create", lab.uplink], "already exists"),
            (["create", lab.bridge, "--uplink", lab.name("n")], "no network interface named"),
            (["create", lab.bridge, "--uplink", port], "already a port of \(other)"),
            (["create", lab.bridge, "--uplink", other], "is a bridge itself"),
            (["create", lab.bridge, "--uplink", "lo"], "loopback"),
            (["create", lab.bridge, "--mtu", "67"], "out of range"),
            (["create", lab.bridge, "--mtu", "65536"], "out of range"),
            (["create", lab.bridge, "--persist", "yast"], "unknown persist target"),
            (["create", lab.bridge, "--stp", "maybe"], "stp"),
            (["delete", lab.uplink], "not a bridge"),
            (["delete", lab.bridge], "no network interface named"),
        ]
        for (arguments, message) in cases {
            let result = try lab.vnetctl(["host-bridge"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        #expect(try lab.snapshot() == before)
        #expect(try lab.persistedFiles().isEmpty)
    }

    @Test func notRootExitsOneWithAClearMessage() throws {
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "hb")
        let result = try Command.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                                      VNetCtlBinary.path, "host-bridge", "create", bridge])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("needs root"), "\(result.stderr)")
        #expect(try Command.run(["ip", "link", "show", "dev", bridge]).status != 0)
    }

    @Test func aFileInTheWayIsBadInputAndNothingChanges() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let directory = lab.persistRoot + "/etc/network/interfaces.d"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "auto \(lab.bridge)\n".write(toFile: directory + "/" + lab.bridge, atomically: true, encoding: .utf8)
        let before = try lab.snapshot()
        let result = try lab.vnetctl(["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "ifupdown"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("not written by vnetctl"), "\(result.stderr)")
        #expect(try lab.snapshot() == before)
    }

    @Test func dryRunPrintsTheStepsAndFilesAndChangesNothing() throws {
        let lab = try HostBridgeLab()
        defer { lab.remove() }
        let before = try lab.snapshot()
        let result = try lab.vnetctl(["host-bridge", "create", lab.bridge, "--uplink", lab.uplink, "--persist", "nm", "--dry-run"])
        #expect(result.status == 0, "\(result)")
        let text = result.stdout
        let order = [
            "create bridge \(lab.bridge)", "set \(lab.bridge) up", "add address 10.123.201.2/24 to \(lab.bridge)",
            "add \(lab.uplink) to bridge \(lab.bridge)", "add route default via 10.123.201.1 dev \(lab.bridge)",
            "delete route default via 10.123.201.1 dev \(lab.uplink)", "delete address 10.123.201.2/24 from \(lab.uplink)",
            "--- /etc/NetworkManager/system-connections/\(lab.bridge).nmconnection",
        ]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(text)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "steps out of order: \(text)")
        #expect(try lab.snapshot() == before)
        #expect(try lab.persistedFiles().isEmpty)
    }

    /// Root namespace: a veth uplink whose other end is in an outside namespace (the LAN peer).
    @Test func bridgedNetworkOnACreatedBridgeReachesTheLANAndBlocksDelete() throws {
        let outside = try OutsideNamespace(attachment: .detached)
        defer { outside.remove() }
        let uplink = outside.rootInterface
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "hb")
        let network = TestNames.unique("hbr")
        let root = try HostBridgeLab.temporaryRoot()
        defer {
            Virsh.destroyAndUndefine(network)
            _ = try? Command.run(["ip", "link", "del", bridge])
            try? FileManager.default.removeItem(atPath: root)
        }
        try Command.output(["ip", "addr", "add", "10.123.\(outside.octet).1/24", "dev", uplink])
        let before = try HostBridgeLab.linkSnapshot(uplink)
        let environment = ["VNETCTL_PERSIST_ROOT": root]

        let created = try VNetCtlBinary.run(
            ["host-bridge", "create", bridge, "--uplink", uplink, "--persist", "none"], environment: environment)
        #expect(created.status == 0, "\(created)")
        let defined = try VNetCtlBinary.run(
            ["-c", Virsh.uri, "define", "network", network, "--model", "bridged", "--bridge", bridge, "--start"])
        #expect(defined.status == 0, "\(defined)")
        #expect(try Virsh.isActive(network))

        let guest = try GuestNamespace(bridge: bridge)
        defer { guest.remove() }
        try guest.configure(address: "10.123.\(outside.octet).3/24")
        #expect(guest.ping(outside.address), "the guest reaches the LAN peer through the bridge")
        #expect(try Command.run(["ping", "-c", "1", "-W", "2", outside.address]).status == 0, "the host too, from the bridge")

        let refused = try VNetCtlBinary.run(["-c", Virsh.uri, "host-bridge", "delete", bridge], environment: environment)
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("network \(network)"), "\(refused.stderr)")
        #expect(try HostBridgeLab.linkMaster(uplink) == bridge, "a refused delete changes nothing")

        Virsh.destroyAndUndefine(network)
        guest.remove()
        let deleted = try VNetCtlBinary.run(["-c", Virsh.uri, "host-bridge", "delete", bridge], environment: environment)
        #expect(deleted.status == 0, "\(deleted)")
        #expect(try HostBridgeLab.linkSnapshot(uplink) == before)
    }

    @Test func defineNetworkWithCreateBridgeMakesTheBridgeFirst() throws {
        let outside = try OutsideNamespace(attachment: .detached)
        defer { outside.remove() }
        let uplink = outside.rootInterface
        let bridge = NetObjectNames.interface(NetObjectNames.id(), "hb")
        let network = TestNames.unique("hbr")
        let root = try HostBridgeLab.temporaryRoot()
        defer {
            Virsh.destroyAndUndefine(network)
            _ = try? Command.run(["ip", "link", "del", bridge])
            try? FileManager.default.removeItem(atPath: root)
        }
        let environment = ["VNETCTL_PERSIST_ROOT": root]
        let defined = try VNetCtlBinary.run(
            ["-c", Virsh.uri, "define", "network", network, "--model", "bridged", "--bridge", bridge,
             "--uplink", uplink, "--create-bridge", "--start"], environment: environment)
        #expect(defined.status == 0, "\(defined)")
        #expect(try HostBridgeLab.linkMaster(uplink) == bridge)
        #expect(try Virsh.isActive(network))
        #expect(try Virsh.dumpXML(network).contains("<bridge name='\(bridge)'/>"))

        Virsh.destroyAndUndefine(network)
        let deleted = try VNetCtlBinary.run(["-c", Virsh.uri, "host-bridge", "delete", bridge], environment: environment)
        #expect(deleted.status == 0, "\(deleted)")
        #expect(try HostBridgeLab.linkMaster(uplink) == nil)
    }
}

/// A namespace `vnt-ns-ID` with the veth uplink `vntIDu` and a peer namespace `vnt-ns-IDp` holding
/// its other end, `vntIDp`. Removing the namespaces removes everything made inside them.
final class HostBridgeLab {
    let id = NetObjectNames.id()
    let namespace: String
    let peer: String
    let uplink: String
    let bridge: String
    let persistRoot: String

    init() throws {
        namespace = NetObjectNames.namespace(id)
        peer = namespace + "p"
        uplink = NetObjectNames.interface(id, "u")
        bridge = NetObjectNames.interface(id, "b")
        persistRoot = try Self.temporaryRoot()
        do {
            try Command.output(["ip", "netns", "add", namespace])
            try Command.output(["ip", "netns", "add", peer])
            let peerEnd = NetObjectNames.interface(id, "p")
            let setup: [[String]] = [
                ["-n", namespace, "link", "add", uplink, "type", "veth", "peer", "name", peerEnd, "netns", peer],
                ["-n", namespace, "link", "set", "lo", "up"],
                ["-n", peer, "link", "set", "lo", "up"],
                ["-n", namespace, "addr", "add", "10.123.201.2/24", "dev", uplink],
                ["-n", namespace, "-6", "addr", "add", "fd00:123:201::2/64", "dev", uplink, "nodad"],
                ["-n", peer, "addr", "add", "10.123.201.1/24", "dev", peerEnd],
                ["-n", peer, "-6", "addr", "add", "fd00:123:201::1/64", "dev", peerEnd, "nodad"],
                ["-n", namespace, "link", "set", uplink, "up"],
                ["-n", peer, "link", "set", peerEnd, "up"],
                ["-n", namespace, "route", "add", "default", "via", "10.123.201.1"],
                ["-n", namespace, "route", "add", "10.123.250.0/24", "via", "10.123.201.1", "metric", "50"],
                ["-n", namespace, "-6", "route", "add", "default", "via", "fd00:123:201::1"],
            ]
            for arguments in setup { try Command.output(["ip"] + arguments) }
            // The IPv6 link-local address settles (DAD) before any snapshot is taken.
            for _ in 0..<50 where try Command.output(["ip", "-n", namespace, "-6", "addr", "show", "tentative"]).contains("inet6") {
                usleep(100_000)
            }
        } catch {
            remove()
            throw error
        }
    }

    /// `vntIDSUFFIX`.
    func name(_ suffix: String) -> String { NetObjectNames.interface(id, suffix) }

    func remove() {
        _ = try? Command.run(["ip", "netns", "del", namespace])
        _ = try? Command.run(["ip", "netns", "del", peer])
        try? FileManager.default.removeItem(atPath: persistRoot)
    }

    /// Runs `vnetctl ARGUMENTS` inside the namespace, persisting under the lab's temporary root.
    func vnetctl(_ arguments: [String]) throws -> CommandResult {
        try Command.run(
            ["ip", "netns", "exec", namespace, VNetCtlBinary.path] + arguments,
            environment: ["VNETCTL_PERSIST_ROOT": persistRoot])
    }

    @discardableResult
    func inside(_ arguments: [String]) throws -> String {
        try Command.output(["ip", "netns", "exec", namespace] + arguments)
    }

    func peerPings(_ address: String) -> Bool {
        (0..<3).contains { _ in
            (try? Command.run(["ip", "netns", "exec", peer, "ping", "-n", "-c", "1", "-W", "1", address]))?.status == 0
        }
    }

    func linkField(_ link: String, _ key: String) throws -> Any? {
        let json = try Command.output(["ip", "-n", namespace, "-j", "link", "show", "dev", link])
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first?[key]
    }

    func addresses(of link: String) throws -> [String] {
        let json = try Command.output(["ip", "-n", namespace, "-j", "addr", "show", "dev", link])
        let links = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return (links.first?["addr_info"] as? [[String: Any]] ?? []).compactMap { info in
            guard let local = info["local"] as? String, let prefix = info["prefixlen"] as? Int else { return nil }
            return "\(local)/\(prefix)"
        }
    }

    func routeDevice(_ arguments: [String]) throws -> String? {
        let json = try Command.output(["ip", "-n", namespace, "-j"] + arguments)
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first?["dev"] as? String
    }

    /// Links, addresses and routes (every table, both families) of the namespace, as sorted JSON
    /// without the fields that change on their own.
    func snapshot() throws -> String {
        try [["link"], ["addr"], ["-4", "route", "show", "table", "all"], ["-6", "route", "show", "table", "all"]]
            .map { try Self.normalized(Command.output(["ip", "-n", namespace, "-j"] + $0)) }
            .joined(separator: "\n")
    }

    /// Files under the temporary persistence root.
    func persistedFiles() throws -> [String] {
        (FileManager.default.enumerator(atPath: persistRoot)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: persistRoot + "/" + path, isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue
        }
    }

    static func temporaryRoot() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vnt-persist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// One root-namespace link and its addresses and routes, normalized as in ``snapshot()``.
    static func linkSnapshot(_ link: String) throws -> String {
        try [["link", "show", "dev", link], ["addr", "show", "dev", link], ["route", "show", "dev", link],
             ["-6", "route", "show", "dev", link]]
            .map { try normalized(Command.output(["ip", "-j"] + $0)) }
            .joined(separator: "\n")
    }

    static func linkMaster(_ link: String) throws -> String? {
        let json = try Command.output(["ip", "-j", "link", "show", "dev", link])
        return (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])?.first?["master"] as? String
    }

    private static let volatileKeys: Set<String> = ["tentative", "dadfailed", "stats", "stats64", "expires"]

    static func normalized(_ json: String) throws -> String {
        func clean(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !volatileKeys.contains($0.key) }.mapValues(clean)
            }
            if let array = value as? [Any] {
                let items = array.map(clean)
                let keyed = items.map { item in
                    (item, (try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys, .fragmentsAllowed]))
                        .map { String(decoding: $0, as: UTF8.self) } ?? "")
                }
                // Lists of objects (links, addresses, routes) are compared as sets; other lists
                // (flags) keep their order.
                return items.first is [String: Any] ? keyed.sorted { $0.1 < $1.1 }.map(\.0) : items
            }
            return value
        }
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: clean(value), options: [.sortedKeys, .prettyPrinted, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
