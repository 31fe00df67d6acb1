import FoundationEssentials
import HostNet

/// What a cut-off or half-undone vnetctl change can leave behind with no owner: DHCP reservations
/// named for a VM that does not exist, disk overlays no domain records, and host bridges vnetctl
/// wrote configuration or a record of a cut-off change for that no libvirt network uses.
///
/// A pure function of the ``Inventory`` and of what it cannot hold (storage volumes, the marked
/// configuration files); ``Limit`` says what such a check cannot tell.
public struct Leftovers: Sendable, Codable, Equatable {
    /// A DHCP reservation whose host name is a VM's as vnetctl writes it, with no domain of that name.
    public struct Reservation: Sendable, Codable, Equatable {
        public var network: String
        public var mac: String?
        public var ip: String?
        public var hostname: String
    }

    /// A volume named as vnetctl names overlays, `VM.qcow2` with a backing file, that no domain records.
    public struct Overlay: Sendable, Codable, Equatable {
        public var pool: String
        public var name: String
        public var path: String
        public var backing: String
    }

    /// A host bridge with configuration files that carry vnetctl's marker, or the record of a
    /// cut-off `host-bridge create` or `delete`, used by no libvirt network.
    public struct Bridge: Sendable, Codable, Equatable {
        public var name: String
        /// Whether the bridge exists on the host now.
        public var live: Bool
        /// The marked files and the record, as absolute paths on the host.
        public var files: [String]
    }

    /// A storage volume as the check needs it.
    public struct Volume: Sendable, Equatable {
        public var pool: String
        public var name: String
        public var path: String
        public var format: String?
        public var backing: String?

        public init(pool: String, name: String, path: String, format: String?, backing: String?) {
            self.pool = pool
            self.name = name
            self.path = path
            self.format = format
            self.backing = backing
        }
    }

    /// What the check cannot tell apart or cannot see; each front end words it with its own
    /// commands and options, ``description`` in neutral words.
    public enum Limit: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A reservation made for a VM before it is defined has the name a cut-off VM definition leaves.
        case reservationBeforeItsVM
        /// A user's own volume `VM.qcow2` with a backing file, and no domain `VM`, is named as an overlay is.
        case volumeNamedLikeAnOverlay
        /// A bridge made with no persistent configuration carries no marker; a remote host's bridges are out of reach.
        case unmarkedOrRemoteBridge

        public var description: String {
            switch self {
            case .reservationBeforeItsVM:
                "a reservation made for a VM not defined yet looks the same as one a cut-off VM definition left"
            case .volumeNamedLikeAnOverlay:
                "a user's own qcow2 volume named VM.qcow2 with a backing file and no domain named VM looks like an overlay"
            case .unmarkedOrRemoteBridge:
                "a bridge made without persistent configuration has no marked file and is not seen; on a remote connection no bridge is seen"
            }
        }
    }

    public var reservations: [Reservation] = []
    public var overlays: [Overlay] = []
    public var bridges: [Bridge] = []

    public var isEmpty: Bool { reservations.isEmpty && overlays.isEmpty && bridges.isEmpty }

    /// The leftovers among `inventory`'s networks and domains, `volumes` (every volume of every
    /// started pool) and `markedBridges` (bridge name → its marked files).
    public static func find(in inventory: Inventory, volumes: [Volume], markedBridges: [String: [String]]) -> Leftovers {
        var found = Leftovers()
        let macs = MACInventory(inventory)
        let vms = inventory.domains.map(\.name)
        for entry in inventory.networks {
            var seen = Set<String>()
            for host in entry.configs.flatMap(\.dhcpHosts) {
                guard let name = host.name, seen.insert("\(host.mac ?? "") \(host.ip ?? "") \(name)").inserted else { continue }
                if vms.contains(where: { DNSNames.isHostname(name, of: $0) }) { continue }
                if let mac = host.mac.flatMap({ try? MACAddress($0) }), macs.uses(of: mac).contains(where: { $0.kind != .reservation }) {
                    continue
                }
                found.reservations.append(Reservation(network: entry.name, mac: host.mac, ip: host.ip, hostname: name))
            }
        }
        let recorded = Set(inventory.domains.flatMap { entry in
            entry.configs.flatMap { config in config.disks.compactMap(\.sourceFile) + [config.metadata?.overlay].compactMap { $0 } }
        })
        for volume in volumes where volume.name.hasSuffix(".qcow2") && (volume.format ?? "qcow2") == "qcow2" {
            guard let backing = volume.backing, !recorded.contains(volume.path),
                inventory.domain(named: String(volume.name.dropLast(".qcow2".count))) == nil
            else { continue }
            found.overlays.append(Overlay(pool: volume.pool, name: volume.name, path: volume.path, backing: backing))
        }
        let used = Set(inventory.networks.flatMap { $0.configs.compactMap(\.bridge?.name) })
        let live = Set(inventory.host.links.map(\.name))
        for (name, files) in markedBridges.sorted(by: { $0.key < $1.key }) where !used.contains(name) {
            found.bridges.append(Bridge(name: name, live: live.contains(name), files: files.sorted()))
        }
        return found
    }
}
