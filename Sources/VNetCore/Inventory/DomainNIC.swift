import LibXML

/// One `<interface>` of a domain, of any type libvirt's domain schema allows: the one reader of
/// NICs in domain XML, and the one JSON shape `list vms` and `show vm` share.
public struct DomainNIC: Sendable, Codable, Equatable {
    /// Where the NIC's back half is: the `<source>` element's facts, as far as the type has them.
    public struct Source: Sendable, Codable, Equatable, CustomStringConvertible {
        /// `network`: the libvirt network, and its port group.
        public var network: String?
        public var portgroup: String?
        /// `bridge`, and `network` once running: the host bridge.
        public var bridge: String?
        /// `direct` (macvtap uplink), `vdpa` (its device node).
        public var dev: String?
        /// `direct`: bridge, vepa, private or passthrough; `vhostuser`: client or server.
        public var mode: String?
        /// `vhostuser`: the UNIX socket.
        public var path: String?
        /// `mcast`, `udp`, `server`, `client`: the peer's address and port.
        public var address: String?
        public var port: String?
        /// `udp`: the local end.
        public var localAddress: String?
        public var localPort: String?
        /// `hostdev`: the host device's PCI address, `DDDD:BB:SS.F`.
        public var pci: String?

        public init(network: String? = nil, bridge: String? = nil, dev: String? = nil, mode: String? = nil) {
            self.network = network
            self.bridge = bridge
            self.dev = dev
            self.mode = mode
        }

        public var description: String {
            if let network { return "network \(network)" + (portgroup.map { " portgroup \($0)" } ?? "") }
            if let bridge { return "bridge \(bridge)" }
            if let path { return "socket \(path)" + (mode.map { " (\($0))" } ?? "") }
            if let dev { return "dev \(dev)" + (mode.map { " (\($0))" } ?? "") }
            if let pci { return "pci \(pci)" }
            if let address {
                return "\(address):\(port ?? "?")" + (localAddress.map { " local \($0):\(localPort ?? "?")" } ?? "")
            }
            return "-"
        }
    }

    /// `<teaming>`: half of a failover pair, which shares one MAC by design.
    public struct Teaming: Sendable, Codable, Equatable {
        /// persistent (the virtio NIC the guest keeps) or transient (the hostdev that may be unplugged).
        public var type: String
        /// For the transient half: the alias of its persistent partner.
        public var persistent: String?
    }

    /// libvirt's interface type: network, bridge, direct, user, ethernet, vhostuser, hostdev,
    /// mcast, udp, server, client, vdpa, null, vds.
    public var kind: String
    public var source: Source
    public var mac: String?
    /// The device model the guest sees (virtio, e1000e, rtl8139, …).
    public var model: String?
    /// The host's tap (or macvtap) device, the NIC's back half, while the domain runs.
    public var tap: String?
    /// `<alias name>`, which a teaming partner refers to.
    public var alias: String?
    public var teaming: Teaming?
    /// `user`: the IPv4 net QEMU's user mode hands out (`<ip address prefix>`), as `ADDRESS/PREFIX`.
    public var userNet: String?
    /// The address the NIC's network reserves for its MAC; filled in by `show vm`.
    public var reservedIP: String?
    /// The address the NIC holds a DHCP lease for; filled in by `show vm`.
    public var leasedIP: String?

    public init(kind: String, source: Source = Source(), mac: String? = nil, model: String? = nil, tap: String? = nil,
                alias: String? = nil, teaming: Teaming? = nil) {
        self.kind = kind
        self.source = source
        self.mac = mac
        self.model = model
        self.tap = tap
        self.alias = alias
        self.teaming = teaming
    }

    /// True for the transient half of a teaming pair whose persistent partner, in `nics`, has the same MAC.
    public func isTeamingPartner(in nics: [DomainNIC]) -> Bool {
        guard teaming?.type == "transient", let partner = teaming?.persistent else { return false }
        return nics.contains { $0.alias == partner && $0.teaming?.type == "persistent" && $0.mac == mac }
    }

    /// Reads one `<interface>` element.
    init(_ interface: XMLElement) {
        kind = interface.attribute("type") ?? "-"
        source = Source()
        if let element = interface.child("source") {
            source.network = element.attribute("network")
            source.portgroup = element.attribute("portgroup")
            source.bridge = element.attribute("bridge")
            source.dev = element.attribute("dev")
            source.mode = element.attribute("mode")
            source.path = element.attribute("path")
            source.address = element.attribute("address")
            source.port = element.attribute("port")
            if let local = element.child("local") {
                source.localAddress = local.attribute("address")
                source.localPort = local.attribute("port")
            }
            if let pci = element.child("address"), pci.attribute("type") ?? "pci" == "pci" {
                source.pci = Self.pciAddress(pci)
            }
        }
        mac = interface.child("mac")?.attribute("address")?.lowercased()
        model = interface.child("model")?.attribute("type")
        tap = interface.child("target")?.attribute("dev")
        alias = interface.child("alias")?.attribute("name")
        if kind == "user", let ip = interface.child("ip"), let address = ip.attribute("address") {
            userNet = "\(address)/\(ip.attribute("prefix") ?? "24")"
        }
        if let teaming = interface.child("teaming"), let type = teaming.attribute("type") {
            self.teaming = Teaming(type: type, persistent: teaming.attribute("persistent"))
        }
    }

    /// `0000:03:00.1` from `<address domain='0x0000' bus='0x03' slot='0x00' function='0x1'/>`.
    private static func pciAddress(_ element: XMLElement) -> String? {
        func number(_ name: String) -> Int? {
            guard let text = element.attribute(name) else { return nil }
            return text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        }
        guard let bus = number("bus"), let slot = number("slot"), let function = number("function") else { return nil }
        let hex = { (value: Int, width: Int) in
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(hex(number("domain") ?? 0, 4)):\(hex(bus, 2)):\(hex(slot, 2)).\(hex(function, 1))"
    }
}
