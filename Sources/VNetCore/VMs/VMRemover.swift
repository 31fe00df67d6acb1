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
            if try domain.isActive {
                try domain.destroy()
                FaultPoint.reached("powering off VM '\(domain.name)'")
            }
            for (networkName, macs) in Dictionary(grouping: nics, by: \.network) {
                guard let network = try LibvirtLookup.existingNetwork(named: networkName, on: connection) else { continue }
                try releaseReservations(of: Set(macs.map(\.mac)), in: network)
            }
            if try domain.isPersistent {
                try domain.undefine()
                FaultPoint.reached("undefining VM '\(domain.name)'")
            }
        } catch {
            throw VNetError.from(error)
        }
        for path in overlays { try DiskOverlay.delete(path: path, on: connection) }
    }

    /// Refuses, as invalid input, to remove `domain` while it runs: removal would power it off.
    ///
    /// virsh's `undefine` never stops a guest (it leaves it running, transient); vnetctl's removal
    /// also releases the guest's reservations and deletes its overlay, which a running guest still
    /// uses, so it powers the guest off only when told to.
    public static func refuseWhileRunning(_ domain: Domain) throws(VNetError) {
        let running: Bool
        do {
            running = try domain.isActive
        } catch {
            throw VNetError.from(error)
        }
        guard running else { return }
        throw VNetError.naming(
            .invalidInput, "vm '\(domain.name)' is running; stop it first ('", OperationAction(.stop, .vm, named: domain.name),
            then: "')"
        ).asking(", or ", for: .force, then: " to power it off and undefine it")
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
            // The DNS host first: a removal cut off in between leaves the reservation, which a rerun
            // finds again, and not a DNS host that no reservation leads to.
            if let ip = reservation.ip?.description {
                for dns in state.dnsHosts where dns.ip == ip {
                    try network.update(.delete, .dnsHost, xml: dns.xml, flags: state.updateFlags)
                    FaultPoint.reached("removing the DNS host of \(ip) in network '\(network.name)'")
                }
            }
            try network.update(.delete, .ipDHCPHost, xml: reservation.xml, flags: state.updateFlags)
            FaultPoint.reached("releasing \(reservation.ip?.description ?? "the reservation") in network '\(network.name)'")
        }
    }
}
