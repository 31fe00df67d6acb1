import LibXML

/// What two network configs must share to count as the same network, read from libvirt XML:
/// the forwarding, bridge, addresses, DHCP and DNS, without UUIDs, MACs and the like.
struct NetworkFacts: Equatable {
    /// One DHCP reservation or DNS host, as text in a canonical form.
    struct Host: Hashable, Comparable, CustomStringConvertible {
        var mac: String
        var ip: String
        var name: String

        var description: String { [mac, ip, name].filter { !$0.isEmpty }.joined(separator: ",") }
        static func < (lhs: Host, rhs: Host) -> Bool { lhs.description < rhs.description }

        /// The `<host>` element libvirt's DHCP section takes: the one place that writes it, for
        /// `apply` and `define vm` alike.
        var dhcpXML: String {
            "<host" + (mac.isEmpty ? "" : " mac='\(Self.escaped(mac))'") + " ip='\(Self.escaped(ip))'"
                + (name.isEmpty ? "" : " name='\(Self.escaped(name))'") + "/>"
        }

        /// The `<host>` element libvirt's DNS section takes.
        var dnsXML: String { "<host ip='\(Self.escaped(ip))'><hostname>\(Self.escaped(name))</hostname></host>" }

        /// Values read back from a network may hold anything libvirt accepted; they reach the
        /// update XML as text, never as markup.
        private static func escaped(_ value: String) -> String {
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
        func value(_ xpath: String) throws -> String { try document.string("string(\(xpath))") ?? "" }
        shape = [
            "forward": try value("/network/forward/@mode"),
            "uplink": try value("/network/forward/@dev") + value("/network/forward/interface/@dev"),
            "bridge": try value("/network/bridge/@name"),
            "stp": try value("/network/bridge/@stp"),
            "delay": try value("/network/bridge/@delay"),
            "mtu": try value("/network/mtu/@size"),
            "domain": try value("/network/domain/@name"),
            "ipv4": try value("/network/ip[not(@family) or @family='ipv4']/@address") + "/"
                + value("/network/ip[not(@family) or @family='ipv4']/@prefix"),
            "ipv6": try value("/network/ip[@family='ipv6']/@address") + "/" + value("/network/ip[@family='ipv6']/@prefix"),
            "dhcp": try document.firstElement("/network/ip/dhcp") == nil ? "off" : "on",
        ]
        let start = try value("/network/ip/dhcp/range/@start")
        range = start.isEmpty ? nil : "\(start)-\(try value("/network/ip/dhcp/range/@end"))"
        dhcpHosts = Set(try document.elements("/network/ip/dhcp/host").map { host in
            Host(mac: host.attribute("mac")?.lowercased() ?? "", ip: host.attribute("ip") ?? "", name: host.attribute("name") ?? "")
        })
        dnsHosts = Set(try document.elements("/network/dns/host").flatMap { host in
            try host.elements("hostname").map { Host(mac: "", ip: host.attribute("ip") ?? "", name: $0.text) }
        })
    }

    /// The config as sorted `setting: value` lines, the form `--diff` compares.
    var text: String {
        let settings = shape.filter { !$0.value.isEmpty && $0.value != "/" }.map { "\($0.key): \($0.value)" }.sorted()
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
