import Libvirt

/// Makes `define vm` converge after it was cut off between reserving a NIC's address and defining
/// the domain: the reservation it left names the VM, so a rerun takes it over instead of refusing.
///
/// A reservation is the VM's own when it is for the address a NIC asks for (`ip=`), carries the
/// host name vnetctl gives that NIC (the VM's DNS name, `NAME-N` for further NICs on one network),
/// and its MAC is on no domain's NIC and no host interface. That NIC then gets the reservation's
/// MAC, which for a rerun of the same command is the MAC the first run allocated. The same
/// marker lets `undefine vm NAME` release such reservations when the VM was never defined.
public enum ReservationAdoption {
    /// NIC index → the MAC of the orphaned reservation that NIC takes over.
    static func adopted(for spec: VMSpec, states: [String: NetworkDHCPState], inventory: MACInventory) -> [Int: MACAddress] {
        var adopted: [Int: MACAddress] = [:]
        for (index, nic, hostname) in hostnames(for: spec) where nic.mac == nil {
            guard let ip = nic.ip, let network = nic.network, let state = states[network] else { continue }
            let orphan = state.reservations.first { reservation in
                guard reservation.ip == ip, reservation.name?.lowercased() == hostname.lowercased(),
                    let mac = reservation.mac
                else { return false }
                return inventory.uses(of: mac).allSatisfy { $0.kind == .reservation } && !adopted.values.contains(mac)
            }
            if let mac = orphan?.mac { adopted[index] = mac }
        }
        return adopted
    }

    /// The host name vnetctl gives each NIC with `ip=`, numbered per network as `define` does.
    static func hostnames(for spec: VMSpec) -> [(index: Int, nic: VMSpec.NIC, hostname: String)] {
        let base = DNSNames.hostname(for: spec.name)
        var used: [String: Int] = [:]
        return spec.nics.enumerated().compactMap { index, nic in
            guard nic.ip != nil, let network = nic.network else { return nil }
            let count = used[network, default: 0]
            used[network] = count + 1
            return (index, nic, count == 0 ? base : "\(base)-\(count)")
        }
    }

    /// Deletes the reservations (and their DNS hosts) that name `vm` as above when no domain of
    /// that name exists and no NIC or host interface has their MAC; returns them as
    /// `network ip (host)`. Runs under the host lock; `lockWait` says how long it waits for it and who hears that it does.
    public static func releaseOrphans(
        of vm: String, on connection: Connection, lockWait: HostLock.Wait = HostLock.Wait()
    ) throws(VNetError) -> [String] {
        try HostLock.withLock(lockWait) { () throws(VNetError) in
            let read = try Inventory.read(connection, [.networks, .domains, .host])
            guard read.domain(named: vm) == nil else { return [] }
            let inventory = MACInventory(read)
            let base = DNSNames.hostname(for: vm).lowercased()
            func names(_ name: String?) -> Bool {
                guard let name = name?.lowercased() else { return false }
                if name == base { return true }
                let suffix = name.hasPrefix(base + "-") ? name.dropFirst(base.count + 1) : ""
                return !suffix.isEmpty && suffix.allSatisfy(\.isNumber)
            }
            var released: [String] = []
            do {
                for state in read.networks.map(NetworkDHCPState.init) {
                    let network = state.network
                    for reservation in state.reservations where names(reservation.name) {
                        guard let mac = reservation.mac, inventory.uses(of: mac).allSatisfy({ $0.kind == .reservation })
                        else { continue }
                        let ip = reservation.ip?.description
                        for dns in state.dnsHosts where dns.ip == ip {
                            try network.update(.delete, .dnsHost, xml: dns.xml, flags: state.updateFlags)
                        }
                        try network.update(.delete, .ipDHCPHost, xml: reservation.xml, flags: state.updateFlags)
                        released.append("\(network.name) \(ip ?? "-") (\(reservation.name ?? ""))")
                    }
                }
            } catch {
                throw VNetError.from(error)
            }
            return released
        }
    }
}
