import CLibvirt
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A lease the network's DHCP server handed out.
public struct DHCPLease: Hashable, Sendable {
    /// The network's bridge, such as `virbr0`.
    public var interface: String
    public var expiry: Date
    public var family: AddressFamily
    /// The client's MAC address; libvirt may leave it empty for DHCPv6 clients.
    public var mac: String
    /// The DHCPv6 identity association ID.
    public var iaid: String?
    public var address: String
    public var prefix: Int
    public var hostname: String?
    /// The DHCPv4 client ID or the DHCPv6 DUID.
    public var clientID: String?

    public init(
        interface: String, expiry: Date, family: AddressFamily, mac: String, iaid: String? = nil,
        address: String, prefix: Int, hostname: String? = nil, clientID: String? = nil
    ) {
        self.interface = interface
        self.expiry = expiry
        self.family = family
        self.mac = mac
        self.iaid = iaid
        self.address = address
        self.prefix = prefix
        self.hostname = hostname
        self.clientID = clientID
    }

    /// Copies a lease out of libvirt's struct, which the caller still frees.
    init(_ lease: virNetworkDHCPLease) throws(LibvirtError) {
        self.init(
            interface: copyString(lease.iface) ?? "",
            expiry: Date(timeIntervalSince1970: TimeInterval(lease.expirytime)),
            family: try AddressFamily(lease.type),
            mac: copyString(lease.mac) ?? "",
            iaid: copyString(lease.iaid),
            address: copyString(lease.ipaddr) ?? "",
            prefix: Int(lease.prefix),
            hostname: copyString(lease.hostname),
            clientID: copyString(lease.clientid)
        )
    }
}
