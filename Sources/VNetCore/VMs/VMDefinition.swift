/// A VM ready to define: its XML with every NIC's MAC assigned, and the reservations it needs.
public struct VMDefinition: Sendable, Equatable {
    /// One NIC as it will be defined.
    public struct NIC: Sendable, Codable, Equatable {
        public var network: String
        public var mac: MACAddress
        /// The address reserved for the MAC in the network's DHCP, if any.
        public var ip: IPv4Address?
        /// The DHCP and DNS host name of the reservation.
        public var hostname: String?
    }

    public var name: String
    /// The template's name (shipped) or path (a user's own).
    public var template: String
    public var nics: [NIC]
    /// The disk overlay to create before the define, when the VM has a base image.
    public var overlay: DiskOverlay?
    public var xml: String
}
