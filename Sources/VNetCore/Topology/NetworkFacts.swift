import LibXML

/// What two network configs must share to count as the same network, read from libvirt XML:
/// the forwarding, bridge, addresses, DHCP and DNS, without UUIDs, MACs and the like.
struct NetworkFacts: Equatable {
    /// One DHCP reservation or DNS host, as text in a canonical form.
    struct Host: Hashable, Comparable, CustomStringConvertible {
        var mac: String
        var ip: String
        var name: String
        /// An IPv6 host's DUID; empty for IPv4 hosts.
        var id: String = ""

        var description: String { [mac, id.isEmpty ? "" : "id=\(id)", ip, name].filter { !$0.isEmpty }.joined(separator: ",") }
        static func < (lhs: Host, rhs: Host) -> Bool { lhs.description < rhs.description }

        /// The `<host>` element libvirt's DHCP section takes: the one place that writes it, for
        /// `apply` and `define vm` alike.
        var dhcpXML: String {
            "<host" + (mac.isEmpty ? "" : " mac='\(Self.escaped(mac))'") + (id.isEmpty ? "" : " id='\(Self.escaped(id))'")
                + " ip='\(Self.escaped(ip))'"
                + (name.isEmpty ? "" : " name='\(Self.escaped(name))'") + "/>"
        }

        /// The `<host>` element libvirt's DNS section takes.
        var dnsXML: String { "<host ip='\(Self.escaped(ip))'><hostname>\(Self.escaped(name))</hostname></host>" }

        /// Values read back from a network may hold anything libvirt accepted; they reach the
        /// update XML as text, never as markup.
        static func escaped(_ value: String) -> String {
            value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
    }

    /// Everything except the reservations: a difference here needs the network restarted.
    var shape: [String: String]
    var range: String?
    var dhcpHosts: Set<Host>
    var dnsHosts: Set<Host>

    init(_ document: XMLDocument) throws {
        self.init(try NetworkConfig(document))
    }

    /// The facts of `config`. IPv4 DHCP hosts are updated live; IPv6 DHCP, which a topology does
    /// not describe, is part of the shape, so that a difference there is never removed silently.
    init(_ config: NetworkConfig) {
        let ipv4 = config.ips(.ipv4).first, ipv6 = config.ips(.ipv6).first
        let dhcpv6 = config.ips(.ipv6).flatMap { ip in
            ip.dhcpRanges.map { "range \($0)" } + ip.dhcpHosts.map { host in
                Host(mac: host.mac ?? "", ip: host.ip ?? "", name: host.name ?? "", id: host.id ?? "").description
            }
        }
        shape = [
            "forward": config.forward?.mode ?? "",
            "uplink": config.forward?.uplink ?? "",
            "bridge": config.bridge?.name ?? "",
            "stp": config.bridge?.stp ?? "",
            "delay": config.bridge?.delay ?? "",
            "mtu": config.mtu.map(String.init) ?? "",
            "domain": config.domain ?? "",
            "ipv4": ipv4?.cidrText ?? "",
            "ipv6": ipv6?.cidrText ?? "",
            "dhcp": config.ips.contains(where: \.dhcp) ? "on" : "off",
            "dhcpv6": dhcpv6.sorted().joined(separator: "; "),
        ]
        range = ipv4?.dhcpRanges.first?.description
        dhcpHosts = Set(config.ips(.ipv4).flatMap(\.dhcpHosts).map { host in
            Host(mac: host.mac ?? "", ip: host.ip ?? "", name: host.name ?? "", id: host.id ?? "")
        })
        dnsHosts = Set(config.dnsHosts.flatMap { host in host.hostnames.map { Host(mac: "", ip: host.ip, name: $0) } })
    }

    /// The config as sorted `setting: value` lines, the form `--diff` compares.
    var text: String {
        let settings = shape.filter { !$0.value.isEmpty }.map { "\($0.key): \($0.value)" }.sorted()
        let range = range.map { ["dhcp range: \($0)"] } ?? []
        let hosts = dhcpHosts.sorted().map { "dhcp host: \($0)" } + dnsHosts.sorted().map { "dns host: \($0.ip) \($0.name)" }
        return (settings + range + hosts).joined(separator: "\n")
    }

    /// The shape fields that differ, as `field: old → new`.
    func shapeChanges(to desired: NetworkFacts) -> [String] {
        desired.shape.keys.sorted().compactMap { key in
            let old = shape[key] ?? "", new = desired.shape[key] ?? ""
            return old == new ? nil : "\(key) \(old.isEmpty ? "-" : old) → \(new.isEmpty ? "-" : new)"
        }
    }
}
