/// A fixed IPv4 address that a network's DHCP server hands to one MAC, written `MAC,IP[,HOSTNAME]`
/// as the command line takes it.
///
/// Only the syntax is checked here; ``DHCPPlan`` checks the reservation against its network.
public struct DHCPReservation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var mac: MACAddress
    public var ip: IPv4Address
    /// The name dnsmasq gives the guest in the network's DNS: a DNS label or an FQDN.
    public var hostname: String?

    public init(mac: MACAddress, ip: IPv4Address, hostname: String? = nil) {
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
    }

    public init(_ text: String) throws(AddressError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else {
            throw AddressError(.dhcpHost, "'\(text)': expected MAC,IP[,HOSTNAME], like 52:54:00:12:34:56,10.123.4.10,web1")
        }
        do {
            mac = try MACAddress(String(parts[0]))
            ip = try IPv4Address(String(parts[1]))
        } catch {
            throw AddressError(.dhcpHost, "'\(text)': \(error.message)")
        }
        hostname = parts.count == 3 ? String(parts[2]) : nil
    }

    public var description: String {
        "\(mac),\(ip)" + (hostname.map { ",\($0)" } ?? "")
    }

    /// True when `name` is a host name libvirt and dnsmasq accept: one DNS label or several joined
    /// by dots (an FQDN), at most 253 characters.
    static func isDNSName(_ name: String) -> Bool {
        name.utf8.count <= 253 && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    /// True when `name` is a DNS label: 1-63 ASCII letters, digits and '-', with no '-' at either end.
    static func isDNSLabel(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count) && name.first != "-" && name.last != "-"
            && firstDisallowedScalar(in: name, punctuation: "-") == nil
    }
}
