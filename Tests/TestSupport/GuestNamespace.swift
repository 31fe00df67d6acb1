import Foundation

/// Names for the kernel objects the namespace harness makes: `vnt` + 6 hex digits + a suffix, so
/// every interface name stays within the kernel's 15 characters and every object is findable.
public enum NetObjectNames {
    /// Six random hex digits, shared by the objects of one harness object.
    public static func id() -> String {
        String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(6))
    }

    /// `vnt-ns-ID`, the name of a network namespace.
    public static func namespace(_ id: String) -> String { "vnt-ns-\(id)" }

    /// `vntIDSUFFIX`, an interface name (at most 15 characters).
    public static func interface(_ id: String, _ suffix: String) -> String {
        let name = "vnt\(id)\(suffix)"
        precondition(name.count <= 15, "interface name \(name) is longer than 15 characters")
        return name
    }
}

/// A network namespace with one veth link whose far end is in the root namespace: the common part
/// of `GuestNamespace` and `OutsideNamespace`. Removes only what it created.
final class VethNamespace {
    let name: String
    let rootEnd: String
    private var createdNamespace = false
    private var createdLink = false

    /// Makes `ip netns add NAME`, a veth pair `ROOTEND`/`eth0` with `eth0` inside, lo and eth0 up.
    /// `mac` (if given) is set on `eth0` before it comes up.
    init(name: String, rootEnd: String, peerTemporaryName: String, mac: String? = nil) throws {
        self.name = name
        self.rootEnd = rootEnd
        do {
            try Command.output(["ip", "netns", "add", name])
            createdNamespace = true
            try Command.output(["ip", "link", "add", rootEnd, "type", "veth", "peer", "name", peerTemporaryName])
            createdLink = true
            try Command.output(["ip", "link", "set", peerTemporaryName, "netns", name])
            try Command.output(["ip", "-n", name, "link", "set", peerTemporaryName, "name", "eth0"])
            if let mac {
                try Command.output(["ip", "-n", name, "link", "set", "eth0", "address", mac])
            }
            try Command.output(["ip", "-n", name, "link", "set", "lo", "up"])
            try Command.output(["ip", "-n", name, "link", "set", "eth0", "up"])
        } catch {
            remove()
            throw error
        }
    }

    /// Runs `arguments` inside the namespace (`ip netns exec NAME …`).
    func run(_ arguments: [String]) throws -> CommandResult {
        try Command.run(["ip", "netns", "exec", name] + arguments)
    }

    /// Runs `arguments` inside the namespace and returns stdout; throws when it exits non-zero.
    @discardableResult
    func output(_ arguments: [String]) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw CommandFailure(arguments: ["ip", "netns", "exec", name] + arguments, result: result)
        }
        return result.stdout
    }

    /// IPv4 addresses on `eth0`, as `ADDRESS/PREFIX`.
    func addresses() throws -> [String] {
        try IPJSON.ipv4Addresses(try Command.output(["ip", "-n", name, "-j", "-4", "addr", "show", "dev", "eth0"]))
    }

    /// Deletes the veth pair (both ends) and the namespace, each only if this object created it.
    /// Safe to call more than once and after a partial creation.
    func remove() {
        if createdLink {
            // Deleting the root end deletes its peer too, wherever the peer is; gone already is fine.
            _ = try? Command.run(["ip", "link", "del", rootEnd])
            createdLink = false
        }
        if createdNamespace {
            _ = try? Command.run(["ip", "netns", "del", name])
            createdNamespace = false
        }
    }

    deinit { remove() }
}

/// Small readers for `ip -j` output.
enum IPJSON {
    /// `local/prefixlen` of every inet address in `ip -j -4 addr show` output.
    static func ipv4Addresses(_ json: String) throws -> [String] {
        let links = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        return links.flatMap { link in
            (link["addr_info"] as? [[String: Any]] ?? []).compactMap { info -> String? in
                guard info["family"] as? String == "inet", let local = info["local"] as? String,
                    let prefix = info["prefixlen"] as? Int
                else { return nil }
                return "\(local)/\(prefix)"
            }
        }
    }
}

