import LibXML

/// One libvirt network document read into typed facts, in every form libvirt's network schema
/// allows: the one reader of network XML.
///
/// Forms vnetctl never writes are read too: `netmask=` instead of `prefix=`, an `<ip>` with
/// neither (libvirt then implies the classful prefix), `<forward dev>` together with
/// `<forward><interface dev>`, DHCPv6 hosts named by `id` or `name`, and every forward mode.
public struct NetworkConfig: Sendable, Codable, Equatable {
    /// `<forward>`: how the network reaches the outside.
    public struct Forward: Sendable, Codable, Equatable {
        /// libvirt's mode name: nat (also for a `<forward>` without `mode`), route, open, bridge,
        /// private, vepa, passthrough or hostdev.
        public var mode: String
        /// `<forward dev>`: the one device routed or NATed traffic leaves by.
        public var dev: String?
        /// `<forward><interface dev>`: the macvtap or passthrough devices; libvirt saves `dev` here too.
        public var interfaces: [String]
        /// `<forward><pf dev>`: the SR-IOV physical function of a hostdev or passthrough pool.
        public var physicalFunction: String?

        /// The uplink as a user names it: `dev`, else the first interface.
        public var uplink: String? { dev ?? interfaces.first }
    }

    /// `<bridge>`: the bridge libvirt creates, or the existing one a bridged network uses.
    public struct Bridge: Sendable, Codable, Equatable {
        public var name: String?
        /// `stp` as written (libvirt saves `on` when it was left out for a bridge it creates).
        public var stp: String?
        public var delay: String?
    }

    /// One `<ip>` element: a host address with its subnet, and its DHCP.
    public struct IP: Sendable, Codable, Equatable {
        public var family: IPFamily
        public var address: String
        /// From `prefix`, else `netmask`, else the classful default (IPv4) or 64 (IPv6), as libvirt implies it.
        public var prefix: Int?
        /// True when the element has a `<dhcp>`, with or without ranges.
        public var dhcp: Bool
        public var dhcpRanges: [DHCPRange]
        public var dhcpHosts: [DHCPHost]

        /// `ADDRESS/PREFIX`, or the bare address when no prefix can be told.
        public var cidrText: String { prefix.map { "\(address)/\($0)" } ?? address }
    }

    public enum IPFamily: String, Sendable, Codable {
        case ipv4, ipv6
    }

    /// `<range start end>` of a DHCP section.
    public struct DHCPRange: Sendable, Codable, Equatable, CustomStringConvertible {
        public var start: String
        public var end: String
        public var description: String { "\(start)-\(end)" }
    }

    /// `<host>` of a DHCP section: IPv4 hosts by `mac`, IPv6 hosts by `id` (DUID), `name` or `mac`.
    public struct DHCPHost: Sendable, Codable, Equatable {
        public var mac: String?
        public var id: String?
        public var name: String?
        public var ip: String?
    }

    /// `<dns><host ip>` with its hostnames.
    public struct DNSHost: Sendable, Codable, Equatable {
        public var ip: String
        public var hostnames: [String]
    }

    public var name: String
    public var uuid: String?
    public var forward: Forward?
    public var bridge: Bridge?
    /// The MAC of the network's bridge (`<mac address>`), which libvirt adds when it defines one.
    public var mac: String?
    public var mtu: Int?
    /// The DNS domain dnsmasq serves (`<domain name>`).
    public var domain: String?
    public var ips: [IP]
    public var dnsHosts: [DNSHost]
    /// vnetctl's metadata, present when vnetctl defined the network.
    public var metadata: Metadata?

    /// What vnetctl's `<vnetctl:network>` element records.
    public struct Metadata: Sendable, Codable, Equatable {
        public var template: String?
        public var topology: String?
        /// The port forwards it records; a forward that does not read (written by hand) is left out.
        public var forwards: [PortForward] = []
    }

    /// The model, or nil for forward modes outside vnetctl's five (private, vepa, passthrough, hostdev).
    public var model: NetworkModel? { NetworkModel(forwardMode: forward?.mode) }

    /// How a user reads the model: vnetctl's name for it, or libvirt's mode name where it is none of them.
    public var modelName: String { model?.rawValue ?? forward?.mode ?? "-" }

