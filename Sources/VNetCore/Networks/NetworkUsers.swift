import Libvirt
import LibXML

/// The running VMs that would lose their link if a network stopped: the guard of `stop network`,
/// `undefine network` and `teardown`.
public enum NetworkUsers {
    /// The names of running domains with a NIC on `network`, sorted: `type='network'` NICs that
    /// name it, and `type='bridge'` NICs on the bridge libvirt made for it.
    ///
    /// A bridged-model network's bridge is the host's, which outlives the network, so only its
    /// `type='network'` NICs count.
    public static func runningVMs(on network: Network, connection: Connection) throws(VNetError) -> [String] {
        do {
            let document = try XMLDocument(string: try network.xml(), source: "network \(network.name)")
            let forward = try document.string("string(/network/forward/@mode)") ?? ""
            let bridge = try document.string("string(/network/bridge/@name)") ?? ""
            let ownBridge = forward == "bridge" || bridge.isEmpty ? nil : bridge
            let names = try ObjectScan.domains(on: connection) { domain -> String? in
                guard try domain.isActive else { return nil }
                let live = try XMLDocument(string: try domain.xml(), source: "domain \(domain.name)")
                let uses = try DomainSummary.NIC.all(in: live).contains { nic in
                    (nic.type == "network" && nic.network == network.name)
                        || (nic.type == "bridge" && ownBridge != nil && nic.bridge == ownBridge)
                }
                return uses ? domain.name : nil
            }
            return names.compactMap { $0 }.sorted()
        } catch {
            throw VNetError.from(error)
        }
    }

    /// Refuses, as invalid input naming the VMs, to `action` (stop, undefine) `network` while a
    /// running VM has a NIC on it.
    public static func refuseWhileInUse(_ network: Network, action: String, on connection: Connection) throws(VNetError) {
        let users = try runningVMs(on: network, connection: connection)
        guard !users.isEmpty else { return }
        throw .invalidInput(
            "network '\(network.name)' is in use by running VM(s) \(users.joined(separator: ", ")), which would lose "
                + "their link; stop them first, or add --force to \(action) it anyway")
    }
}