/// A "guest" made of a network namespace whose `eth0` is a veth plugged into a host bridge, the
/// way a VM's tap device would be. Everything it makes is removed by `remove()` or on deinit.
///
/// ```swift
/// let guest = try GuestNamespace(bridge: "vntabc123b")
/// defer { guest.remove() }
/// let address = try guest.dhcp()
/// #expect(guest.ping("10.123.7.1"))
/// ```
public final class GuestNamespace {
    /// The namespace, `vnt-ns-xxxxxx`.
    public let name: String
    /// The veth end in the root namespace, enslaved to the bridge: `vntxxxxxxh`.
    public let hostInterface: String
    /// The bridge the guest is plugged into, if any.
    public let bridge: String?
    private let namespace: VethNamespace
    private let scriptPath: String

    /// Makes the namespace and plugs it into `bridge` (which must exist); with `bridge: nil` the
    /// host end stays unattached (up, no address). `mac` sets `eth0`'s MAC (for DHCP reservations).
    /// `id` (6 hex digits) fixes the names, `vnt-ns-ID` and `vntIDh`; random when nil.
    public init(bridge: String?, mac: String? = nil, id: String? = nil) throws {
        let id = id ?? NetObjectNames.id()
        name = NetObjectNames.namespace(id)
        hostInterface = NetObjectNames.interface(id, "h")
        self.bridge = bridge
        scriptPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-udhcpc.sh").path
        namespace = try VethNamespace(
            name: name, rootEnd: hostInterface, peerTemporaryName: NetObjectNames.interface(id, "g"), mac: mac)
        do {
            if let bridge {
                try Command.output(["ip", "link", "set", hostInterface, "master", bridge, "up"])
            } else {
                try Command.output(["ip", "link", "set", hostInterface, "up"])
            }
        } catch {
            namespace.remove()
            throw error
        }
    }

    /// The MAC address of the guest's `eth0`.
    public func macAddress() throws -> String {
        let json = try Command.output(["ip", "-n", name, "-j", "link", "show", "dev", "eth0"])
        let links = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        guard let address = links?.first?["address"] as? String else {
            throw HarnessError("no MAC address on eth0 in \(name)")
        }
        return address
    }

    /// IPv4 addresses on `eth0`, as `ADDRESS/PREFIX`.
    public func addresses() throws -> [String] { try namespace.addresses() }

    /// Static configuration: `address` as CIDR (`10.123.X.Y/24`), and a default route via `gateway`.
    public func configure(address: String, gateway: String? = nil) throws {
        try Command.output(["ip", "-n", name, "addr", "add", address, "dev", "eth0"])
        if let gateway {
            try Command.output(["ip", "-n", name, "route", "replace", "default", "via", gateway, "dev", "eth0"])
        }
    }

    /// Adds `ip route add DESTINATION via GATEWAY` inside the namespace.
    public func addRoute(_ destination: String, via gateway: String) throws {
        try Command.output(["ip", "-n", name, "route", "replace", destination, "via", gateway, "dev", "eth0"])
    }

