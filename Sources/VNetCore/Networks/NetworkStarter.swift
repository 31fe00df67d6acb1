import HostNet
import Libvirt
import LibXML

/// Starts networks, first clearing a bridge that a failed earlier start left behind.
///
/// If libvirtd dies while starting a network, the kernel keeps the bridge it had created but
/// libvirt, once back, sees the network inactive, and every later start fails with "File exists".
/// A bridge is such a leftover when the stopped network names it, no running libvirt network uses
/// it, and nothing is plugged into it; then it is deleted before the start. On a remote host this
/// machine's netlink sees none of that host's bridges, so nothing is cleared there.
///
/// libvirt refuses to start a network whose subnet a link of its host already routes ("Network is
/// already in use by interface …"); that refusal is the caller's input, not a failure.
public enum NetworkStarter {
    /// Starts `network`, then puts its forwards in place; `firewall` as ``NetworkForwards`` takes it.
    public static func start(
        _ network: Network, on connection: Connection, firewall: NetworkForwards.Firewall = NetworkForwards.Firewall()
    ) throws(VNetError) {
        do {
            if !HostFacts.isRemote(try connection.uri) { try removeLeftoverBridge(of: network, on: connection) }
            try network.start()
        } catch let error as LibvirtError where error.message.contains("already in use") {
            throw VNetError(.invalidInput, "\(error.message): the subnet is taken on the network's host; choose another subnet",
                            code: .subnetInUse, cause: error)
        } catch {
            throw VNetError.from(error)
        }
        try NetworkForwards.applyRunning(network, on: connection, firewall: firewall)
    }

    private static func removeLeftoverBridge(of network: Network, on connection: Connection) throws {
        let document = try XMLDocument(string: try network.savedConfigXML(), source: "network \(network.name)")
        // Bridged networks use the host's own bridge, which is never a leftover.
        guard try document.string("string(/network/forward/@mode)") != "bridge",
            let bridge = try document.string("/network/bridge/@name"),
            let link = try HostNetwork.link(named: bridge), link.kind == .bridge,
            try HostNetwork.bridgePorts(of: bridge).isEmpty
        else { return }
        let inUse = try connection.networks(.active).contains { (try? $0.bridgeName) == bridge }
        if !inUse { try HostNetwork.deleteLink(named: bridge) }
    }
}
