import Libvirt

/// The running VMs that would lose their link if a network stopped: the guard of `stop network`,
/// `undefine network` and `teardown`.
public enum NetworkUsers {
    /// The names of running domains with a NIC on `network`, sorted: `type='network'` NICs that
    /// name it, and `type='bridge'` NICs on the bridge libvirt made for it.
    ///
    /// A bridged-model network's bridge is the host's, which outlives the network, so only its
    /// `type='network'` NICs count.
    public static func runningVMs(on network: Network, connection: Connection) throws(VNetError) -> [String] {
        let config: NetworkConfig
        do {
            config = try NetworkConfig(xml: try network.xml(), source: "network \(network.name)")
        } catch {
            throw VNetError.from(error)
        }
        return runningVMs(on: network.name, config: config, among: try Inventory.read(connection, Inventory.Scope(domains: .active)).domains)
    }

    /// The same, for a network's running `config` and the `domains` of an inventory already read.
    static func runningVMs(on name: String, config: NetworkConfig, among domains: [Inventory.DomainEntry]) -> [String] {
        let bridge = config.bridge?.name ?? ""
        let ownBridge = config.forward?.mode == "bridge" || bridge.isEmpty ? nil : bridge
        return domains.filter { entry in
            entry.active && entry.current.nics.contains { nic in
                (nic.kind == "network" && nic.source.network == name)
                    || (nic.kind == "bridge" && ownBridge != nil && nic.source.bridge == ownBridge)
            }
        }.map(\.name).sorted()
    }

    /// Refuses, as invalid input naming the VMs, to `action` (stop, undefine) `network` while a
    /// running VM has a NIC on it.
    public static func refuseWhileInUse(_ network: Network, action: String, on connection: Connection) throws(VNetError) {
        let users = try runningVMs(on: network, connection: connection)
        guard !users.isEmpty else { return }
        throw .asking(
            .invalidInput,
            "network '\(network.name)' is in use by running VM(s) \(users.joined(separator: ", ")), which would lose "
                + "their link; stop them first, or ",
            for: .force, then: " to \(action) it anyway")
    }
}
