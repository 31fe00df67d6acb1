import CLibvirt

/// A domain's network interface and the IP addresses found on it.
public struct DomainInterface: Hashable, Sendable {
    /// An IP address on the interface.
    public struct Address: Hashable, Sendable {
        public var address: String
        public var prefix: Int
        public var family: AddressFamily

        public init(address: String, prefix: Int, family: AddressFamily) {
            self.address = address
            self.prefix = prefix
            self.family = family
        }
    }

    /// The interface's name: the host-side device (`vnet0`) for leases and ARP, the guest's (`eth0`) for the agent.
    public var name: String
    public var mac: String?
    public var addresses: [Address]

    public init(name: String, mac: String?, addresses: [Address]) {
        self.name = name
        self.mac = mac
        self.addresses = addresses
    }

    /// Copies an interface out of libvirt's struct, which the caller still frees.
    init(_ interface: virDomainInterface) throws(LibvirtError) {
        var addresses: [Address] = []
        for index in 0..<Int(interface.naddrs) {
            let address = interface.addrs[index]
            addresses.append(Address(
                address: copyString(address.addr) ?? "",
                prefix: Int(address.prefix),
                family: try AddressFamily(address.type)
            ))
        }
        self.init(name: copyString(interface.name) ?? "", mac: copyString(interface.hwaddr), addresses: addresses)
    }
}

/// Where `Domain.interfaceAddresses(source:)` looks for addresses.
public enum InterfaceAddressSource: Hashable, Sendable {
    /// The DHCP leases of libvirt's own networks (`VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE`).
    case lease
    /// The QEMU guest agent inside the guest (`VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT`).
    case agent
    /// The host's ARP table (`VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP`).
    case arp

    var cValue: virDomainInterfaceAddressesSource {
        switch self {
        case .lease: VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE
        case .agent: VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT
        case .arp: VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP
        }
    }
}
