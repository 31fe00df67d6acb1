import HostNet
import Libvirt

/// Every MAC address in use on the host, with who uses it: each NIC of each domain on the
/// connection (active and inactive, persistent and transient), each DHCP reservation of each
/// network, and the host's own interfaces.
///
/// libvirt never checks MACs across domains, so this scan is what makes vnetctl's MACs unique.
public struct MACInventory: Sendable {
    /// One use of a MAC address.
    public struct Use: Sendable, Codable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable, Codable {
            /// A NIC of a libvirt domain.
            case domainNIC = "domain-nic"
            /// A DHCP `<host>` reservation of a libvirt network.
            case reservation
            /// An interface of the host.
            case hostInterface = "host-interface"
        }

        public var mac: MACAddress
        public var kind: Kind
        /// The domain, network or host interface.
        public var owner: String
        /// The NIC's network, or the reservation's IP address.
        public var detail: String?

        public var description: String {
            switch kind {
            case .domainNIC: "NIC of VM '\(owner)'" + (detail.map { " on \($0)" } ?? "")
            case .reservation: "DHCP reservation in network '\(owner)'" + (detail.map { " for \($0)" } ?? "")
            case .hostInterface: "host interface \(owner)"
            }
        }
    }

    public private(set) var uses: [Use]
    /// The UUID of the libvirt host (lowercase), which the derivation of new MACs mixes in; nil
    /// when it was not read.
    public var hostUUID: String?
    /// The MACs each host bridge or device has in its forwarding database (learned from its LAN),
    /// by device name; none on a remote host, whose forwarding databases libvirt cannot show.
    public var lanMACs: [String: Set<MACAddress>]

    public init(uses: [Use], hostUUID: String? = nil, lanMACs: [String: Set<MACAddress>] = [:]) {
        self.uses = uses
        self.hostUUID = hostUUID
        self.lanMACs = lanMACs
    }

    /// This inventory with `others` (another host's MACs, say) taken too; same host UUID and LAN MACs.
    public func adding(_ others: [Use]) -> MACInventory {
        MACInventory(uses: uses + others, hostUUID: hostUUID, lanMACs: lanMACs)
    }

    /// Scans the connection's domains and networks and its host's interfaces, once.
    public static func scan(_ connection: Connection) throws(VNetError) -> MACInventory {
        MACInventory(try Inventory.read(connection))
    }

    /// Every MAC of `inventory`: each domain's NICs, each network's DHCP reservations, each host interface.
    public init(_ inventory: Inventory) {
        var uses: [Use] = []
        for entry in inventory.domains {
            // A running persistent domain may carry NICs in its saved config that its live config
            // lacks (or the reverse); both count. A MAC twice in one config is a duplicate, the same
            // NIC in both configs one use, and the transient half of a teaming pair shares its
            // partner's MAC by design.
            var nics: [MACAddress: (count: Int, network: String?)] = [:]
            for config in entry.configs {
                var inThisConfig: [MACAddress: (count: Int, network: String?)] = [:]
                for nic in config.nics where !nic.isTeamingPartner(in: config.nics) {
                    guard let mac = try? MACAddress(nic.mac ?? "") else { continue }
                    inThisConfig[mac, default: (0, nic.source.network)].count += 1
                }
                nics.merge(inThisConfig) { $0.count >= $1.count ? $0 : $1 }
            }
            for (mac, use) in nics.sorted(by: { $0.key < $1.key }) {
                for _ in 0..<use.count {
                    uses.append(Use(mac: mac, kind: .domainNIC, owner: entry.name, detail: use.network.map { "network '\($0)'" }))
                }
            }
        }
        for entry in inventory.networks {
            var seen = Set<MACAddress>()
            for host in entry.configs.flatMap(\.dhcpHosts) {
                guard let mac = try? MACAddress(host.mac ?? ""), seen.insert(mac).inserted else { continue }
                uses.append(Use(mac: mac, kind: .reservation, owner: entry.name, detail: host.ip))
            }
        }
        for link in inventory.host.links {
            guard let text = link.mac, let mac = try? MACAddress(text), !mac.isZero else { continue }
            uses.append(Use(mac: mac, kind: .hostInterface, owner: link.name, detail: nil))
        }
        self.init(uses: uses, hostUUID: inventory.host.uuid?.lowercased(), lanMACs: Self.lanMACs(inventory.host))
        unseen = inventory.host.unseen + (inventory.host.isThisMachine ? [] : ["forwarding database"])
    }

    /// What this inventory could not see: the host's facts that libvirt does not report, and on a
    /// remote host its forwarding databases.
    public var unseen: [String] = []

    /// The host devices whose forwarding databases show the LAN segment a NIC with `attachment`
    /// joins: a bridged network's bridge (or its macvtap devices), a host bridge that has an uplink
    /// (a port other than a guest's tap), a `direct` NIC's parent. Empty for NICs that join no LAN.
    public static func lanDevices(for attachment: VMSpec.NIC.Attachment, in inventory: Inventory) -> [String] {
        switch attachment {
        case .network(let name):
            guard let config = inventory.network(named: name)?.current, let forward = config.forward,
                ["bridge", "private", "vepa", "passthrough"].contains(forward.mode)
            else { return [] }
            return config.bridge?.name.map { [$0] } ?? forward.interfaces + (forward.dev.map { [$0] } ?? [])
        case .bridge(let bridge):
            let links = inventory.host.links
            guard let master = links.first(where: { $0.name == bridge }),
                links.contains(where: { $0.masterIndex == master.index && $0.kind != .tun })
            else { return [] }
            return [bridge]
        case .direct(let device, _):
            return [device]
        case .user:
            return []
        }
    }

    /// Each forwarding database's MACs under the name of its bridge (entries learned on a bridge's
    /// ports) and of the device that holds it.
    private static func lanMACs(_ host: HostFacts) -> [String: Set<MACAddress>] {
        let names = Dictionary(host.links.map { ($0.index, $0.name) }) { first, _ in first }
        var result: [String: Set<MACAddress>] = [:]
        for entry in host.forwardingDatabase {
            guard let mac = try? MACAddress(entry.mac), !mac.isZero, !mac.isMulticast else { continue }
            for index in Set([entry.linkIndex, entry.masterIndex].compactMap { $0 }) {
                if let name = names[index] { result[name, default: []].insert(mac) }
            }
        }
        return result
    }

    /// The uses of `mac`, first found first.
    public func uses(of mac: MACAddress) -> [Use] {
        uses.filter { $0.mac == mac }
    }

    /// MACs held by more than one domain NIC or reservation of different owners: the duplicates
    /// that break a network segment.
    ///
    /// A domain's NIC and a reservation in a network for that same MAC are one guest's address
    /// booking, not a conflict; a tap device on the host carries its own MAC (fe:…), so host
    /// interfaces conflict only with guests whose MAC equals theirs. Host interfaces share MACs
    /// among themselves by design (a bridge takes its first port's, a VLAN or bond its parent's).
    public var duplicates: [[Use]] {
        Dictionary(grouping: uses, by: \.mac).values.filter { group in
            let nics = group.filter { $0.kind == .domainNIC }
            let reservations = group.filter { $0.kind == .reservation }
            let hosts = group.filter { $0.kind == .hostInterface }
            return nics.count > 1 || Set(reservations.map(\.owner)).count < reservations.count
                || (!hosts.isEmpty && (!nics.isEmpty || !reservations.isEmpty))
        }.map { $0 }.sorted { $0[0].mac < $1[0].mac }
    }

    /// Forgets a removed VM's NICs and the reservations of their MACs, which its removal released.
    mutating func forget(vm name: String) {
        let macs = Set(uses.filter { $0.kind == .domainNIC && $0.owner == name }.map(\.mac))
        uses.removeAll { ($0.kind == .domainNIC && $0.owner == name) || ($0.kind == .reservation && macs.contains($0.mac)) }
    }

    /// Records a MAC that is now taken, so later allocations in the same command avoid it.
    mutating func record(_ use: Use) {
        uses.append(use)
    }
}
