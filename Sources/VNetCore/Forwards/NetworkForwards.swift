import Foundation
import HostNet
import Libvirt
import LibXML

/// A libvirt network's forwards: read from its saved config, changed there, and put in place on
/// this host's firewall while it runs.
///
/// Rules are made only for a connection whose driver runs on this host and drives its firewall
/// (`qemu:///system`, not `test:///` and not a remote host); elsewhere the forwards are only stored.
public enum NetworkForwards {
    /// How an executor reaches this machine's firewall for a network's forwards.
    public struct Firewall: Sendable {
        /// Whether the connection's host is this machine, as an inventory holds it
        /// (``HostFacts/isThisMachine``); nil, for a command that read no host facts (start, stop,
        /// undefine), decides it from the URI, which for a network URI reads this machine's addresses.
        public var isThisMachine: Bool?
        /// How the firewall lock (``ForwardRules/lockPath``) is waited for: the command's lock wait.
        public var lockWait: HostLock.Wait

        public init(isThisMachine: Bool? = nil, lockWait: HostLock.Wait = HostLock.Wait()) {
            self.isThisMachine = isThisMachine
            self.lockWait = lockWait
        }
    }

    /// True when `connection` reaches a libvirt on this machine that makes real networks (not
    /// `test:///`); `isThisMachine` is that fact of the connection's host, as an inventory holds it
    /// (``HostFacts/isThisMachine``).
    public static func isLocal(_ connection: Connection, isThisMachine: Bool) -> Bool {
        guard isThisMachine, let uri = try? connection.uri else { return false }
        return !uri.hasPrefix("test")
    }

    /// ``isLocal(_:isThisMachine:)`` with the executor's fact, or without one decided from the URI.
    private static func isLocal(_ connection: Connection, _ firewall: Firewall) -> Bool {
        if let isThisMachine = firewall.isThisMachine { return isLocal(connection, isThisMachine: isThisMachine) }
        guard let uri = try? connection.uri else { return false }
        let here = !HostFacts.isRemote(uri) || HostFacts.isThisMachine(uri, addresses: (try? HostNetwork.addresses()) ?? [])
        return isLocal(connection, isThisMachine: here)
    }

    /// The forwards in the network's saved config (what the next start uses).
    public static func saved(_ network: Network) throws(VNetError) -> [PortForward] {
        do {
            return try ForwardMetadata.forwards(in: try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)"))
        } catch {
            throw VNetError.from(error)
        }
    }

    /// After a start: puts the network's forwards in place from its running XML. Nothing happens
    /// for a network without forwards or on a connection that is not local.
    public static func applyRunning(_ network: Network, on connection: Connection, firewall: Firewall = Firewall()) throws(VNetError) {
        guard isLocal(connection, firewall) else { return }
        let rules: ForwardRules?
        do {
            rules = try ForwardRules(document: try XMLDocument(string: try network.xml(), source: "network \(network.name)"))
        } catch {
            throw VNetError.from(error)
        }
        try rules?.apply(lockWait: firewall.lockWait)
    }

    /// Before a stop or undefine: removes the network's rules when its config holds forwards.
    public static func removeRules(of network: Network, on connection: Connection, firewall: Firewall = Firewall()) throws(VNetError) {
        guard isLocal(connection, firewall) else { return }
        let live = (try? network.xml()).flatMap { try? XMLDocument(string: $0, source: "network \(network.name)") }
        let recorded = try (live.map { document throws(VNetError) in try ForwardMetadata.forwards(in: document) } ?? [])
            + saved(network)
        if !recorded.isEmpty { try ForwardRules.remove(network: network.name, lockWait: firewall.lockWait) }
    }

    /// Replaces the forwards of the network's saved config with `forwards` and, while it runs,
    /// puts them in place at once; the network is not restarted.
    ///
    /// libvirt 9.0 cannot change `<metadata>` with virNetworkUpdate, so the saved config is defined
    /// again with only its metadata changed (defining a running network changes only what its
    /// next start uses). Its running XML keeps the forwards it started with until it restarts.
    public static func update(
        _ network: Network, to forwards: [PortForward], on connection: Connection, firewall: Firewall = Firewall()
    ) throws(VNetError) {
        do {
            let document = try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)")
            try ForwardMetadata.replace(in: document, with: forwards)
            _ = try connection.defineNetwork(xml: document.serialized(formatted: true))
            guard isLocal(connection, firewall), try network.isActive else { return }
            guard var rules = try ForwardRules(document: document) else {
                try ForwardRules.remove(network: network.name, lockWait: firewall.lockWait)
                return
            }
            rules.bridge = try network.bridgeName
            try rules.apply(lockWait: firewall.lockWait)
        } catch {
            throw VNetError.from(error)
        }
    }
}
