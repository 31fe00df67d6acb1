import Libvirt

/// Stops and undefines networks, in the order libvirt needs.
public enum NetworkRemover {
    /// Stops `network` when it runs, then undefines it when it is persistent; given the connection,
    /// first removes the firewall rules of its port forwards (`firewall` as ``NetworkForwards`` takes it).
    public static func remove(
        _ network: Network, on connection: Connection? = nil, firewall: NetworkForwards.Firewall = NetworkForwards.Firewall()
    ) throws(VNetError) {
        if let connection { try NetworkForwards.removeRules(of: network, on: connection, firewall: firewall) }
        do {
            if try network.isActive {
                try network.stop()
                FaultPoint.reached("stopping network '\(network.name)'")
            }
            if try network.isPersistent { try network.undefine() }
        } catch {
            throw VNetError.from(error)
        }
    }
}
