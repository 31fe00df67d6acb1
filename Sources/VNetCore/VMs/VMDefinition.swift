/// A VM ready to define: its XML with every NIC's MAC assigned, and the reservations it needs.
public struct VMDefinition: Sendable, Equatable {
    /// One NIC as it will be defined.
    public struct NIC: Sendable, Codable, Equatable {
        /// libvirt's interface type: network, bridge, direct or user.
        public var kind: String
        /// The libvirt network, for a `network` NIC.
        public var network: String?
        /// The host bridge of a `bridge` NIC, or the host interface under a `direct` NIC's macvtap.
        public var hostInterface: String?
        /// A `direct` NIC's macvtap mode; a `user` NIC's IPv4 net when it is not QEMU's default.
        public var mode: String?
        public var model: String
        public var mac: MACAddress
        /// The address reserved for the MAC in the network's DHCP, if any.
        public var ip: IPv4Address?
        /// The DHCP and DNS host name of the reservation.
        public var hostname: String?

        public init(
            _ attachment: VMSpec.NIC.Attachment, model: String, mac: MACAddress, ip: IPv4Address? = nil,
            hostname: String? = nil
        ) {
            kind = attachment.type
            switch attachment {
            case .network(let name): network = name
            case .bridge(let bridge): hostInterface = bridge
            case .direct(let device, let mode):
                hostInterface = device
                self.mode = mode.rawValue
            case .user(let subnet): mode = subnet?.description
            }
            self.model = model
            self.mac = mac
            self.ip = ip
            self.hostname = hostname
        }

        /// Where the NIC meets the host, in words: `on lab-nat`, `in bridge br0`, `macvtap on eth0 (vepa)`, `user mode`.
        public var placement: String {
            switch kind {
            case "network": "on \(network ?? "?")"
            case "bridge": "in bridge \(hostInterface ?? "?")"
            case "direct": "macvtap on \(hostInterface ?? "?") (\(mode ?? "?"))"
            case "user": "user mode" + (mode.map { " \($0)" } ?? "")
            default: "type \(kind)"
            }
        }
    }

    public var name: String
    /// The template's name (shipped) or path (a user's own).
    public var template: String
    /// The template's file, which messages about its XML name.
    public var templatePath: String
    public var nics: [NIC]
    /// The disk overlay to create before the define, when the VM has a base image.
    public var overlay: DiskOverlay?
    public var xml: String
}
