import HostNet
import LibXML
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
        /// The networks its current config's NICs name (`type='network'`).
        public var networkNames: Set<String> { Set(current.nics.compactMap(\.source.network)) }

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

    /// Which objects of one kind a read takes.
    public enum Selection: Sendable, Equatable {
        case none
        case all
        /// Those that run now: active networks, running or paused domains.
        case active
        /// Those of these names; a name that names nothing is left out.
        case named(Set<String>)
    }

    /// What one command reads, object by object: the networks and domains it consults, whether
    /// it needs the host's facts, and the storage pools with the volumes its disk overlays use.
    public struct Scope: Sendable, Equatable {
        public var networks: Selection
        public var domains: Selection
        public var host: Bool
        /// Whether the host's facts include what planning host bridges takes: every link's
        /// address and route settings, bridges' STP and forward delay, and the records of cut-off
        /// host-bridge changes (``HostFacts/linkSettings``). Only a command that plans a host
        /// bridge sets it; it implies `host`.
        public var hostBridges: Bool
        /// Whether the host's facts include its UUID (``HostFacts/uuid``), which costs a round trip
        /// and an 11 KB capabilities document: MAC allocation seeds with it and a fleet tells its
        /// hosts apart by it. A command that does neither leaves it out.
        public var hostIdentity: Bool
        /// Volume names by storage pool name.
        public var volumes: [String: Set<String>]

        public init(
            networks: Selection = .none, domains: Selection = .none, host: Bool = false, hostBridges: Bool = false,
            hostIdentity: Bool = true, volumes: [String: Set<String>] = [:]
        ) {
            self.networks = networks
            self.domains = domains
            self.host = host || hostBridges
            self.hostBridges = hostBridges
            self.hostIdentity = hostIdentity
            self.volumes = volumes
        }

        /// Every object of `parts`; the host's facts without its UUID unless `hostIdentity`.
        public init(_ parts: Parts, hostIdentity: Bool = true) {
            self.init(
                networks: parts.contains(.networks) ? .all : .none, domains: parts.contains(.domains) ? .all : .none,
                host: parts.contains(.host), hostIdentity: hostIdentity)
        }
    }

    public var networks: [NetworkEntry]
    public var domains: [DomainEntry]
    public var host: HostFacts
    /// The storage pools read, by name; a pool that was asked about and does not exist is not here.
    public var storagePools: [String: StoragePoolFacts] = [:]

    public init(networks: [NetworkEntry] = [], domains: [DomainEntry] = [], host: HostFacts = HostFacts()) {
        self.networks = networks
        self.domains = domains
        self.host = host
    }

    public func network(named name: String) -> NetworkEntry? { networks.first { $0.name == name } }
    public func domain(named name: String) -> DomainEntry? { domains.first { $0.name == name } }

    /// Reads `parts` of what `connection` holds, concurrently over the one connection.
    public static func read(_ connection: Connection, _ parts: Parts = .all) throws(VNetError) -> Inventory {
        try read(connection, Scope(parts))
    }

    /// Reads what `scope` names, concurrently over the one connection.
    public static func read(_ connection: Connection, _ scope: Scope) throws(VNetError) -> Inventory {
        var inventory = Inventory()
        try inventory.add(scope, from: connection)
        return inventory
    }

    /// Reads what `scope` names and this inventory lacks: a command that learns what else it needs
    /// from what it read (`show vm`: the networks its NICs name) reads that next, and never an
    /// object twice.
    public mutating func add(_ scope: Scope, from connection: Connection) throws(VNetError) {
        do {
            let haveNetworks = Set(networks.map(\.name)), haveDomains = Set(domains.map(\.name))
            networks = (networks + (try Self.readNetworks(connection, scope.networks, skipping: haveNetworks))).sorted { $0.name < $1.name }
            domains = (domains + (try Self.readDomains(connection, scope.domains, skipping: haveDomains))).sorted { $0.name < $1.name }
            XMLMemory.releaseFreed()
            if scope.host || scope.hostBridges {
                host = try HostFacts.read(connection, hostBridges: scope.hostBridges, identity: scope.hostIdentity)
            }
            for (pool, volumes) in scope.volumes.sorted(by: { $0.key < $1.key }) where storagePools[pool] == nil {
                storagePools[pool] = try StoragePoolFacts.read(named: pool, volumes: volumes, on: connection)
            }
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Forgets a domain this command removed, and the disk overlay volumes removing it deleted.
    public mutating func forget(domain name: String) {
        let overlays = Set(domains.filter { $0.name == name }.flatMap(\.configs).compactMap(\.metadata?.overlay))
        domains.removeAll { $0.name == name }
        for (pool, facts) in storagePools {
            storagePools[pool]?.volumes = facts.volumes.filter { !overlays.contains($0.value.path) }
        }
    }

    /// Reads the networks named `names` again, after this command changed them: they replace
    /// their old entries, and networks it created join.
    public mutating func reread(networks names: Set<String>, on connection: Connection) throws(VNetError) {
        guard !names.isEmpty else { return }
        do {
            let fresh = try Self.readNetworks(connection, .named(names))
            networks = (networks.filter { !names.contains($0.name) } + fresh).sorted { $0.name < $1.name }
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Each network and its state from three list calls (cheaper than the three queries each
    /// network would otherwise cost), then its XML (saved, and live where it can differ). Every
    /// network is active or persistent (a transient network exists only while it runs), so the
    /// active and the persistent lists together are all of them, and only a persistent network
    /// starts on its own. Networks in `skipping` are not read.
    private static func readNetworks(_ connection: Connection, _ selection: Selection, skipping: Set<String> = [])
        throws -> [NetworkEntry]
    {
        let wanted: (String) -> Bool
        switch selection {
        case .none: return []
        case .named(let names): wanted = { names.contains($0) && !skipping.contains($0) }
        case .all, .active: wanted = { !skipping.contains($0) }
        }
        let activeList = try connection.networks(.active)
        let persistentList = try connection.networks(.persistent)
        let active = Set(activeList.map(\.name)), persistent = Set(persistentList.map(\.name))
        let candidates = selection == .active ? activeList : activeList + persistentList.filter { !active.contains($0.name) }
        let listed = candidates.filter { wanted($0.name) }
        guard !listed.isEmpty else { return [] }
        let autostart = listed.contains { persistent.contains($0.name) } ? Set(try connection.networks(.autostart).map(\.name)) : []
        return try BoundedWorkers.map(listed) { network -> NetworkEntry? in
            try skippingVanished {
                let isActive = active.contains(network.name), isPersistent = persistent.contains(network.name)
                let source = "network \(network.name)"
                let saved = try NetworkConfig(xml: isPersistent ? network.savedConfigXML() : network.xml(), source: source)
                let live = isActive && isPersistent ? try NetworkConfig(xml: network.xml(), source: source) : nil
                return NetworkEntry(
                    network: network, active: isActive, persistent: isPersistent, autostart: autostart.contains(network.name),
                    saved: saved, live: live)
            }
        }.compactMap { $0 }
    }

    /// Up to this many named domains are looked up one by one; more are found in one list call.
    private static let lookupLimit = 8

    /// Each domain from one list call (for a few named domains: a lookup each), then its inactive XML
    /// and, while it runs, its live XML. The list says which domains run (libvirt sends each
    /// domain's ID with it, and only a running or paused one has an ID), so only those cost a
    /// state and a persistence query: a domain that does not run is shut off and persistent (a
    /// transient one would be gone). Domains in `skipping` are not read.
    private static func readDomains(_ connection: Connection, _ selection: Selection, skipping: Set<String> = [])
        throws -> [DomainEntry]
    {
        let listed: [Domain]
        switch selection {
        case .none:
            return []
        case .named(let names) where names.count <= lookupLimit:
            listed = try names.subtracting(skipping).sorted().compactMap { name in try skippingVanished { try connection.domain(named: name) } }
        case .named(let names):
            listed = try connection.domains().filter { names.contains($0.name) && !skipping.contains($0.name) }
        case .all, .active:
            listed = try connection.domains(selection == .active ? .active : []).filter { !skipping.contains($0.name) }
        }
        return try BoundedWorkers.map(listed) { domain -> DomainEntry? in
            try skippingVanished {
                let hasID = domain.id != nil
                let state = hasID ? try domain.state : .shutoff
                let isPersistent = hasID ? try domain.isPersistent : true
                let running = state != .shutoff && state != .crashed
                let source = "domain \(domain.name)"
                let inactive = try DomainConfig(xml: domain.xml(inactive: isPersistent && running), source: source)
                let live = running && isPersistent ? try DomainConfig(xml: domain.xml(), source: source) : nil
                return DomainEntry(domain: domain, state: state, persistent: isPersistent, inactive: inactive, live: live)
            }
        }.compactMap { $0 }
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
