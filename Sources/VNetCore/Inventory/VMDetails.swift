import Libvirt
import LibXML

/// Everything `vnetctl show vm` tells about one domain: state and, per NIC, network, MAC, the
/// address reserved for it, the address it leased and its tap device.
public struct VMDetails: Sendable, Codable, Equatable {
    public struct NIC: Sendable, Codable, Equatable {
        public var network: String?
        public var bridge: String?
        public var mac: String?
        public var reservedIP: String?
        public var leasedIP: String?
        /// The host's tap device (the NIC's back half) while the VM runs.
        public var tap: String?
    }

    public var name: String
    public var state: String
    public var managed: Bool
    public var nics: [NIC]

    public init(_ domain: Domain, on connection: Connection) throws {
        let summary = try DomainSummary(domain)
        name = summary.name
        state = summary.state
        managed = summary.managed
        var networks: [String: (reservations: [String: String], leases: [String: String])] = [:]
        nics = try summary.nics.map { nic in
            var result = NIC(network: nic.network, bridge: nic.bridge, mac: nic.mac, tap: nic.target)
            if let name = nic.network, let mac = nic.mac?.lowercased() {
                if networks[name] == nil, let network = try? connection.network(named: name) {
                    networks[name] = try Self.addresses(of: network)
                }
                result.reservedIP = networks[name]?.reservations[mac]
                result.leasedIP = networks[name]?.leases[mac]
            }
            return result
        }
    }

    /// MAC → reserved IP and MAC → leased IP of one network.
    private static func addresses(of network: Network) throws -> (reservations: [String: String], leases: [String: String]) {
        let document = try XMLDocument(string: try network.xml(), source: "network \(network.name)")
        var reservations: [String: String] = [:]
        for host in try document.elements("/network/ip/dhcp/host") {
            if let mac = host.attribute("mac")?.lowercased(), let ip = host.attribute("ip") { reservations[mac] = ip }
        }
        var leases: [String: String] = [:]
        if try network.isActive {
            for lease in (try? network.dhcpLeases()) ?? [] where lease.family == .ipv4 {
                leases[lease.mac.lowercased()] = lease.address
            }
        }
        return (reservations, leases)
    }
}
