import Libvirt
import LibXML

/// Removes VMs together with the DHCP reservations and DNS entries that were made for their NICs.
public enum VMRemover {
    /// Powers `domain` off when it runs, deletes every reservation of its NICs' MACs in their
    /// networks (live and saved), then undefines it.
    public static func remove(_ domain: Domain, on connection: Connection) throws(VNetError) {
        do {
            let nics = try networkNICs(of: domain)
            if try domain.isActive { try domain.destroy() }
            for (networkName, macs) in Dictionary(grouping: nics, by: \.network) {
                guard let network = try LibvirtLookup.existingNetwork(named: networkName, on: connection) else { continue }
                try releaseReservations(of: Set(macs.map(\.mac)), in: network)
            }
            if try domain.isPersistent { try domain.undefine() }
        } catch {
            throw VNetError.from(error)
        }
    }

    private struct NIC {
        var network: String
        var mac: MACAddress
    }

    /// The `type='network'` NICs of the domain's live and saved configs.
    private static func networkNICs(of domain: Domain) throws -> [NIC] {
        var xmls = [try domain.xml()]
        if try domain.isPersistent { xmls.append(try domain.xml(inactive: true)) }
        return try xmls.flatMap { xml in
            try DomainSummary.NIC.all(in: XMLDocument(string: xml, source: "domain \(domain.name)")).compactMap { nic in
                guard nic.type == "network", let network = nic.network, let mac = try? MACAddress(nic.mac ?? "") else { return nil }
                return NIC(network: network, mac: mac)
            }
        }
    }

    private static func releaseReservations(of macs: Set<MACAddress>, in network: Network) throws {
        let state = try NetworkDHCPState(network)
        for reservation in state.reservations {
            guard let mac = reservation.mac, macs.contains(mac) else { continue }
            try network.update(.delete, .ipDHCPHost, xml: reservation.xml, flags: state.updateFlags)
            if let ip = reservation.ip?.description {
                for dns in state.dnsHosts where dns.ip == ip {
                    try network.update(.delete, .dnsHost, xml: dns.xml, flags: state.updateFlags)
                }
            }
        }
    }
}
