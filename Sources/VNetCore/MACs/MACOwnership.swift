/// One MAC, one owner: a MAC reserved in any network's DHCP belongs to that reservation.
///
/// A second reservation of it, in any network, is refused; so is a NIC that would use it for
/// another host name. A VM may claim a reservation that names it (its host name, or that name with
/// a `-N` suffix as vnetctl gives a VM's further NICs), and one that names no host.
public enum MACOwnership {
    /// A DHCP `<host>` of a network, as far as ownership goes.
    public struct Reservation: Sendable, Equatable, CustomStringConvertible {
        public var network: String
        public var mac: MACAddress
        public var ip: String?
        public var name: String?

        public init(network: String, mac: MACAddress, ip: String?, name: String?) {
            self.network = network
            self.mac = mac
            self.ip = ip
            self.name = name
        }

        public var description: String {
            let what = [ip, name.map { "host '\($0)'" }].compactMap { $0 }.joined(separator: ", ")
            return "network '\(network)'" + (what.isEmpty ? "" : " (\(what))")
        }
    }

    /// Every reservation with a MAC in every network's saved config (live for a transient one).
    public static func reservations(in inventory: Inventory) -> [Reservation] {
        inventory.networks.flatMap { entry in
            NetworkDHCPState(entry).reservations.compactMap { host in
                host.mac.map { Reservation(network: entry.name, mac: $0, ip: host.ip?.description, name: host.name) }
            }
        }
    }

    /// Refuses to reserve `mac` in `network` (`option` names where it was asked, as the value of
    /// `field` when one is given) when another network already reserves it.
    public static func checkReservation(
        _ mac: MACAddress, in network: String, option: String, field: SpecField? = nil, against existing: [Reservation]
    ) throws(VNetError) {
        guard let owner = existing.first(where: { $0.mac == mac && $0.network != network }) else { return }
        throw refusal(
            field, "\(option): MAC \(mac) is already reserved in \(owner); a MAC has one owner: pick another MAC "
                + "or remove that reservation first")
    }

    /// Refuses `mac` for a NIC of `vm` when a reservation anywhere holds it for another host name;
    /// `option` names the NIC, as the value of `field` when one is given.
    public static func checkNIC(
        _ mac: MACAddress, vm: String, option: String, field: SpecField? = nil, against existing: [Reservation]
    ) throws(VNetError) {
        let own = DNSNames.hostname(for: vm).lowercased()
        let foreign = existing.first { reservation in
            guard reservation.mac == mac, let name = reservation.name?.lowercased(), name != own else { return false }
            let suffix = name.hasPrefix(own + "-") ? name.dropFirst(own.count + 1) : ""
            return suffix.isEmpty || !suffix.allSatisfy(\.isNumber)
        }
        guard let owner = foreign else { return }
        throw refusal(
            field, "\(option): MAC \(mac) is reserved in \(owner), not for VM '\(vm)'; a MAC has one owner: "
                + "leave mac= out, or remove that reservation first")
    }

    /// The refusal `text`, about `field` when one is given.
    private static func refusal(_ field: SpecField?, _ text: String) -> VNetError {
        field.map { .invalid($0, text) } ?? .invalidInput(text)
    }

    /// Checks the explicit `mac=` of every NIC of `spec` with `checkNIC`, reading the reservations once.
    public static func checkNICs(of spec: VMSpec, inventory: Inventory) throws(VNetError) {
        let explicit = spec.nics.compactMap { nic in nic.mac.map { (nic, $0) } }
        guard !explicit.isEmpty else { return }
        let existing = reservations(in: inventory)
        for (nic, mac) in explicit {
            try checkNIC(mac, vm: spec.name, option: "\(nic.network ?? nic.attachment.summary),mac=\(mac)", field: .nic, against: existing)
        }
    }

    /// Refuses a topology whose `dhcp.hosts` reserve a MAC that another network keeps reserved,
    /// or that two networks of the file reserve. A reservation the file moves (drops from one of
    /// its networks, adds to another) is no clash.
    public static func checkTopology(_ topology: Topology, inventory: Inventory) throws(VNetError) {
        let wanted = topology.networks.flatMap { entry in entry.spec.reservations.map { (entry, $0.mac) } }
        guard !wanted.isEmpty else { return }
        var listed: [String: Set<MACAddress>] = [:]
        for entry in topology.networks { listed[entry.spec.name, default: []].formUnion(entry.spec.reservations.map(\.mac)) }
        let staying = reservations(in: inventory).filter { listed[$0.network]?.contains($0.mac) ?? true }
        var seen: [MACAddress: String] = [:]
        for (entry, mac) in wanted {
            let option = "\(topology.source):\(entry.line): networks.\(entry.spec.name).dhcp.hosts"
            if let other = seen[mac], other != entry.spec.name {
                throw .invalidInput(
                    "\(option): MAC \(mac) is reserved in network '\(other)' of this file too; a MAC has one owner: "
                        + "keep it in one network")
            }
            seen[mac] = entry.spec.name
            try checkReservation(mac, in: entry.spec.name, option: option, against: staying)
        }
    }
}
