/// The IPv4 DHCP settings of one libvirt network, checked against its subnet: the host's
/// gateway address, the dynamic range and the fixed reservations.
///
/// Reservations may lie inside the dynamic range; libvirt and dnsmasq allow it.
public struct DHCPPlan: Sendable, Hashable, Encodable {
    public let subnet: IPv4CIDR
    /// The host's address on the network's bridge, which guests use as their router.
    public let gateway: IPv4Address
    public let range: IPv4Range
    public let reservations: [DHCPReservation]

    /// Checks the given values and fills in the defaults.
    ///
    /// The gateway defaults to the subnet's first usable address. The range defaults to the
    /// longer run of usable addresses on either side of the gateway: for the default gateway,
    /// every address after it.
    public init(
        subnet: IPv4CIDR, gateway: IPv4Address? = nil, range: IPv4Range? = nil, reservations: [DHCPReservation] = []
    ) throws(AddressError) {
        guard let firstUsable = subnet.firstUsable, let lastUsable = subnet.lastUsable else {
            throw AddressError(
                .subnet, "\(subnet) is too small for a network with DHCP: "
                    + "it needs at least a /30, for the gateway and one guest")
        }
        let usable = IPv4Range(ordered: firstUsable, lastUsable)
        let gateway = gateway ?? firstUsable
        if let problem = Self.problem(with: gateway, in: subnet, gateway: nil) {
            throw AddressError("gateway \(gateway) \(problem); use a host address such as \(firstUsable)")
        }
        // A /30 or larger leaves at least one usable address beside the gateway.
        let defaultRange = Self.largestPart(of: usable, without: gateway)!
        let range = range ?? defaultRange
        try Self.check(range, in: subnet, usable: usable, gateway: gateway, defaultRange: defaultRange)
        try Self.check(reservations, in: subnet, gateway: gateway)
        self.subnet = subnet
        self.gateway = gateway
        self.range = range
        self.reservations = reservations
    }

    /// The longer of the two pieces of `range` on either side of `address` (the upper on a tie),
    /// or nil when none is left.
    private static func largestPart(of range: IPv4Range, without address: IPv4Address) -> IPv4Range? {
        guard range.contains(address) else { return range }
        let below = address > range.first ? IPv4Range(ordered: range.first, address.offset(by: -1)!) : nil
        let above = address < range.last ? IPv4Range(ordered: address.offset(by: 1)!, range.last) : nil
        return (below?.count ?? 0) > (above?.count ?? 0) ? below : above
    }

    /// Why `address` cannot be a host's own address in `subnet`, or nil when it can.
    private static func problem(with address: IPv4Address, in subnet: IPv4CIDR, gateway: IPv4Address?) -> String? {
        if !subnet.contains(address) { return "is outside subnet \(subnet)" }
        if address == subnet.network { return "is the network address of \(subnet)" }
        if address == subnet.broadcast { return "is the broadcast address of \(subnet)" }
        if address == gateway { return "is the gateway's address" }
        return nil
    }

    private static func check(
        _ range: IPv4Range, in subnet: IPv4CIDR, usable: IPv4Range, gateway: IPv4Address, defaultRange: IPv4Range
    ) throws(AddressError) {
        if !subnet.contains(range.first) || !subnet.contains(range.last) {
            throw AddressError(
                .dhcpRange, "\(range) is outside subnet \(subnet); "
                    + "use addresses from \(defaultRange.first) to \(defaultRange.last)")
        }
        if range.contains(subnet.network) {
            throw AddressError(
                .dhcpRange, "\(range) includes the network address \(subnet.network); "
                    + "start it at \(usable.first) or later")
        }
        if range.contains(subnet.broadcast) {
            throw AddressError(
                .dhcpRange, "\(range) includes the broadcast address \(subnet.broadcast); "
                    + "end it at \(usable.last) or earlier")
        }
        if range.contains(gateway) {
            let suggestion = largestPart(of: range, without: gateway) ?? defaultRange
            throw AddressError(
                .dhcpRange, "\(range) includes the gateway \(gateway); use a range without it, such as \(suggestion)")
        }
    }

    private static func check(
        _ reservations: [DHCPReservation], in subnet: IPv4CIDR, gateway: IPv4Address
    ) throws(AddressError) {
        var byMAC: [MACAddress: DHCPReservation] = [:]
        var byIP: [IPv4Address: DHCPReservation] = [:]
        var byHostname: [String: DHCPReservation] = [:]
        for reservation in reservations {
            let mac = reservation.mac
            let fail = { (problem: String) in AddressError(.dhcpHost, "\(reservation): \(problem)") }
            if mac.isZero {
                throw fail("MAC \(mac) is all zeros; use a unicast MAC, such as one starting \(MACAddress.qemuPrefix)")
            }
            if mac.isMulticast {
                throw fail(
                    "MAC \(mac) is a multicast address (its first octet is odd); "
                        + "use a unicast MAC, such as one starting \(MACAddress.qemuPrefix)")
            }
            if let problem = problem(with: reservation.ip, in: subnet, gateway: gateway) {
                throw fail("IP \(reservation.ip) \(problem); use another address of \(subnet)")
            }
            if let hostname = reservation.hostname, !DHCPReservation.isDNSName(hostname) {
                throw fail(
                    "hostname '\(hostname)' is not a DNS name; use labels of 1-63 letters, digits and '-', "
                        + "not starting or ending with '-', joined by dots (web1, web1.lab.example)")
            }
            if let other = byMAC.updateValue(reservation, forKey: mac) {
                throw fail("MAC \(mac) is already reserved by reservation \(other); give each MAC one reservation")
            }
            if let other = byIP.updateValue(reservation, forKey: reservation.ip) {
                throw fail(
                    "IP \(reservation.ip) is already reserved by reservation \(other); give each guest its own address")
            }
            if let hostname = reservation.hostname,
                let other = byHostname.updateValue(reservation, forKey: hostname.lowercased())
            {
                throw fail(
                    "hostname '\(hostname)' is already used by reservation \(other); give each guest its own hostname")
            }
        }
    }
}
