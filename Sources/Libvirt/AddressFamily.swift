import CLibvirt

/// The family of an IP address libvirt reports.
public enum AddressFamily: Hashable, Sendable {
    case ipv4
    case ipv6

    /// Reads libvirt's `virIPAddrType`, which has no other values.
    init(_ type: Int32) throws(LibvirtError) {
        switch type {
        case Int32(VIR_IP_ADDR_TYPE_IPV4.rawValue): self = .ipv4
        case Int32(VIR_IP_ADDR_TYPE_IPV6.rawValue): self = .ipv6
        default: throw LibvirtError(code: .internalError, domain: .none, message: "libvirt reported unknown IP address type \(type)")
        }
    }
}
