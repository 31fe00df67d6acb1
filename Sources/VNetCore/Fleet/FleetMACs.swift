/// The MACs of several hosts together, and the duplicates among them: a MAC that two hosts'
/// guests or interfaces use breaks the LAN those hosts share.
public struct FleetMACs: Sendable {
    /// One use of a MAC on one host.
    public struct Use: Sendable, Encodable, Equatable, CustomStringConvertible {
        /// The host's name (its key under `hosts:`, or its URI).
        public var host: String
        public var use: MACInventory.Use

        public var mac: MACAddress { use.mac }
        public var description: String { "\(use) on host \(host)" }

        public init(host: String, use: MACInventory.Use) {
            self.host = host
            self.use = use
        }

        private enum Key: String, CodingKey { case host }

        /// The use's own fields with `host` beside them.
        public func encode(to encoder: any Encoder) throws {
            try use.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(host, forKey: .host)
        }
    }

    /// Every use on every host, by MAC and then in host order.
    public let uses: [Use]
    private let perHost: [[Use]]

    /// The MACs of each host, in the order given.
    public init(_ hosts: [(host: String, macs: MACInventory)]) {
        let all = hosts.flatMap { entry in entry.macs.uses.map { Use(host: entry.host, use: $0) } }
        uses = all.indices.sorted { (all[$0].mac, $0) < (all[$1].mac, $1) }.map { all[$0] }
        perHost = hosts.flatMap { entry in entry.macs.duplicates.map { group in group.map { Use(host: entry.host, use: $0) } } }
    }

    /// Each host's own duplicates (``MACInventory/duplicates``), and every MAC that VM NICs or
    /// interfaces of two or more hosts use. A DHCP reservation on one host for another host's
    /// guest is a booking (an overlay's gateway holds those), not a duplicate.
    public var duplicates: [[Use]] {
        let across = Dictionary(grouping: uses.filter { $0.use.kind != .reservation }, by: \.mac).values
            .filter { Set($0.map(\.host)).count > 1 }
        return (perHost + across).sorted { ($0[0].mac, $0[0].host) < ($1[0].mac, $1[0].host) }
    }
}
