import Libvirt

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

    /// Reads the network on its own: for callers outside an inventory.
    init(_ network: Network) throws {
        let active = try network.isActive, persistent = try network.isPersistent
        let saved = try NetworkConfig(xml: persistent ? network.savedConfigXML() : network.xml(), source: "network \(network.name)")
        self.init(Inventory.NetworkEntry(network: network, active: active, persistent: persistent, autostart: false, saved: saved, live: nil))
    }

    /// The state of an inventory's network, from its saved config: what survives a restart, and
    /// what reservations are added to (and live).
    init(_ entry: Inventory.NetworkEntry) {
        network = entry.network
        active = entry.active
        persistent = entry.persistent
        let ip = entry.saved.ips(.ipv4).first
        gateway = ip.flatMap { try? IPv4Address($0.address) }
        subnet = ip.flatMap { try? IPv4CIDR.enclosing($0.cidrText) }
        hasDHCP = ip?.dhcp ?? false
        reservations = entry.saved.ips(.ipv4).flatMap(\.dhcpHosts).map { host in
            Reservation(
                mac: host.mac.flatMap { try? MACAddress($0) }, ip: host.ip.flatMap { try? IPv4Address($0) }, name: host.name,
                xml: NetworkFacts.Host(mac: host.mac ?? "", ip: host.ip ?? "", name: host.name ?? "", id: host.id ?? "").dhcpXML)
        }
        dnsHosts = entry.saved.dnsHosts.map { host in
            let escaped = NetworkFacts.Host.escaped
            return DNSHost(
                ip: host.ip, xml: "<host ip='\(escaped(host.ip))'>" + host.hostnames.map { "<hostname>\(escaped($0))</hostname>" }.joined() + "</host>")
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
