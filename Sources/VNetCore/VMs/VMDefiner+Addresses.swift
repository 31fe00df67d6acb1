/// The checks of a new VM's reserved addresses against its networks' DHCP.
extension VMDefiner {
    /// Why `ip` cannot be a guest's reserved address in a network with this subnet, gateway and
    /// DHCP, or nil when it can: the one check `define vm` and `apply` share.
    static func addressProblem(_ ip: IPv4Address, subnet: IPv4CIDR?, gateway: IPv4Address?, hasDHCP: Bool) -> String? {
        guard let subnet, hasDHCP else { return "there is no DHCP server to reserve \(ip) in" }
        guard subnet.contains(ip) else { return "\(ip) is outside the subnet \(subnet)" }
        if ip == subnet.network { return "\(ip) is the network address of \(subnet)" }
        if ip == subnet.broadcast { return "\(ip) is the broadcast address of \(subnet)" }
        if ip == gateway { return "\(ip) is the host's own address in \(subnet)" }
        return nil
    }

    /// Checks each `ip=` against its network and names the reservations.
    static func plannedNICs(_ spec: VMSpec, macs: [MACAddress], states: [String: NetworkDHCPState])
        throws(VNetError) -> [VMDefinition.NIC]
    {
        var hostnamesUsed: [String: Int] = [:]
        var ipsUsed: Set<String> = []
        var nics: [VMDefinition.NIC] = []
        for (nic, mac) in zip(spec.nics, macs) {
            guard let ip = nic.ip, let network = nic.network else {
                nics.append(.init(nic.attachment, model: nic.model, mac: mac))
                continue
            }
            let state = states[network]!
            let option = "\(network),ip=\(ip)"
            if let problem = addressProblem(ip, subnet: state.subnet, gateway: state.gateway, hasDHCP: state.hasDHCP) {
                throw .invalid(.nic, "\(option): \(problem) (network '\(network)'); pick a guest address in it")
            }
            if let other = state.reservations.first(where: { $0.ip == ip && $0.mac != mac }) {
                throw .invalid(
                    .nic, "\(option): \(ip) is already reserved for \(other.mac?.description ?? "another MAC")"
                        + (other.name.map { " (\($0))" } ?? "") + "; pick another address")
            }
            guard ipsUsed.insert("\(network)/\(ip)").inserted else {
                throw .invalid(.nic, "\(option): two NICs of VM '\(spec.name)' ask for \(ip); give each its own address")
            }
            if let booked = state.reservations.first(where: { $0.mac == mac && $0.ip != ip }) {
                throw .invalid(
                    .nic, "\(option): MAC \(mac) is already reserved for \(booked.ip?.description ?? "another address") "
                        + "in network '\(network)'; use that address or drop mac=")
            }
            let base = DNSNames.hostname(for: spec.name)
            let count = hostnamesUsed[network, default: 0]
            hostnamesUsed[network] = count + 1
            let hostname = count == 0 ? base : "\(base)-\(count)"
            // libvirt refuses a second DHCP host with the same name, so say so before changing anything.
            if let named = state.reservations.first(where: { $0.name?.lowercased() == hostname.lowercased() && $0.mac != mac }) {
                throw .invalid(
                    .nic, "\(option): network '\(network)' already has a reservation named '\(hostname)' "
                        + "(\(named.mac?.description ?? "?") \(named.ip?.description ?? "?")); name the VM differently "
                        + "or remove that reservation")
            }
            nics.append(.init(nic.attachment, model: nic.model, mac: mac, ip: ip, hostname: hostname))
        }
        return nics
    }
}
