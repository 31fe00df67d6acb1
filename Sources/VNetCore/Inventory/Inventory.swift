import HostNet
import Libvirt

/// Everything one command may consult on one connection, read once: every network, every
/// domain and the facts of the connection's host, each XML fetched once and parsed once.
///
/// Commands that change something read it under the `HostLock` and hold the lock until their
/// last define, so that what the planners saw as free stays free. Planners take an inventory and
/// never a `Connection`.
public struct Inventory: Sendable {
    /// One libvirt network with its configs.
    public struct NetworkEntry: Sendable {
        public let network: Network
        public var active: Bool
        public var persistent: Bool
        public var autostart: Bool
        /// The saved config; for a transient network, the running one (it has no other).
        public var saved: NetworkConfig
        /// The running config where it can differ from the saved one (active and persistent), else nil.
        public var live: NetworkConfig?

        public var name: String { network.name }
        /// What runs now, or for a stopped network what will run.
        public var current: NetworkConfig { live ?? saved }
        /// The saved config and, where it differs in kind, the running one.
        public var configs: [NetworkConfig] { [saved] + (live.map { [$0] } ?? []) }

        public init(network: Network, active: Bool, persistent: Bool, autostart: Bool, saved: NetworkConfig, live: NetworkConfig?) {
            self.network = network
            self.active = active
            self.persistent = persistent
            self.autostart = autostart
            self.saved = saved
            self.live = live
        }
    }

    /// One libvirt domain with its configs.
    public struct DomainEntry: Sendable {
        public let domain: Domain
        public var state: DomainState
        public var persistent: Bool
        /// The saved config; for a transient domain, the running one.
        public var inactive: DomainConfig
        /// The running config of a running persistent domain, else nil.
        public var live: DomainConfig?

        public var name: String { domain.name }
        public var active: Bool { state != .shutoff && state != .crashed }
        /// What runs now, or for a stopped domain what will run.
        public var current: DomainConfig { live ?? inactive }
        public var configs: [DomainConfig] { [inactive] + (live.map { [$0] } ?? []) }

        public init(domain: Domain, state: DomainState, persistent: Bool, inactive: DomainConfig, live: DomainConfig?) {
            self.domain = domain
            self.state = state
            self.persistent = persistent
            self.inactive = inactive
            self.live = live
        }
    }

    /// What to read; a command reads only what it consults.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let networks = Parts(rawValue: 1)
        public static let domains = Parts(rawValue: 2)
        public static let host = Parts(rawValue: 4)
        public static let all: Parts = [.networks, .domains, .host]
    }

    public var networks: [NetworkEntry]
    public var domains: [DomainEntry]
    public var host: HostFacts

    public init(networks: [NetworkEntry] = [], domains: [DomainEntry] = [], host: HostFacts = HostFacts()) {
        self.networks = networks
        self.domains = domains
        self.host = host
    }

    public func network(named name: String) -> NetworkEntry? { networks.first { $0.name == name } }
    public func domain(named name: String) -> DomainEntry? { domains.first { $0.name == name } }

    /// Reads `parts` of what `connection` holds, concurrently over the one connection.
    public static func read(_ connection: Connection, _ parts: Parts = .all) throws(VNetError) -> Inventory {
        do {
            var inventory = Inventory()
            if parts.contains(.networks) { inventory.networks = try readNetworks(connection) }
            if parts.contains(.domains) { inventory.domains = try readDomains(connection) }
            if parts.contains(.host) { inventory.host = try HostFacts.read(connection) }
            return inventory
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Reads the networks named `names` again, after this command changed them: they replace
    /// their old entries, and networks it created join.
    public mutating func reread(networks names: Set<String>, on connection: Connection) throws(VNetError) {
        guard !names.isEmpty else { return }
        do {
            let fresh = try Self.readNetworks(connection, only: names)
            networks = (networks.filter { !names.contains($0.name) } + fresh).sorted { $0.name < $1.name }
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Each network's state from three list calls, then its XML (saved, and live where it can differ).
    private static func readNetworks(_ connection: Connection, only names: Set<String>? = nil) throws -> [NetworkEntry] {
        let all = try connection.networks().filter { names?.contains($0.name) ?? true }
        let active = Set(try connection.networks(.active).map(\.name))
        let persistent = Set(try connection.networks(.persistent).map(\.name))
        let autostart = Set(try connection.networks(.autostart).map(\.name))
        return try BoundedWorkers.map(all) { network -> NetworkEntry? in
            try skippingVanished {
                let isActive = active.contains(network.name), isPersistent = persistent.contains(network.name)
                let source = "network \(network.name)"
                let saved = try NetworkConfig(xml: isPersistent ? network.savedConfigXML() : network.xml(), source: source)
                let live = isActive && isPersistent ? try NetworkConfig(xml: network.xml(), source: source) : nil
                return NetworkEntry(
                    network: network, active: isActive, persistent: isPersistent, autostart: autostart.contains(network.name),
                    saved: saved, live: live)
            }
        }.compactMap { $0 }.sorted { $0.name < $1.name }
    }

    /// Each domain's state from list calls (one state query only for the rare states no list flag
    /// names), then its inactive XML and, while it runs, its live XML.
    private static func readDomains(_ connection: Connection) throws -> [DomainEntry] {
        let all = try connection.domains()
        var states: [String: DomainState] = [:]
        for (flag, state) in [(DomainListFlags.shutoff, DomainState.shutoff), (.running, .running), (.paused, .paused)] {
            for domain in try connection.domains(flag) { states[domain.name] = state }
        }
        let persistent = Set(try connection.domains(.persistent).map(\.name))
        let known = states
        return try BoundedWorkers.map(all) { domain -> DomainEntry? in
            try skippingVanished {
                let state = try known[domain.name] ?? domain.state
                let isPersistent = persistent.contains(domain.name)
                let running = state != .shutoff && state != .crashed
                let source = "domain \(domain.name)"
                let inactive = try DomainConfig(xml: domain.xml(inactive: isPersistent && running), source: source)
                let live = running && isPersistent ? try DomainConfig(xml: domain.xml(), source: source) : nil
                return DomainEntry(domain: domain, state: state, persistent: isPersistent, inactive: inactive, live: live)
            }
        }.compactMap { $0 }.sorted { $0.name < $1.name }
    }

    /// An object that another process removed between the list call and its read is gone, not an error.
    private static func skippingVanished<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as LibvirtError where error.code == .noNetwork || error.code == .noDomain {
            return nil
        }
    }
}
