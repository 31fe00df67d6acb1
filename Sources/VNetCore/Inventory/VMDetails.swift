import Libvirt
import LibXML

/// Everything `vnetctl show vm` tells about one domain: state; per NIC, network, MAC, the
/// address reserved for it, the address it leased and its tap device; per disk, its file and
/// what backs it.
public struct VMDetails: Sendable, Codable, Equatable {
    public struct Disk: Sendable, Codable, Equatable {
        /// The guest's device name (`vda`).
        public var target: String?
        /// The file the guest's writes go to (for a transient disk: the image QEMU puts an overlay on).
        public var source: String?
        /// The backing file of `source`, when libvirt knows it as a volume with one.
        public var backing: String?
        /// True for libvirt's `<transient/>` disk, whose writes QEMU discards at power-off.
        public var transient: Bool
        /// True for the overlay vnetctl created, which `undefine vm` deletes.
        public var overlay: Bool
    }

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
    public var disks: [Disk]

    public init(_ domain: Domain, on connection: Connection) throws {
        let document = try XMLDocument(string: try domain.xml(), source: "domain \(domain.name)")
        let summary = try DomainSummary(domain, document: document)
        name = summary.name
        state = summary.state
        managed = summary.managed
        disks = try Self.disks(in: document, on: connection)
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

    /// The domain's disks (not CD-ROMs), from its live XML and, for the backing file, the volume
    /// libvirt knows at the source path.
    private static func disks(in document: XMLDocument, on connection: Connection) throws -> [Disk] {
        let overlay = try document.firstElement(VNetMetadata.domainXPath)?.attribute(VNetMetadata.overlayAttribute)
        return try document.elements("/domain/devices/disk[@device='disk']").map { disk in
            let source = try disk.firstElement("source")?.attribute("file")
            let volume = try source.flatMap { path throws(VNetError) in try LibvirtLookup.existingVolume(path: path, on: connection) }
            let backing = try volume.map { try XMLDocument(string: try $0.xml(), source: "volume \($0.name)") }?
                .string("/volume/backingStore/path")
            return Disk(
                target: try disk.firstElement("target")?.attribute("dev"), source: source, backing: backing,
                transient: try disk.firstElement("transient") != nil, overlay: source != nil && source == overlay)
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
