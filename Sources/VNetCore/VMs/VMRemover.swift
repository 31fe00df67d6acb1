import Libvirt
import LibXML

/// Removes VMs together with the DHCP reservations and DNS entries that were made for their NICs
/// and the disk overlay vnetctl created for them.
public enum VMRemover {
    /// Powers `domain` off when it runs, deletes every reservation of its NICs' MACs in their
    /// networks (live and saved), undefines it, then deletes the disk overlay its metadata names.
    public static func remove(_ domain: Domain, on connection: Connection) throws(VNetError) {
        let overlays: [String]
        do {
            let documents = try configs(of: domain)
            let nics = try documents.flatMap(networkNICs(in:))
            overlays = Array(Set(try documents.compactMap {
                try $0.firstElement(VNetMetadata.domainXPath)?.attribute(VNetMetadata.overlayAttribute)
            })).sorted()
            if try domain.isActive { try domain.destroy() }
            for (networkName, macs) in Dictionary(grouping: nics, by: \.network) {
                guard let network = try LibvirtLookup.existingNetwork(named: networkName, on: connection) else { continue }
                try releaseReservations(of: Set(macs.map(\.mac)), in: network)
            }
            if try domain.isPersistent { try domain.undefine() }
        } catch {
            throw VNetError.from(error)
        }
        for path in overlays { try DiskOverlay.delete(path: path, on: connection) }
    }

    private struct NIC {
        var network: String
        var mac: MACAddress
    }

    /// The domain's live and saved configs.
    private static func configs(of domain: Domain) throws -> [XMLDocument] {
        var xmls = [try domain.xml()]
        if try domain.isPersistent { xmls.append(try domain.xml(inactive: true)) }
        return try xmls.map { try XMLDocument(string: $0, source: "domain \(domain.name)") }
    }

    /// The `type='network'` NICs of one config.
    private static func networkNICs(in document: XMLDocument) throws -> [NIC] {
        try DomainConfig(document).nics.compactMap { nic in
            guard nic.kind == "network", let network = nic.source.network, let mac = try? MACAddress(nic.mac ?? "") else { return nil }
            return NIC(network: network, mac: mac)
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
