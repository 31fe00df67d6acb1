import Foundation
import HostNet
import Libvirt
import LibXML

/// The facts of the host a connection reaches: on this machine its links (with their VXLAN
/// settings, aliases and peers), addresses and routes through netlink; on another machine what
/// libvirt reports about that host (its interfaces with their MACs, its UUID), and plainly which
/// facts cannot be seen from here. The host's UUID comes from libvirt's capabilities either way.
public struct HostFacts: Sendable, Codable, Equatable {
    /// True when the connection goes through a network URI (`qemu+tcp://…`, `qemu+ssh://…`).
    public var remote: Bool
    /// True when the host is the machine vnetctl runs on: a local URI, or a network URI whose host
    /// is one of this machine's addresses (a host reaching its own libvirtd through the URI a fleet
    /// file gives it). Its facts are then read through netlink whatever the URI.
    public var isThisMachine: Bool
    /// The host's UUID from libvirt's capabilities, when read.
    public var uuid: String?
    public var links: [HostLink]
    /// The host's addresses; empty, and listed in `unseen`, on a remote host.
    public var addresses: [HostAddress]
    public var routes: [HostRoute]
    /// Every entry of the host's bridges' and devices' forwarding databases; empty on a remote host.
    public var forwardingDatabase: [HostFDBEntry]
    /// The host's VXLAN links with their settings, aliases and peers; nil (unseen) on another machine.
    public var vxlanLinks: [HostVXLANLink]?
    /// The facts libvirt cannot report about a remote host ("addresses", "routes").
    public var unseen: [String]
    /// Every link's address and route settings and each bridge's STP and forward delay: what
    /// planning a host bridge moves. Read only for a command that plans host bridges on this
    /// machine (``Inventory/Scope/hostBridges``); nil otherwise.
    public var linkSettings: HostLinkSettings?
    /// The records of cut-off host-bridge changes, the detected network manager and the files in
    /// the way of persistent configuration; read with `linkSettings`, nil otherwise.
    public var bridgeFiles: HostBridgeFiles?

    /// The bridges whose `host-bridge create` or `delete` was cut off and left its record.
    public var unfinishedBridges: Set<String> { bridgeFiles?.unfinishedBridges ?? [] }

    public init(remote: Bool = false, isThisMachine: Bool? = nil, uuid: String? = nil, links: [HostLink] = [],
                addresses: [HostAddress] = [], routes: [HostRoute] = [], forwardingDatabase: [HostFDBEntry] = [],
                vxlanLinks: [HostVXLANLink]? = [], unseen: [String] = [], linkSettings: HostLinkSettings? = nil,
                bridgeFiles: HostBridgeFiles? = nil) {
        self.remote = remote
        self.isThisMachine = isThisMachine ?? !remote
        self.vxlanLinks = vxlanLinks
        self.uuid = uuid
        self.links = links
        self.addresses = addresses
        self.routes = routes
        self.forwardingDatabase = forwardingDatabase
        self.unseen = unseen
        self.linkSettings = linkSettings
        self.bridgeFiles = bridgeFiles
    }

    /// A note for reports: what this command could not check on a remote host, or nil on a local one.
    public var unseenNote: String? {
        unseen.isEmpty ? nil
            : "the host's \(unseen.joined(separator: " and ")) cannot be seen over a remote connection and were not checked"
    }

    /// Reads the facts of `connection`'s host; with `hostBridges`, on this machine, also what
    /// planning host bridges takes (``readHostBridgeFacts()``); without `identity`, no ``uuid``.
    static func read(_ connection: Connection, hostBridges: Bool = false, identity: Bool = true) throws -> HostFacts {
        let uuid = identity ? try self.uuid(of: connection) : nil
        let uri = try connection.uri
        let addresses = try HostNetwork.addresses()
        if isThisMachine(uri, addresses: addresses) {
            var facts = HostFacts(
                remote: isRemote(uri), isThisMachine: true, uuid: uuid, links: try HostNetwork.links(), addresses: addresses,
                routes: try HostNetwork.routes(), forwardingDatabase: try HostNetwork.forwardingDatabase(),
                vxlanLinks: try HostNetwork.vxlanLinks())
            if hostBridges { try facts.addHostBridgeFacts() }
            return facts
        }
        let links = try connection.hostInterfaces().enumerated().map { index, interface in
            HostLink(index: index + 1, name: interface.name, kind: interface.name == "lo" ? .loopback : .other, mac: interface.mac,
                     mtu: 0, isUp: true)
        }
        return HostFacts(
            remote: true, uuid: uuid, links: links, vxlanLinks: nil,
            unseen: ["addresses", "routes"])
    }

    /// The host's UUID from libvirt's capabilities; nil when libvirt gives none.
    private static func uuid(of connection: Connection) throws -> String? {
        let capabilities = try XMLDocument(string: try connection.capabilitiesXML(), source: "capabilities")
        return try capabilities.string("string(/capabilities/host/uuid)").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// This machine's links with what planning host bridges takes, and nothing else: for the
    /// `host-bridge` commands, which change this machine whatever the connection.
    public static func readHostBridgeFacts() throws(VNetError) -> HostFacts {
        do {
            var facts = HostFacts(links: try HostNetwork.links())
            try facts.addHostBridgeFacts()
            return facts
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Reads the links' settings and the files planning host bridges consults.
    private mutating func addHostBridgeFacts() throws {
        linkSettings = try HostNetwork.linkSettings(of: links)
        bridgeFiles = HostBridgeFiles.read(root: HostBridgeSetup.persistRoot)
    }

    /// Whether `uri` reaches a libvirtd on this machine, whose `addresses` are given: a local URI,
    /// or a network URI whose host is one of them (by address, or by a name that resolves to one).
    public static func isThisMachine(_ uri: String, addresses: [HostAddress]) -> Bool {
        guard isRemote(uri), let host = uriHost(uri) else { return true }
        let own = Set(addresses.map(\.address))
        if own.contains(host) { return true }
        if (try? IPv4Address(host)) != nil || host.contains(":") { return false }
        return Host(name: host).addresses.contains { own.contains($0) }
    }

    /// The host part of a URI, without user, port or IPv6 brackets; nil when it has none.
    static func uriHost(_ uri: String) -> String? {
        guard let range = uri.range(of: "://") else { return nil }
        var authority = uri[range.upperBound...].prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = String(authority)
        if host.hasPrefix("[") { host = String(host.dropFirst().prefix { $0 != "]" }) } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return host.isEmpty ? nil : host
    }

    /// True for a URI that names another machine (`qemu+tcp://HOST/system`, `qemu+ssh://user@HOST/…`);
    /// false for local ones (`qemu:///system`, `test:///default`, a host part of localhost).
    static func isRemote(_ uri: String) -> Bool {
        guard let host = uriHost(uri) else { return false }
        return !["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }
}