    /// Asks for a DHCP lease with busybox udhcpc (10 discovers 1 s apart at most; dnsmasq pings an address before offering it, so the first ~3 s of discovers go unanswered) and applies it
    /// (address and default route when the server offers a router). Returns the address obtained
    /// (without prefix), or nil when no server answered.
    public func dhcp() throws -> String? {
        try Self.udhcpcScript.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: scriptPath)
        let result = try namespace.run(["busybox", "udhcpc", "-i", "eth0", "-n", "-q", "-T", "1", "-t", "10", "-s", scriptPath])
        guard result.status == 0 else { return nil }
        return try addresses().first.map { String($0.split(separator: "/")[0]) }
    }

    /// The default route's gateway inside the namespace, if there is one.
    public func defaultGateway() throws -> String? {
        let json = try Command.output(["ip", "-n", name, "-j", "-4", "route", "show", "default"])
        let routes = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        return routes?.first?["gateway"] as? String
    }

    /// True when `ping -c COUNT -W 1 ADDRESS` from inside succeeds; tried up to `attempts` times
    /// (ARP and bridge learning may need a first packet). Use `attempts: 1` for expected failures.
    public func ping(_ address: String, count: Int = 1, attempts: Int = 3) -> Bool {
        Self.ping(in: namespace, address, count: count, attempts: attempts)
    }

    /// Runs `arguments` inside the namespace.
    public func run(_ arguments: [String]) throws -> CommandResult { try namespace.run(arguments) }

    /// Deletes the veth pair and the namespace. Safe to call more than once; also runs on deinit.
    public func remove() {
        namespace.remove()
        try? FileManager.default.removeItem(atPath: scriptPath)
    }

    deinit { remove() }

    static func ping(in namespace: VethNamespace, _ address: String, count: Int, attempts: Int) -> Bool {
        for _ in 0..<max(attempts, 1) {
            if let result = try? namespace.run(["ping", "-n", "-c", "\(count)", "-W", "1", address]), result.status == 0 {
                return true
            }
        }
        return false
    }

    /// udhcpc's event script: busybox ships none on Debian. `$mask` is a prefix length in
    /// busybox 1.35 but a dotted netmask in others; both are handled.
    static let udhcpcScript = #"""
        #!/bin/sh
        # Written by vnetctl's test harness for busybox udhcpc.
        prefix_of() {
            case "$1" in
                *.*) n=0; IFS=.; for o in $1; do
                         case "$o" in 255) n=$((n+8));; 254) n=$((n+7));; 252) n=$((n+6));; 248) n=$((n+5));;
                                      240) n=$((n+4));; 224) n=$((n+3));; 192) n=$((n+2));; 128) n=$((n+1));; esac
                     done; unset IFS; echo "$n" ;;
                "") echo 24 ;;
                *) echo "$1" ;;
            esac
        }
        case "$1" in
            deconfig)
                ip -4 addr flush dev "$interface"
                ip link set "$interface" up
                ;;
            bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/$(prefix_of "$mask")" dev "$interface"
                for r in $router; do
                    ip route replace default via "$r" dev "$interface"
                    break
                done
                ;;
        esac
        exit 0
        """#
}

/// The "outside world" beyond the host: a namespace at 10.123.A.2/24 whose veth's other end is,
/// depending on `Attachment`, a routed interface of the root namespace at 10.123.A.1/24 (an
/// upstream network the host routes to), a port of a test bridge (a LAN peer), or a bare link.
///
/// It counts the sources of the ICMP echo requests it receives in its own nftables ruleset (a
/// table `ip vnt` inside the namespace, isolated from the host's), which is how a test tells
/// whether it saw the guest's address or the host's.
public final class OutsideNamespace {
    public enum Attachment: Sendable {
        /// The root end gets 10.123.A.1/24. The namespace gets no default route: it reaches the
        /// host (and masqueraded guests) on-link, and a routed subnet only after `addRoute(to:)`.
        case root
        /// The root end is a port of `bridge` and has no address (the namespace is a LAN peer).
        case bridge(String)
        /// The root end is up with no address and no master (e.g. a macvtap uplink).
        case detached
    }

    public let name: String
    /// The veth end in the root namespace: `vntxxxxxxr`.
    public let rootInterface: String
    /// The third octet of the outside subnet 10.123.A.0/24.
    public let octet: Int
    public let attachment: Attachment
    private let namespace: VethNamespace

    /// 10.123.A.0/24.
    public var subnet: String { "10.123.\(octet).0/24" }
    /// The outside namespace's own address, 10.123.A.2.
    public var address: String { "10.123.\(octet).2" }
    /// The root namespace's address on the outside link (attachment `.root`), 10.123.A.1.
    public var rootAddress: String { "10.123.\(octet).1" }

    /// `octet` defaults to a free 10.123.X.0/24 from `TestSubnets`.
    public init(octet: Int? = nil, attachment: Attachment = .root) throws {
        let id = NetObjectNames.id()
        name = NetObjectNames.namespace(id)
        rootInterface = NetObjectNames.interface(id, "r")
        self.octet = try octet ?? TestSubnets.freeThirdOctet()
        self.attachment = attachment
        namespace = try VethNamespace(name: name, rootEnd: rootInterface, peerTemporaryName: NetObjectNames.interface(id, "o"))
        do {
            try Command.output(["ip", "-n", name, "addr", "add", "\(address)/24", "dev", "eth0"])
            switch attachment {
            case .root:
                try Command.output(["ip", "addr", "add", "\(rootAddress)/24", "dev", rootInterface])
                try Command.output(["ip", "link", "set", rootInterface, "up"])
                // No default route via the host: like a real upstream router, the outside knows
                // only its own link until a test adds a route (`addRoute(to:)`).
            case .bridge(let bridge):
                try Command.output(["ip", "link", "set", rootInterface, "master", bridge, "up"])
            case .detached:
                try Command.output(["ip", "link", "set", rootInterface, "up"])
            }
            let table = """
                table ip vnt {
                    set seen { type ipv4_addr; flags dynamic; }
                    chain in {
                        type filter hook input priority 0; policy accept;
                        icmp type echo-request add @seen { ip saddr }
                    }
                }
                """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).nft").path
            try table.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            try namespace.output(["nft", "-f", file])
        } catch {
            namespace.remove()
            throw error
        }
    }

    /// Adds, inside the outside namespace, `ip route add SUBNET via 10.123.A.1`: the route an
    /// upstream router needs to reach a routed network's guests through this host.
    public func addRoute(to subnet: String) throws {
        try Command.output(["ip", "-n", name, "route", "replace", subnet, "via", rootAddress])
    }

    /// Forgets every source seen so far, runs `body`, and returns the sources of the echo
    /// requests that arrived meanwhile (sorted).
    public func observedSources(during body: () throws -> Void) throws -> [String] {
        try namespace.output(["nft", "flush", "set", "ip", "vnt", "seen"])
        try body()
        let json = try namespace.output(["nft", "-j", "list", "set", "ip", "vnt", "seen"])
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let items = root?["nftables"] as? [[String: Any]] ?? []
        let set = items.compactMap { $0["set"] as? [String: Any] }.first
        guard let set else { throw HarnessError("nft printed no set in \(name): \(json)") }
        return (set["elem"] as? [Any] ?? []).compactMap { $0 as? String }.sorted()
    }

    /// Lets `guest` ping the outside address and returns the one source address the outside saw,
    /// or nil when no echo request arrived (or requests came from more than one source).
    public func observedSource(from guest: GuestNamespace) throws -> String? {
        let sources = try observedSources { _ = guest.ping(address) }
        return sources.count == 1 ? sources[0] : nil
    }

    /// Ping from the outside namespace (e.g. to a routed guest).
    public func ping(_ address: String, count: Int = 1, attempts: Int = 3) -> Bool {
        GuestNamespace.ping(in: namespace, address, count: count, attempts: attempts)
    }

    /// Runs `arguments` inside the outside namespace.
    public func run(_ arguments: [String]) throws -> CommandResult { try namespace.run(arguments) }

    /// Deletes the veth pair (and the root address with it) and the namespace. Safe to repeat.
    public func remove() { namespace.remove() }

    deinit { remove() }
}

/// A Linux bridge the test makes by hand (`ip link add vntxxxxxxbr type bridge`, STP off, up).
public final class TestBridge {
    public let name: String
    private var created = false

    public init() throws {
        name = NetObjectNames.interface(NetObjectNames.id(), "br")
        try Command.output(["ip", "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0"])
        created = true
        do {
            try Command.output(["ip", "link", "set", name, "up"])
        } catch {
            remove()
            throw error
        }
    }

    /// Gives the bridge a host address (`10.123.X.Y/24`).
    public func addAddress(_ cidr: String) throws {
        try Command.output(["ip", "addr", "add", cidr, "dev", name])
    }

    public func remove() {
        if created {
            _ = try? Command.run(["ip", "link", "del", name])
            created = false
        }
    }

    deinit { remove() }
}

/// A harness step that could not be done.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
