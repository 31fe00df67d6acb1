import Libvirt
import LibXML

/// A network's IPv4 DHCP setup as libvirt holds it: subnet, gateway, range and reservations,
/// read from the config that a reservation must be added to.
struct NetworkDHCPState {
    /// One `<host>` of `<dhcp>`, with its XML as libvirt holds it (needed to delete it exactly).
    struct Reservation {
        var mac: MACAddress?
        var ip: IPv4Address?
        var name: String?
        var xml: String
    }

    /// One `<host>` of `<dns>`.
    struct DNSHost {
        var ip: String
        var xml: String
    }

    let network: Network
    let active: Bool
    let persistent: Bool
    let subnet: IPv4CIDR?
    let gateway: IPv4Address?
    let hasDHCP: Bool
    let reservations: [Reservation]
    let dnsHosts: [DNSHost]

    init(_ network: Network) throws {
        self.network = network
        active = try network.isActive
        persistent = try network.isPersistent
        // The saved config is what survives a restart; reservations are added to it (and live).
        let document = try XMLDocument(
            string: persistent ? network.savedConfigXML() : network.xml(), source: "network \(network.name)")
        let ip = try document.firstElement("/network/ip[not(@family) or @family='ipv4']")
        let gatewayText = ip?.attribute("address")
        gateway = gatewayText.flatMap { try? IPv4Address($0) }
        if let ip, let text = IPElement.text(of: ip) {
            subnet = try? IPv4CIDR.enclosing(text)
        } else {
            subnet = nil
        }
        hasDHCP = try ip?.firstElement("dhcp") != nil
        reservations = try document.elements("/network/ip/dhcp/host").map { host in
            Reservation(
                mac: host.attribute("mac").flatMap { try? MACAddress($0) },
                ip: host.attribute("ip").flatMap { try? IPv4Address($0) }, name: host.attribute("name"),
                xml: host.serialized)
        }
        dnsHosts = try document.elements("/network/dns/host").compactMap { host in
            host.attribute("ip").map { DNSHost(ip: $0, xml: host.serialized) }
        }
    }

    /// The flags that change both what runs and what is saved, as far as the network has each.
    var updateFlags: NetworkUpdateFlags {
        var flags: NetworkUpdateFlags = []
        if active { flags.insert(.live) }
        if persistent { flags.insert(.config) }
        return flags
    }
}