    /// The `<ip>` elements of one family, in document order.
    public func ips(_ family: IPFamily) -> [IP] { ips.filter { $0.family == family } }

    /// Every DHCP host of every `<ip>`, in document order.
    public var dhcpHosts: [DHCPHost] { ips.flatMap(\.dhcpHosts) }

    /// Reads `document`, a `<network>` as libvirt writes it or as a user would.
    public init(_ document: XMLDocument) throws(XMLError) {
        guard let root = document.root, root.name == "network" else {
            throw XMLError(source: document.source, message: "not a <network> document")
        }
        name = root.child("name")?.text ?? ""
        uuid = root.child("uuid")?.text
        if let forward = root.child("forward") {
            self.forward = Forward(
                mode: forward.attribute("mode") ?? "nat", dev: forward.attribute("dev"),
                interfaces: forward.children("interface").compactMap { $0.attribute("dev") },
                physicalFunction: forward.child("pf")?.attribute("dev"))
        }
        if let bridge = root.child("bridge") {
            self.bridge = Bridge(name: bridge.attribute("name"), stp: bridge.attribute("stp"), delay: bridge.attribute("delay"))
        }
        mac = root.child("mac")?.attribute("address")
        mtu = root.child("mtu")?.attribute("size").flatMap { Int($0) }
        domain = root.child("domain")?.attribute("name")
        ips = root.children("ip").compactMap(Self.ip)
        dnsHosts = (root.child("dns")?.children("host") ?? []).compactMap { host in
            guard let ip = host.attribute("ip") else { return nil }
            return DNSHost(ip: ip, hostnames: host.children("hostname").map(\.text))
        }
        if root.child("metadata") != nil, let element = try root.firstElement(VNetMetadata.networkXPath) {
            metadata = Metadata(
                template: element.attribute("template"), topology: element.attribute("topology"),
                forwards: (try? ForwardMetadata.forwards(in: document)) ?? [])
        }
    }

    /// Parses `xml`, naming `source` in any syntax error.
    public init(xml: String, source: String) throws(XMLError) {
        try self.init(try XMLDocument(readingOnly: xml, source: source))
    }

    private static func ip(_ element: XMLElement) -> IP? {
        guard let address = element.attribute("address") else { return nil }
        let family: IPFamily = element.attribute("family") == "ipv6" || address.contains(":") ? .ipv6 : .ipv4
        let dhcp = element.child("dhcp")
        return IP(
            family: family, address: address,
            prefix: prefix(address: address, family: family, prefix: element.attribute("prefix"), netmask: element.attribute("netmask")),
            dhcp: dhcp != nil,
            dhcpRanges: dhcp?.children("range").compactMap { range in
                guard let start = range.attribute("start"), let end = range.attribute("end") else { return nil }
                return DHCPRange(start: start, end: end)
            } ?? [],
            dhcpHosts: dhcp?.children("host").map { host in
                DHCPHost(mac: host.attribute("mac")?.lowercased(), id: host.attribute("id"), name: host.attribute("name"), ip: host.attribute("ip"))
            } ?? [])
    }

    /// libvirt's rule (`virNetworkIPDefPrefix`): an explicit non-zero prefix, else the netmask's
    /// length, else 64 for IPv6 and the class of an IPv4 address (A /8, B /16, C /24).
    static func prefix(address: String, family: IPFamily, prefix: String?, netmask: String?) -> Int? {
        if let prefix = prefix.flatMap({ Int($0) }), prefix > 0 { return prefix }
        if let netmask { return prefixLength(ofNetmask: netmask) }
        if family == .ipv6 { return 64 }
        guard let first = address.split(separator: ".").first.flatMap({ UInt8($0) }) else { return nil }
        switch first {
        case 0..<128: return 8
        case 128..<192: return 16
        case 192..<224: return 24
        default: return nil
        }
    }

    /// The length of a contiguous IPv4 netmask (`255.255.255.0` → 24), or nil for any other text.
    static func prefixLength(ofNetmask netmask: String) -> Int? {
        let octets = netmask.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 != nil }) else { return nil }
        let bits = octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1!) }
        let prefix = (~bits).leadingZeroBitCount
        return bits == (prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)) ? prefix : nil
    }
}
