import Libvirt
import LibXML

/// Everything `vnetctl show vm` tells about one domain: state; per NIC, its kind, source, MAC,
/// model and tap device, the address reserved for it and the one it leased; per disk, its file
/// and what backs it.
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

    public var name: String
    public var state: String
    public var managed: Bool
    /// Every NIC in the shape `list vms` uses, with the address its network reserves for it and
    /// the one it leased.
    public var nics: [DomainNIC]
    public var disks: [Disk]

    /// The details of `entry` from `inventory`; the connection is asked only for what no
    /// inventory holds: leases of the networks its NICs are on, and the volumes behind its disks.
    public init(_ entry: Inventory.DomainEntry, in inventory: Inventory, on connection: Connection) throws {
        let config = entry.current
        name = entry.name
        state = entry.state.description
        managed = config.metadata != nil
        disks = try Self.disks(of: config, on: connection)
        var leases: [String: [String: String]] = [:]
        nics = config.nics.map { nic in
            var result = nic
            guard let name = nic.source.network, let mac = nic.mac, let network = inventory.network(named: name) else { return result }
            result.reservedIP = network.current.ips(.ipv4).flatMap(\.dhcpHosts).first { $0.mac == mac }?.ip
            if leases[name] == nil {
                let current = network.active ? ((try? network.network.dhcpLeases()) ?? []) : []
                leases[name] = Dictionary(current.filter { $0.family == .ipv4 }.map { ($0.mac.lowercased(), $0.address) }) { first, _ in first }
            }
            result.leasedIP = leases[name]?[mac]
            return result
        }
    }

    /// The domain's disks (not CD-ROMs) and, for the backing file, the volume libvirt knows at the source path.
    private static func disks(of config: DomainConfig, on connection: Connection) throws -> [Disk] {
        let overlay = config.metadata?.overlay
        return try config.disks.filter { $0.device == "disk" }.map { disk in
            let source = disk.sourceFile
            let volume = try source.flatMap { path throws(VNetError) in try LibvirtLookup.existingVolume(path: path, on: connection) }
            let backing = try volume.map { try XMLDocument(string: try $0.xml(), source: "volume \($0.name)") }?
                .string("/volume/backingStore/path")
            return Disk(target: disk.target, source: source, backing: backing, transient: disk.transient, overlay: source != nil && source == overlay)
        }
    }
}
