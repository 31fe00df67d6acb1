import HostNet
import Libvirt
import LibXML

/// The facts of the host a connection reaches: on a local URI its links, addresses and routes
/// through netlink; on a remote one what libvirt reports about that host (its interfaces with
/// their MACs, its UUID), and plainly which facts cannot be seen from here. The host's UUID comes
/// from libvirt's capabilities either way.
public struct HostFacts: Sendable, Codable, Equatable {
    /// True when the connection reaches another machine's libvirtd.
    public var remote: Bool
    /// The host's UUID from libvirt's capabilities, when read.
    public var uuid: String?
    public var links: [HostLink]
    /// The host's addresses; empty, and listed in `unseen`, on a remote host.
    public var addresses: [HostAddress]
    public var routes: [HostRoute]
    /// Every entry of the host's bridges' and devices' forwarding databases; empty on a remote host.
    public var forwardingDatabase: [HostFDBEntry]
    /// The facts libvirt cannot report about a remote host ("addresses", "routes").
    public var unseen: [String]

    public init(remote: Bool = false, uuid: String? = nil, links: [HostLink] = [], addresses: [HostAddress] = [],
                routes: [HostRoute] = [], forwardingDatabase: [HostFDBEntry] = [], unseen: [String] = []) {
        self.remote = remote
        self.uuid = uuid
        self.links = links
        self.addresses = addresses
        self.routes = routes
        self.forwardingDatabase = forwardingDatabase
        self.unseen = unseen
    }

    /// A note for reports: what this command could not check on a remote host, or nil on a local one.
    public var unseenNote: String? {
        unseen.isEmpty ? nil
            : "the host's \(unseen.joined(separator: " and ")) cannot be seen over a remote connection and were not checked"
    }

    /// Reads the facts of `connection`'s host.
    static func read(_ connection: Connection) throws -> HostFacts {
        let capabilities = try XMLDocument(string: try connection.capabilitiesXML(), source: "capabilities")
        let uuid = try capabilities.string("string(/capabilities/host/uuid)").flatMap { $0.isEmpty ? nil : $0 }
        guard isRemote(try connection.uri) else {
            return HostFacts(
                uuid: uuid, links: try HostNetwork.links(), addresses: try HostNetwork.addresses(),
                routes: try HostNetwork.routes(), forwardingDatabase: try HostNetwork.forwardingDatabase())
        }
        let links = try connection.hostInterfaces().enumerated().map { index, interface in
            HostLink(index: index + 1, name: interface.name, kind: interface.name == "lo" ? .loopback : .other, mac: interface.mac,
                     mtu: 0, isUp: true)
        }
        return HostFacts(
            remote: true, uuid: uuid, links: links,
            unseen: ["addresses", "routes"])
    }

    /// True for a URI that names another machine (`qemu+tcp://HOST/system`, `qemu+ssh://user@HOST/…`);
    /// false for local ones (`qemu:///system`, `test:///default`, a host part of localhost).
    static func isRemote(_ uri: String) -> Bool {
        guard let range = uri.range(of: "://") else { return false }
        var authority = uri[range.upperBound...].prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = String(authority)
        if host.hasPrefix("[") { host = String(host.dropFirst().prefix { $0 != "]" }) } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return !host.isEmpty && !["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }
}
