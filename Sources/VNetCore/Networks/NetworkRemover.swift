import Libvirt

/// Stops and undefines networks, in the order libvirt needs.
public enum NetworkRemover {
    /// Stops `network` when it runs, then undefines it when it is persistent; given the connection,
    /// first removes the firewall rules of its port forwards (`isThisMachine` as ``NetworkForwards`` takes it).
    public static func remove(_ network: Network, on connection: Connection? = nil, isThisMachine: Bool? = nil) throws(VNetError) {
        if let connection { try NetworkForwards.removeRules(of: network, on: connection, isThisMachine: isThisMachine) }
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
